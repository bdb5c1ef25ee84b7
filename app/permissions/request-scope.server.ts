// One HTTP request = one scope. A page request runs the root loader and the route's loader,
// each of which needs the signed-in person; the scope lets them share one session check and
// one principal instead of doing both twice. The HTTP layer (server/http.ts) opens the scope;
// the store lives on globalThis because that layer and the Remix build are separate module
// graphs. Without a scope (unit tests, the CLI) nothing is shared.
import { AsyncLocalStorage } from 'node:async_hooks'

type Store = { memo: Map<string, Promise<unknown>> }
const KEY = Symbol.for('carnet.request-scope')
const g = globalThis as unknown as Record<symbol, AsyncLocalStorage<Store> | undefined>
const storage: AsyncLocalStorage<Store> = (g[KEY] ??= new AsyncLocalStorage<Store>())

/**
 * Runs `fn` in a fresh scope. Only reads share: a POST runs its action before the loaders, and
 * an action may change the very session or memberships the loaders must then see afresh.
 */
export function runInRequestScope<T>(method: string, fn: () => T): T {
  if (method !== 'GET' && method !== 'HEAD') return fn()
  return storage.run({ memo: new Map() }, fn)
}

/** `make()` once per scope and key; outside a scope, every call makes its own. */
export function oncePerRequest<T>(key: string, make: () => Promise<T>): Promise<T> {
  const store = storage.getStore()
  if (!store) return make()
  let p = store.memo.get(key) as Promise<T> | undefined
  if (!p) {
    p = make()
    store.memo.set(key, p)
  }
  return p
}

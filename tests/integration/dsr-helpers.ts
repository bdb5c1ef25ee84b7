// Helpers shared by the DPO-workspace tests: call a route module's loader/action as a signed-in
// person, and read a Response body.
import { createSession } from '~/auth/session.server'
import type { DbOrTx } from '~/db.server'

type Fn = (args: any) => Promise<unknown>

export async function cookieFor(db: DbOrTx, user: { id: string; kind: 'adult' | 'child' }) {
  const { token } = await createSession(db, user.id, { kind: user.kind })
  return `carnet_session=${token}`
}

const headers = (cookie: string | null, extra: Record<string, string> = {}) => ({
  'user-agent': 'vitest',
  'x-carnet-remote-addr': '127.0.0.1',
  ...(cookie ? { cookie } : {}),
  ...extra,
})

/** Runs a loader; a thrown Response is returned, not rethrown. */
export async function get(fn: Fn | undefined, url: string, params: Record<string, string>, cookie: string | null): Promise<any> {
  try {
    return await fn!({ request: new Request(`http://localhost${url}`, { headers: headers(cookie) }), params, context: {} })
  } catch (e) {
    if (e instanceof Response) return e
    throw e
  }
}

export async function post(fn: Fn | undefined, url: string, params: Record<string, string>, cookie: string | null, fields: Record<string, string> | FormData): Promise<any> {
  const body = fields instanceof FormData ? fields : new URLSearchParams(fields)
  try {
    return await fn!({ request: new Request(`http://localhost${url}`, { method: 'POST', headers: headers(cookie), body }), params, context: {} })
  } catch (e) {
    if (e instanceof Response) return e
    throw e
  }
}

export async function bytesOf(res: Response) {
  return new Uint8Array(await res.arrayBuffer())
}

import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from '../drizzle/schema'

export type Db = PostgresJsDatabase<typeof schema>
/** A transaction handle is accepted wherever a Db is. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type DbOrTx = Db | Tx

let client: postgres.Sql | null = null
let db: Db | null = null

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it to the embedded PostgreSQL).')
  return url
}

let ownerUrl: string | null = null

/** Set at start-up (server/boot.ts): the owner role's URL, DATABASE_OWNER_URL or the embedded cluster's. */
export function setOwnerDatabaseUrl(url: string | null) {
  ownerUrl = url
}

/**
 * The owner role's URL when this process has one, else null (one role does everything, or the
 * owner migrates elsewhere). Only what the runtime role may not do uses it: migrations at
 * start-up, backups, and VACUUM after an erasure (ADR 019).
 */
export function ownerDatabaseUrl(): string | null {
  return process.env.DATABASE_OWNER_URL || ownerUrl
}

export function connect(url: string, opts: { max?: number } = {}) {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 20,
    // A database that does not answer is an outage, said within seconds (ADR 017), not after
    // the driver's default 30 s wait per connection.
    connect_timeout: 10,
    onnotice: () => {},
  })
  return { sql, db: withCommitHooks(drizzle(preparedStatements(sql), { schema }) as Db) }
}

// After-commit hooks (Django's on_commit): a use case writes a row in its transaction and asks
// for work to start once that row is committed — e.g. the mail outbox enqueues the delivery of
// the mails a transaction wrote. Hooks run after COMMIT, in order, never after a rollback;
// nested transactions (savepoints) share their outermost transaction's hooks.
type Hook = () => Promise<void> | void
const commitHooks = new WeakMap<object, Hook[]>()

type TxRunner = { transaction: (fn: (tx: Tx) => Promise<unknown>, config?: unknown) => Promise<unknown> }

function shareHooks(tx: Tx, hooks: Hook[]) {
  commitHooks.set(tx, hooks)
  const runner = tx as unknown as TxRunner
  const nested = runner.transaction.bind(tx)
  runner.transaction = (fn, config) =>
    nested((inner: Tx) => {
      shareHooks(inner, hooks)
      return fn(inner)
    }, config)
}

function withCommitHooks(db: Db): Db {
  const runner = db as unknown as TxRunner
  const begin = runner.transaction.bind(db)
  runner.transaction = async (fn, config) => {
    const hooks: Hook[] = []
    const result = await begin((tx: Tx) => {
      shareHooks(tx, hooks)
      return fn(tx)
    }, config)
    for (const hook of hooks) {
      try {
        await hook()
      } catch (e) {
        // The transaction is committed: a failing hook must not turn its success into an error.
        console.warn(`[db] after-commit hook failed: ${e instanceof Error ? e.message : e}`)
      }
    }
    return result
  }
  return db
}

/**
 * What identifies `db`'s outermost transaction (shared by its savepoints), for work collected
 * per transaction — e.g. one mail-delivery job for all the mails a transaction wrote. Null
 * outside a transaction.
 */
export function commitScope(db: DbOrTx): object | null {
  return commitHooks.get(db) ?? null
}

/**
 * Runs `hook` once `db`'s transaction has committed (at once when `db` is not a transaction:
 * its statements are already committed). Never runs it after a rollback.
 */
export async function onCommit(db: DbOrTx, hook: Hook) {
  const hooks = commitHooks.get(db)
  if (hooks) hooks.push(hook)
  else await hook()
}

/**
 * Drizzle sends every query as an unnamed statement (postgres.js `prepare: false`), so
 * PostgreSQL parses and plans each one again: for the class grid's statement that is more
 * than half its cost. Our statements are parameterized with a bounded set of texts, so they
 * are prepared once per connection instead (ADR 011). CARNET_PG_PREPARE=off turns this off,
 * e.g. behind a pooler that cannot keep prepared statements.
 */
function preparedStatements(sql: postgres.Sql): postgres.Sql {
  if (process.env.CARNET_PG_PREPARE === 'off') return sql
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop !== 'unsafe') return Reflect.get(target, prop, receiver)
      return (query: string, params?: never[], options?: postgres.UnsafeQueryOptions) => target.unsafe(query, params, { ...options, prepare: true })
    },
  })
}

export function getDb(): Db {
  if (!db) {
    const c = connect(databaseUrl())
    client = c.sql
    db = c.db
  }
  return db
}

export function getSql(): postgres.Sql {
  getDb()
  return client!
}

export async function closeDb() {
  if (client) await client.end({ timeout: 5 })
  client = null
  db = null
}

// Errors that mean "the database is not reachable", whichever driver raised them (postgres.js
// for the app, node-postgres for BullMQ's backend), wrapped or not (drizzle keeps the driver's
// error as `cause`, Node's dual-stack connect gives an AggregateError). These are answered 503
// and retried later; they never end the process (ADR 017).
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // PostgreSQL: shutting down (admin or crash), starting up, or the connection itself failed
  '57P01',
  '57P02',
  '57P03',
])
const CONNECTION_MESSAGES =
  /Connection terminated|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error|timeout exceeded when trying to connect/

export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 5) return false
  const err = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown }
  if (typeof err.code === 'string' && (CONNECTION_CODES.has(err.code) || err.code.startsWith('08'))) return true
  if (typeof err.message === 'string' && CONNECTION_MESSAGES.test(err.message)) return true
  if (Array.isArray(err.errors) && err.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true
  return isDatabaseUnavailable(err.cause, depth + 1)
}

// The process's view of the database: up, or away since when. Whoever meets a connection error
// reports it; the first report starts a probe (`select 1` every few seconds) that says when the
// database is back. The workers pause and resume on it, /health reads it (ADR 017).
type DatabaseAvailability = { up: true; since: Date } | { up: false; since: Date; reason: string }

// One view per process, even though this module is loaded twice in it (by server/ and workers/,
// and bundled again inside the Remix build): the state lives on globalThis.
type Watch = { availability: DatabaseAvailability; watchers: Set<(a: DatabaseAvailability) => void>; probe: NodeJS.Timeout | null }
const watch: Watch = ((globalThis as { [k: symbol]: Watch })[Symbol.for('carnet.database-availability')] ??= {
  availability: { up: true, since: new Date() },
  watchers: new Set(),
  probe: null,
})

export function databaseAvailability(): DatabaseAvailability {
  return watch.availability
}

/** Called on every change (down, then up again); returns the unsubscribe function. */
export function watchDatabaseAvailability(fn: (a: DatabaseAvailability) => void): () => void {
  watch.watchers.add(fn)
  return () => watch.watchers.delete(fn)
}

function probeMs() {
  const v = Number(process.env.CARNET_DB_PROBE_MS)
  return Number.isFinite(v) && v > 0 ? v : 2000
}

function setAvailability(next: DatabaseAvailability) {
  watch.availability = next
  for (const fn of watch.watchers) {
    try {
      fn(next)
    } catch (e) {
      console.error(e)
    }
  }
}

/**
 * A connection error seen anywhere (a request, a job, a queue, /health): marks the database away
 * and probes until it answers. Returns whether `e` was one; anything else is left to the caller.
 */
export function reportDatabaseError(e: unknown): boolean {
  if (!isDatabaseUnavailable(e)) return false
  if (watch.availability.up) {
    const reason = errorCode(e)
    console.warn(`[carnet] database unreachable (${reason}): pages answer 503, jobs wait; checking again every ${probeMs() / 1000} s`)
    setAvailability({ up: false, since: new Date(), reason })
    scheduleProbe()
  }
  return true
}

/** The database answered (a probe, or any successful check): back up if it was away. */
export function reportDatabaseUp() {
  const a = watch.availability
  if (a.up) return
  const away = Math.round((Date.now() - a.since.getTime()) / 1000)
  if (watch.probe) clearTimeout(watch.probe)
  watch.probe = null
  console.warn(`[carnet] database reachable again after ${away} s: pages and jobs resume`)
  setAvailability({ up: true, since: new Date() })
}

function scheduleProbe() {
  if (watch.probe) return
  watch.probe = setTimeout(async () => {
    watch.probe = null
    if (watch.availability.up) return
    try {
      await getSql()`select 1`
      reportDatabaseUp()
    } catch {
      scheduleProbe()
    }
  }, probeMs())
  // The probe never keeps a process alive that has nothing else to do.
  watch.probe.unref()
}

/** A short name for the log and /health: a code, never a message (it could carry data). */
export function errorCode(e: unknown, depth = 0): string {
  if (!e || typeof e !== 'object' || depth > 5) return 'unknown'
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof err.code === 'string') return err.code
  if (Array.isArray(err.errors) && err.errors.length) return errorCode(err.errors[0], depth + 1)
  if (err.cause) return errorCode(err.cause, depth + 1)
  return 'connection lost'
}

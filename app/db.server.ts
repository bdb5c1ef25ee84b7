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

export function connect(url: string, opts: { max?: number } = {}) {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 20,
    onnotice: () => {},
  })
  return { sql, db: drizzle(preparedStatements(sql), { schema }) as Db }
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

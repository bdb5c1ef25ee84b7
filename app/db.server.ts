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
  return { sql, db: drizzle(sql, { schema }) as Db }
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

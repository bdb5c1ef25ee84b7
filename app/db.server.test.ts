// Which errors mean "the database is away" (503, workers pause, the process lives on) and which
// are bugs or refusals that must not be mistaken for an outage. Real errors from both drivers.
import net from 'node:net'
import pg from 'pg'
import postgres from 'postgres'
import { expect, test } from 'vitest'
import { errorCode, isDatabaseUnavailable } from './db.server'

/** A local port nobody listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as net.AddressInfo
  await new Promise((r) => srv.close(r))
  return port
}

test('a refused connection is an outage, from postgres.js (the app) and node-postgres (the queue), wrapped or not', async () => {
  const port = await closedPort()
  const sql = postgres(`postgres://x:y@127.0.0.1:${port}/none`, { max: 1, connect_timeout: 2, onnotice: () => {} })
  const fromApp = await sql`select 1`.catch((e: unknown) => e)
  await sql.end({ timeout: 1 })
  const client = new pg.Client({ connectionString: `postgres://x:y@localhost:${port}/none` })
  const fromQueue = await client.connect().catch((e: unknown) => e)
  for (const e of [fromApp, fromQueue, new Error('Failed query: select 1', { cause: fromApp })]) {
    expect(isDatabaseUnavailable(e), String(e)).toBe(true)
    expect(errorCode(e)).toBe('ECONNREFUSED')
  }
  // PostgreSQL shutting down (what a stop does to open connections) and starting up.
  expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true)
  expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true)
  expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true)
})

test('a bug or a refusal is not an outage', () => {
  expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false)
  expect(isDatabaseUnavailable(Object.assign(new Error('permission denied for table consent_log'), { code: '42501' }))).toBe(false)
  expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false)
  expect(isDatabaseUnavailable(undefined)).toBe(false)
  expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false)
})

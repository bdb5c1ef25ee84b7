// Queries are prepared once per connection (app/db.server.ts): PostgreSQL then skips parsing
// and planning them again on every request. CARNET_PG_PREPARE=off sends unnamed statements.
import { sql } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { organizations } from '../../drizzle/schema'
import { connect } from '~/db.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))
afterEach(() => {
  delete process.env.CARNET_PG_PREPARE
})

async function preparedOnOneConnection() {
  const c = connect(t.url, { max: 1 })
  try {
    for (let i = 0; i < 3; i++) await c.db.select({ id: organizations.id }).from(organizations).limit(1)
    const rows = await c.db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`)
    // (postgres.js prepares its own type lookup when it connects: only ours are counted)
    return rows.map((r) => r.statement).filter((s) => s.includes('from "organizations"'))
  } finally {
    await c.sql.end({ timeout: 5 })
  }
}

test('a query sent three times is prepared once on its connection', async () => {
  const statements = await preparedOnOneConnection()
  expect(statements).toHaveLength(1)
})

test('CARNET_PG_PREPARE=off: nothing is prepared', async () => {
  process.env.CARNET_PG_PREPARE = 'off'
  expect(await preparedOnOneConnection()).toEqual([])
})

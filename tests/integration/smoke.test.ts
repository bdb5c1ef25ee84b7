import { afterAll, beforeAll, expect, test } from 'vitest'
import { useTestDatabase, dropTestDatabase } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

test('migrations ran and the consent log refuses UPDATE: the app’s role has no right to, the owner’s trigger refuses it', async () => {
  const [{ n }] = await t.sql`select count(*)::int as n from information_schema.tables where table_name = 'users'`
  expect(n).toBe(1)
  await t.sql`insert into consent_records (org_id, seq, at, event, state, method, prev_hash, hash) values (gen_random_uuid(), 1, now(), 'terms_accepted', 'given', 'web_checkbox', '0', 'x')`
  await expect(t.sql`update consent_records set hash = 'y'`).rejects.toThrow(/permission denied/)
  await expect(t.sql`delete from consent_records`).rejects.toThrow(/permission denied/)
  await expect(t.owner`update consent_records set hash = 'y'`).rejects.toThrow(/append-only/)
  await expect(t.owner`delete from consent_records`).rejects.toThrow(/append-only/)
})

import { afterAll, beforeAll, expect, test } from 'vitest'
import { appendConsent, verifyChain } from '~/compliance/consent-log.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

test('entries chain per organization; concurrent appends do not fork the chain', async () => {
  const org = await makeOrg(t.db)
  const user = await makeAdult(t.db)
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      appendConsent(t.db, { orgId: org.id, event: 'terms_accepted', state: 'given', subjectId: user.id, actorId: user.id, documentKind: 'terms', documentVersion: `v${i}`, method: 'web_checkbox' }),
    ),
  )
  const report = await verifyChain(t.db, org.id)
  expect(report).toMatchObject({ ok: true, entries: 20 })
})

test('the database refuses UPDATE and DELETE; tampering done around the trigger is found at that entry', async () => {
  const org = await makeOrg(t.db)
  for (let i = 0; i < 5; i++) await appendConsent(t.db, { orgId: org.id, event: 'authorisation_obtained', state: 'given', method: 'school_record', details: { n: i } })
  await expect(t.sql`update consent_records set state = 'refused' where org_id = ${org.id}`).rejects.toThrow(/permission denied/)
  await expect(t.sql`delete from consent_records where org_id = ${org.id}`).rejects.toThrow(/permission denied/)
  await expect(t.owner`update consent_records set state = 'refused' where org_id = ${org.id}`).rejects.toThrow(/append-only/)
  // The owner (or a superuser) can still switch the trigger off: the chain is what catches it.
  await t.owner`alter table consent_records disable trigger consent_records_append_only`
  await t.owner`update consent_records set state = 'refused' where org_id = ${org.id} and seq = 3`
  await t.owner`alter table consent_records enable trigger consent_records_append_only`
  expect(await verifyChain(t.db, org.id)).toMatchObject({ ok: false, brokenAt: 3, reason: 'altered_entry' })
})

test('no names or emails inside the chain: entries hold ids only', async () => {
  const org = await makeOrg(t.db)
  const user = await makeAdult(t.db, { email: 'marie.curie@example.org' })
  const row = await appendConsent(t.db, { orgId: org.id, event: 'terms_accepted', state: 'given', subjectId: user.id, actorId: user.id, method: 'web_checkbox' })
  expect(JSON.stringify(row)).not.toContain('marie')
})

// Sub-processors (DPA §8, Annex C): the register seeded from Annex C; a change announced to
// every controller with a 7-business-day objection window (weekends and French public holidays
// excluded); objections in the consent log and shown to the operator.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { consentRecords, notifications, outboxMails, subprocessors } from '../../drizzle/schema'
import { useFakeClock } from '~/clock.server'
import { verifyChain } from '~/compliance/consent-log.server'
import { businessDaysAfter, isBusinessDay, objectionDeadline } from '~/compliance/business-days.server'
import { announceChange, currentRegister, objectToChange, operatorView, orgView } from '~/privacy/subprocessors/register.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))
afterEach(() => {
  clock?.restore()
  clock = null
})

describe('7 business days', () => {
  test('announced on Tuesday 10 November 2026: Armistice (Wed 11) and the weekend are skipped → end of Friday 20 November (Paris)', () => {
    expect(isBusinessDay(2026, 11, 11)).toBe(false)
    expect(isBusinessDay(2026, 11, 14)).toBe(false)
    expect(isBusinessDay(2026, 11, 12)).toBe(true)
    const deadline = objectionDeadline(new Date('2026-11-10T09:00:00Z'))
    expect(deadline.toISOString()).toBe('2026-11-20T22:59:59.999Z')
    // The same announcement a week later, no holiday in the way: Thursday 26.
    expect(objectionDeadline(new Date('2026-11-17T09:00:00Z')).toISOString()).toBe('2026-11-26T22:59:59.999Z')
  })

  test('Christmas and New Year, and the Paris day (not UTC) decides', () => {
    // Tue 22 Dec 2026: 23, 24, [25 Noël], 28, 29, 30, 31, [1 Jan], 4 → Monday 4 January 2027.
    expect(businessDaysAfter(new Date('2026-12-22T10:00:00Z'), 7).toISOString()).toBe('2027-01-04T22:59:59.999Z')
    // 23:30 UTC on Monday 9 Nov is already Tuesday 10 Nov in Paris.
    expect(objectionDeadline(new Date('2026-11-09T23:30:00Z')).toISOString()).toBe('2026-11-20T22:59:59.999Z')
  })
})

test('the register starts as Annex C lists it', async () => {
  const reg = await currentRegister(t.db)
  expect(reg.map((s) => [s.name, s.registrationNumber, s.activity, s.personalDataTransfer, s.contract])).toEqual([
    ['OVH', '42476141900045', 'Hosting', false, 'DPA'],
    ['Crisp', '83308580600028', 'Customer support (GAR excluded only)', false, 'DPA'],
    ['Sendinblue (Brevo)', '49801929800112', 'Technical emailing', false, 'DPA'],
  ])
})

test('a change is announced to every controller, objections are recorded in the consent log within the window only, and the operator sees them', async () => {
  clock = useFakeClock('2026-11-10T09:00:00Z')
  const a = await makeOrg(t.db, 'school', 'École A')
  const b = await makeOrg(t.db, 'school', 'École B')
  const fam = await makeOrg(t.db, 'family', 'Famille C')
  const adminA = await makeAdult(t.db, { orgId: a.id, role: 'admin' })
  const dpoA = await makeAdult(t.db, { orgId: a.id, role: 'dpo' })
  const adminB = await makeAdult(t.db, { orgId: b.id, role: 'admin' })
  await makeAdult(t.db, { orgId: fam.id, role: 'admin' })
  const operator = await makeAdult(t.db)
  const [brevo] = await t.db.select().from(subprocessors).where(eq(subprocessors.name, 'Sendinblue (Brevo)'))

  const { change, organizations } = await announceChange(t.db, {
    kind: 'replacement',
    sub: { name: 'Scaleway TEM', registrationNumber: '43309072700039', activity: 'Technical emailing', personalDataTransfer: false, contract: 'DPA' },
    replacesId: brevo!.id,
    description: 'Emails techniques envoyés depuis Paris plutôt que par Brevo.',
    by: operator.id,
  })
  expect(organizations).toBeGreaterThanOrEqual(3)
  // Every controller's admins and DPO, in the app and by email.
  for (const u of [adminA, dpoA, adminB]) {
    expect(
      await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, u.id), eq(notifications.refId, change.id))),
    ).toHaveLength(1)
    const [mail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, u.email!))
    expect(mail!.text).toContain('Scaleway TEM')
    expect(mail!.text).toContain('20 nov. 2026')
  }
  // Each organization sees it with its own deadline; Brevo stays in force until then.
  const viewA = await orgView(t.db, a.id)
  expect(viewA.changes[0]).toMatchObject({ id: change.id, name: 'Scaleway TEM', objectedAt: null })
  expect(viewA.changes[0]!.deadline.toISOString()).toBe('2026-11-20T22:59:59.999Z')
  expect(viewA.register.map((s) => s.name)).toContain('Sendinblue (Brevo)')
  expect(viewA.register.map((s) => s.name)).not.toContain('Scaleway TEM')

  // School A objects on the last day; school B too late.
  clock.set('2026-11-20T21:00:00Z')
  await objectToChange(t.db, { orgId: a.id, changeId: change.id, by: dpoA.id })
  await expect(objectToChange(t.db, { orgId: a.id, changeId: change.id, by: adminA.id })).rejects.toMatchObject({ code: 'retention.sub.already_objected' })
  clock.set('2026-11-20T23:00:01Z')
  await expect(objectToChange(t.db, { orgId: b.id, changeId: change.id, by: adminB.id })).rejects.toMatchObject({ code: 'retention.sub.window_closed' })

  const [entry] = await t.db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, a.id), eq(consentRecords.event, 'objection_recorded')))
  expect(entry).toMatchObject({ actorId: dpoA.id, purpose: 'subprocessor_change', details: { changeId: change.id } })
  expect((await verifyChain(t.db, a.id)).ok).toBe(true)

  const op = await operatorView(t.db)
  const mine = op.find((c) => c.id === change.id)!
  expect(mine.notified).toBe(organizations)
  expect(mine.objections).toEqual([expect.objectContaining({ orgId: a.id, orgName: 'École A', consentRecordId: entry!.id })])

  // After the window the replacement is in force.
  const reg = await currentRegister(t.db)
  expect(reg.map((s) => s.name)).toContain('Scaleway TEM')
  expect(reg.map((s) => s.name)).not.toContain('Sendinblue (Brevo)')
})

// Operator support access (Annex D; DESIGN §3.12): no access to an organization's learning data
// without an admin's grant (reason, ≤ 72 h); the grant in the consent log, each access during
// it and its end in the audit log; access ends on time with nobody acting.
import { subject as asSubject } from '@casl/ability'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents, consentRecords } from '../../drizzle/schema'
import { HOUR, MINUTE, useFakeClock } from '~/clock.server'
import { grantSupport, logEndedGrants, revokeSupport } from '~/privacy/support-access/grants.server'
import { activeGrants } from '~/permissions/support-access.server'
import { requireAbility } from '~/permissions/request.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { cookieFor } from './dsr-helpers'

const subject_ = (name: string, row: Record<string, unknown>) => asSubject(name, { ...row }) as never

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

test('no grant, no access; a 2-hour grant opens reading, logs each access, and ends by itself', async () => {
  clock = useFakeClock('2026-11-10T08:00:00Z')
  const org = await makeOrg(t.db)
  const other = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const operator = await makeAdult(t.db)
  process.env.CARNET_OPERATOR_IDS = operator.id
  const cookie = await cookieFor(t.db, operator)
  const ctxAt = (path: string) => requireAbility(new Request(`http://localhost${path}`, { headers: { cookie, 'user-agent': 'vitest' } }))
  const record = subject_('LearningRecord', { orgId: org.id, childId: child.id, classIds: [cls.id], published: true })
  const child_ = subject_('Child', { id: child.id, orgId: org.id, classIds: [cls.id] })

  expect((await ctxAt('/operator/breaches')).ability.can('read', record)).toBe(false)
  expect((await ctxAt('/operator/breaches')).ability.can('read', child_)).toBe(false)

  await expect(grantSupport(t.db, { orgId: org.id, by: admin.id, reason: 'Import bloqué', hours: 73 })).rejects.toMatchObject({ code: 'retention.support.hours_invalid' })
  await expect(grantSupport(t.db, { orgId: org.id, by: admin.id, reason: '', hours: 2 })).rejects.toMatchObject({ code: 'retention.support.reason_required' })
  const g = await grantSupport(t.db, { orgId: org.id, by: admin.id, reason: 'Import du fichier élèves bloqué', hours: 2 })
  expect(g.expiresAt.toISOString()).toBe('2026-11-10T10:00:00.000Z')
  // The grant is consent-log evidence (ids only).
  const [entry] = await t.db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, org.id), eq(consentRecords.event, 'support_access_granted')))
  expect(entry).toMatchObject({ actorId: admin.id, state: 'given', purpose: 'support' })

  const during = await ctxAt(`/org/${org.id}/support`)
  expect(during.ability.can('read', record)).toBe(true)
  expect(during.ability.can('read', child_)).toBe(true)
  expect(during.ability.can('update', child_)).toBe(false) // reading only
  expect(during.ability.can('read', subject_('Child', { id: 'x', orgId: other.id, classIds: [] }))).toBe(false)
  const accesses = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'support.access'), eq(auditEvents.actorId, operator.id)))
  expect(accesses).toHaveLength(1)
  expect(accesses[0]!.details).toMatchObject({ path: `/org/${org.id}/support` })

  // One minute before the end: still open. Past the end: closed, with nobody acting.
  clock.set('2026-11-10T09:59:00Z')
  expect((await ctxAt(`/org/${org.id}/support`)).ability.can('read', record)).toBe(true)
  clock.set('2026-11-10T10:00:01Z')
  expect((await ctxAt(`/org/${org.id}/support`)).ability.can('read', record)).toBe(false)
  expect(await activeGrants(t.db, [org.id])).toHaveLength(0)
  // The sweep writes the expiry once.
  expect(await logEndedGrants(t.db)).toEqual({ ended: 1 })
  expect(await logEndedGrants(t.db)).toEqual({ ended: 0 })
  const ends = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'support.expired'), eq(auditEvents.targetId, g.id)))
  expect(ends).toHaveLength(1)
  expect(ends[0]!.details).toMatchObject({ endedAt: '2026-11-10T10:00:00.000Z' })
})

test('an admin may end a grant early; one grant at a time', async () => {
  clock = useFakeClock('2026-11-10T08:00:00Z')
  const org = await makeOrg(t.db)
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const g = await grantSupport(t.db, { orgId: org.id, by: admin.id, reason: 'Question sur les résultats', hours: 72 })
  await expect(grantSupport(t.db, { orgId: org.id, by: admin.id, reason: 'Une autre', hours: 1 })).rejects.toMatchObject({ code: 'retention.support.already' })
  clock.advance(30 * MINUTE)
  await revokeSupport(t.db, { orgId: org.id, grantId: g.id, by: admin.id })
  expect(await activeGrants(t.db, [org.id])).toHaveLength(0)
  expect(await logEndedGrants(t.db)).toEqual({ ended: 1 })
  const [end] = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'support.ended'), eq(auditEvents.targetId, g.id)))
  expect(end).toBeTruthy()
  clock.advance(HOUR)
})

// Retention after contract end (GTCS §21.2, Annex B: 2 years): admins emailed 30 and 7 days
// before, then the organization erased by the jobs; during the retention period its admins
// may only see it, export, and ask for early deletion — nobody else may do anything.
import { subject as asSubject } from '@casl/ability'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, eq, like } from 'drizzle-orm'
import { classes, erasureTombstones, notifications, organizations, outboxMails, retentionNotices, users } from '../../drizzle/schema'
import { DAY, HOUR, useFakeClock } from '~/clock.server'
import { sweepErasures } from '~/privacy/erasure/run.server'
import { retentionEnd, sweepRetention } from '~/privacy/retention/contract-end.server'
import { requireAbility } from '~/permissions/request.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach } from '../helpers/factories'
import { cookieFor } from './dsr-helpers'

const subject_ = (name: string, row: Record<string, unknown>) => asSubject(name, { ...row }) as never

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir: string
let clock: ReturnType<typeof useFakeClock> | null = null
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-retention-'))
  process.env.DATA_DIR = dataDir
  t = await useTestDatabase()
})
afterAll(async () => {
  await dropTestDatabase(t.name)
  fs.rmSync(dataDir, { recursive: true, force: true })
})
afterEach(() => {
  clock?.restore()
  clock = null
})

const abilityOf = async (cookie: string) => (await requireAbility(new Request('http://localhost/org/x', { headers: { cookie } }))).ability

test('2 years after the subscription ends: notices 30 and 7 days before (once each), then the organization is erased', async () => {
  clock = useFakeClock('2026-06-30T22:00:00Z')
  const org = await makeOrg(t.db, 'school', 'École qui part')
  const bystander = await makeOrg(t.db, 'school', 'École qui reste')
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const admin2 = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  await t.db
    .update(organizations)
    .set({ subscriptionEndsAt: new Date('2026-06-30T22:00:00Z') })
    .where(eq(organizations.id, org.id))
  const erasureAt = retentionEnd(new Date('2026-06-30T22:00:00Z'))
  expect(erasureAt.toISOString()).toBe('2028-06-30T22:00:00.000Z')

  // One year in: nothing to do.
  clock.set('2027-07-01T00:00:00Z')
  expect(await sweepRetention(t.db)).toMatchObject({ notices: 0, deletionsRequested: 0 })

  // 31 days before: still nothing; 30 days before: the first notice, to every admin, once.
  clock.set(new Date(erasureAt.getTime() - 31 * DAY))
  expect((await sweepRetention(t.db)).notices).toBe(0)
  clock.set(new Date(erasureAt.getTime() - 30 * DAY + HOUR))
  expect((await sweepRetention(t.db)).notices).toBe(1)
  expect((await sweepRetention(t.db)).notices).toBe(0)
  const mails30 = await t.db.select().from(outboxMails).where(like(outboxMails.subject, '%École qui part%'))
  expect(mails30.map((m) => m.to).sort()).toEqual([admin.email, admin2.email].sort())
  expect(mails30[0]!.subject).toContain('30')
  expect(mails30[0]!.text).toContain(`/org/${org.id}/privacy`)
  expect(await t.db.select().from(notifications).where(eq(notifications.kind, 'retention.days_30'))).toHaveLength(2)

  // 7 days before: the second notice.
  clock.set(new Date(erasureAt.getTime() - 7 * DAY + HOUR))
  expect((await sweepRetention(t.db)).notices).toBe(1)
  const notices = await t.db.select().from(retentionNotices).where(eq(retentionNotices.orgId, org.id))
  expect(notices.map((n) => n.kind).sort()).toEqual(['days_30', 'days_7'])
  expect(notices.every((n) => n.recipients === 2)).toBe(true)
  const mails7 = (await t.db.select().from(outboxMails).where(like(outboxMails.subject, '%École qui part%'))).filter((m) => !mails30.some((x) => x.id === m.id))
  expect(mails7).toHaveLength(2)
  expect(mails7[0]!.subject).toMatch(/\b7\b/)

  // Still there the day before.
  clock.set(new Date(erasureAt.getTime() - HOUR))
  expect((await sweepRetention(t.db)).deletionsRequested).toBe(0)

  // The end: the deletion is requested, and the erasure sweep carries it out.
  clock.set(new Date(erasureAt.getTime() + HOUR))
  const out = await sweepRetention(t.db)
  expect(out.deletionsRequested).toBe(1)
  await sweepErasures(t.db)
  expect(await t.db.select().from(organizations).where(eq(organizations.id, org.id))).toHaveLength(0)
  expect(await t.db.select().from(users).where(eq(users.id, child.id))).toHaveLength(0)
  expect(await t.db.select().from(classes).where(eq(classes.orgId, org.id))).toHaveLength(0)
  const [tomb] = await t.db
    .select()
    .from(erasureTombstones)
    .where(and(eq(erasureTombstones.orgId, org.id), eq(erasureTombstones.scope, 'organization')))
  expect(tomb!.requestedByRole).toBe('contract_end')
  expect(tomb!.late).toBe(false)
  // The other school is untouched; a second run finds nothing.
  expect(await t.db.select().from(organizations).where(eq(organizations.id, bystander.id))).toHaveLength(1)
  expect((await sweepRetention(t.db)).inRetention).toBe(0)
})

test('during the retention period admins may only see the organization, export and ask for early deletion; teachers nothing', async () => {
  const org = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  await teach(t.db, { orgId: org.id, classId: cls.id, userId: teacher.id })
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  const adminCookie = await cookieFor(t.db, admin)
  const teacherCookie = await cookieFor(t.db, teacher)
  const cls_ = subject_('Class', { id: cls.id, orgId: org.id })
  const child_ = subject_('Child', { id: child.id, orgId: org.id, classIds: [cls.id] })

  // Before: the usual rights.
  expect((await abilityOf(adminCookie)).can('update', cls_)).toBe(true)
  expect((await abilityOf(teacherCookie)).can('read', child_)).toBe(true)

  await t.db
    .update(organizations)
    .set({ subscriptionEndsAt: new Date(Date.now() - DAY) })
    .where(eq(organizations.id, org.id))
  const a = await abilityOf(adminCookie)
  expect(a.can('read', subject_('Organization', { id: org.id }))).toBe(true)
  expect(a.can('export', subject_('LearningRecord', { orgId: org.id, classIds: [cls.id] }))).toBe(true)
  expect(a.can('delete', subject_('Organization', { id: org.id }))).toBe(true)
  expect(a.can('update', cls_)).toBe(false)
  expect(a.can('create', subject_('Invitation', { orgId: org.id }))).toBe(false)
  expect(a.can('read', child_)).toBe(false)
  const tch = await abilityOf(teacherCookie)
  expect(tch.can('read', child_)).toBe(false)
  expect(tch.can('read', subject_('Organization', { id: org.id }))).toBe(false)
  // Reactivated: everything back.
  await t.db.update(organizations).set({ subscriptionEndsAt: null }).where(eq(organizations.id, org.id))
  expect((await abilityOf(adminCookie)).can('update', cls_)).toBe(true)
})

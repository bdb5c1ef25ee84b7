// Rights requests against the clock: forwarded to the school within 48 hours by the BullMQ job
// (and flagged when not), the one-month answer deadline (calendar month), one extension, and
// the reminders — all on a fake clock.
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, desc, eq } from 'drizzle-orm'
import { auditEvents, notifications, outboxMails, rightsRequestEvents, rightsRequests } from '../../drizzle/schema'
import { DAY, HOUR, MINUTE, useFakeClock } from '~/clock.server'
import { fromParis } from '~/compliance/calendar.server'
import { deadlinesFor, extendedDue, urgency } from '~/privacy/rights-requests/deadlines.server'
import { closeRequest, extendDeadline } from '~/privacy/rights-requests/handling.server'
import { createReceivedRequest, submitPublicRequest, verifyRequestEmail } from '~/privacy/rights-requests/intake.server'
import { sweepForwarding } from '~/privacy/rights-requests/forwarding.server'
import { startWorkers, type WorkersHandle } from '../../workers/runtime.server'
import { dsrForwardJob } from '../../workers/jobs/dsr-forward.server'
import { enqueueDsrForward } from '~/privacy/rights-requests/jobs.server'
import { dsrSweepJob } from '../../workers/jobs/dsr-sweep.server'
import { dsrRemindersJob } from '../../workers/jobs/dsr-reminders.server'
import { runJob } from '../../app/queue/job.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

process.env.CARNET_QUEUE_PREFIX = `carnet-test-${randomBytes(4).toString('hex')}`
delete process.env.REDIS_URL // the PostgreSQL backend, on this file's own database

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
let workers: WorkersHandle | null = null
const quiet = { info() {}, warn() {}, error() {} }
const origin = { ip: '198.51.100.4', userAgent: 'vitest' }

beforeAll(async () => {
  t = await useTestDatabase()
})
afterEach(async () => {
  await workers?.stop()
  workers = null
  clock?.restore()
  clock = null
})
afterAll(() => dropTestDatabase(t.name))

async function school(opts: { withContacts?: boolean } = {}) {
  const org = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Zoé', lastName: 'Müller', birthDate: '2017-03-14' })
  const dpo = opts.withContacts === false ? null : await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const admin = opts.withContacts === false ? null : await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  return { org, cls, child, dpo, admin }
}

const inApp = (orgId: string, subjectId: string, receivedAt: Date, email = 'parent@example.org') =>
  createReceivedRequest(t.db, {
    orgId,
    kind: 'access',
    channel: 'in_app',
    subjectId,
    subjectName: null,
    requesterEmail: email,
    requesterName: 'Julie Martin',
    relation: 'guardian',
    message: null,
    lang: 'fr',
    receivedAt,
    actorId: subjectId,
    origin,
  })

const reload = async (id: string) => (await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, id)))[0]!
const mailsTo = (to: string) => t.db.select().from(outboxMails).where(eq(outboxMails.to, to)).orderBy(desc(outboxMails.createdAt))

test('one calendar month, counted in Paris time: 15 Jan → 15 Feb, 31 Jan → 28/29 Feb; one extension of at most two months', () => {
  const at = (y: number, m: number, d: number, h = 10) => fromParis(y, m, d, h)
  const endOf = (y: number, m: number, d: number) => fromParis(y, m, d, 23, 59, 59, 999)
  expect(deadlinesFor(at(2027, 1, 15)).dueAt).toEqual(endOf(2027, 2, 15))
  expect(deadlinesFor(at(2027, 1, 31)).dueAt).toEqual(endOf(2027, 2, 28))
  expect(deadlinesFor(at(2028, 1, 31)).dueAt).toEqual(endOf(2028, 2, 29))
  expect(deadlinesFor(at(2027, 3, 31)).dueAt).toEqual(endOf(2027, 4, 30))
  expect(deadlinesFor(at(2027, 12, 20)).dueAt).toEqual(endOf(2028, 1, 20))
  // Late evening in Paris is already the next day in UTC-less arithmetic: still counted in Paris.
  expect(deadlinesFor(fromParis(2027, 1, 31, 23, 30)).dueAt).toEqual(endOf(2027, 2, 28))
  expect(deadlinesFor(at(2027, 1, 31)).forwardDueAt).toEqual(new Date(at(2027, 1, 31).getTime() + 48 * HOUR))
  expect(extendedDue(at(2027, 1, 31), 2)).toEqual(endOf(2027, 4, 30))
  expect(extendedDue(at(2027, 1, 15), 1)).toEqual(endOf(2027, 3, 15))
  expect(() => extendedDue(at(2027, 1, 15), 3)).toThrow(RangeError)
})

test('a verified public-form request is forwarded by the BullMQ job to the DPO and admins (app + email), with a receipt, well within 48 h', async () => {
  clock = useFakeClock('2027-01-31T09:00:00Z')
  const s = await school()
  const req = await submitPublicRequest(t.db, {
    orgId: s.org.id,
    kind: 'access',
    relation: 'guardian',
    requesterName: 'Julie Martin',
    requesterEmail: 'julie.martin@example.org',
    subjectFirstName: 'Zoe',
    subjectLastName: 'Muller',
    subjectBirthDate: '2017-03-14',
    message: null,
    lang: 'fr',
    origin,
  })
  expect(req).toMatchObject({ status: 'awaiting_verification', receivedAt: null, subjectId: s.child.id })
  const code = /(\d{6})/.exec((await mailsTo('julie.martin@example.org'))[0]!.text)![1]!
  clock.advance(5 * MINUTE)
  const { request } = await verifyRequestEmail(t.db, { id: req.id, code, origin })
  expect(request.receivedAt).toEqual(new Date('2027-01-31T09:05:00Z'))
  expect(request.dueAt).toEqual(fromParis(2027, 2, 28, 23, 59, 59, 999))

  workers = await startWorkers({ log: quiet, jobs: [dsrForwardJob] })
  await enqueueDsrForward(req.id, quiet)
  const until = Date.now() + 20_000
  while (!(await reload(req.id)).forwardedAt && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
  const r = await reload(req.id)
  expect(r.status).toBe('forwarded')
  expect(r.forwardedAt!.getTime() - r.receivedAt!.getTime()).toBeLessThan(48 * HOUR)
  expect(r.forwardOverdueAt).toBeNull()
  for (const who of [s.dpo!, s.admin!]) {
    expect(
      await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, who.id), eq(notifications.refId, req.id))),
    ).toHaveLength(1)
    const [mail] = await mailsTo(who.email!)
    expect(mail!.subject).toContain(req.reference)
    expect(mail!.text).toContain(`/org/${s.org.id}/dpo/requests/${req.id}`)
  }
  const [receipt] = await mailsTo('julie.martin@example.org')
  expect(receipt!.subject).toMatch(/Accusé de réception/)
  expect(receipt!.text).toContain('28 févr. 2027')
  // A second run (a retried or duplicated job, or the sweep) changes nothing.
  await workers.stop()
  workers = null
  await runJob(dsrForwardJob, { requestId: req.id }, { log: quiet, jobId: undefined, attempt: 2 })
  clock.advance(49 * HOUR)
  expect(await runJob(dsrSweepJob, {}, { log: quiet, jobId: undefined, attempt: 1 })).toMatchObject({ flaggedOverdue: 0, forwarded: 0 })
  expect(await mailsTo(s.dpo!.email!)).toHaveLength(1)
})

test('not forwarded within 48 h (nobody to forward to): flagged overdue by the sweep, audited, and the flag stays once forwarded late', async () => {
  clock = useFakeClock('2027-03-01T08:00:00Z')
  const s = await school({ withContacts: false })
  const req = await inApp(s.org.id, s.child.id, new Date('2027-03-01T08:00:00Z'))
  clock.advance(2 * MINUTE)
  expect(await sweepForwarding(t.db, quiet)).toMatchObject({ flaggedOverdue: 0, forwarded: 0 })
  clock.set('2027-03-03T07:59:00Z') // 47 h 59 min
  await sweepForwarding(t.db, quiet)
  expect((await reload(req.id)).forwardOverdueAt).toBeNull()
  clock.set('2027-03-03T08:00:01Z')
  expect(await sweepForwarding(t.db, quiet)).toMatchObject({ flaggedOverdue: 1, forwarded: 0 })
  expect((await reload(req.id)).forwardOverdueAt).toEqual(new Date('2027-03-03T08:00:01Z'))
  expect(
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'dsr.forward_overdue'), eq(auditEvents.targetId, req.id))),
  ).toMatchObject([{ outcome: 'failure' }])
  expect(urgency(await reload(req.id), new Date())).toBe('on_time') // the answer deadline is another clock

  // A DPO arrives; the next sweep forwards — late, and it says so.
  const dpo = await makeAdult(t.db, { orgId: s.org.id, role: 'dpo' })
  clock.advance(MINUTE)
  expect(await sweepForwarding(t.db, quiet)).toMatchObject({ flaggedOverdue: 0, forwarded: 1 })
  const r = await reload(req.id)
  expect(r.status).toBe('forwarded')
  expect(r.forwardOverdueAt).not.toBeNull()
  const [ev] = await t.db
    .select()
    .from(rightsRequestEvents)
    .where(and(eq(rightsRequestEvents.requestId, req.id), eq(rightsRequestEvents.kind, 'forwarded')))
  expect(ev!.details).toMatchObject({ late: true })
  expect(await mailsTo(dpo.email!)).toHaveLength(1)
})

test('a request the operator logs two days late is flagged at once and forwarded by the same sweep', async () => {
  clock = useFakeClock('2027-05-10T10:00:00Z')
  const s = await school()
  const req = await createReceivedRequest(t.db, {
    orgId: s.org.id,
    kind: 'erasure',
    channel: 'operator_log',
    subjectId: null,
    subjectName: 'Zoé Müller',
    requesterEmail: 'courrier@example.org',
    requesterName: 'M. Martin',
    relation: 'guardian',
    message: 'Lettre du 5 mai',
    lang: 'fr',
    receivedAt: new Date('2027-05-07T09:00:00Z'),
    loggedBy: s.admin!.id,
    actorId: s.admin!.id,
    origin,
    how: 'post',
  })
  expect(await runJob(dsrSweepJob, {}, { log: quiet, jobId: undefined, attempt: 1 })).toMatchObject({ flaggedOverdue: 1, forwarded: 1 })
  const r = await reload(req.id)
  expect(r).toMatchObject({ status: 'forwarded' })
  expect(r.forwardOverdueAt).not.toBeNull()
})

test('one extension, announced within the first month with its reason; never twice', async () => {
  clock = useFakeClock('2027-01-31T10:00:00Z')
  const s = await school()
  const req = await inApp(s.org.id, s.child.id, new Date('2027-01-31T10:00:00Z'), 'ext@example.org')
  const a = { orgId: s.org.id, requestId: req.id, actorId: s.dpo!.id, origin }
  clock.set('2027-02-20T10:00:00Z')
  await expect(extendDeadline(t.db, { ...a, months: 2, reason: 'court' })).rejects.toMatchObject({ code: 'dsr.extend.reason_required' })
  const row = await extendDeadline(t.db, { ...a, months: 2, reason: 'Données réparties sur trois années scolaires à rassembler.' })
  expect(row.extendedDueAt).toEqual(fromParis(2027, 4, 30, 23, 59, 59, 999))
  const [mail] = await mailsTo('ext@example.org')
  expect(mail!.subject).toMatch(/prolongé/)
  expect(mail!.text).toContain('Données réparties sur trois années scolaires')
  expect(mail!.text).toContain('30 avr. 2027')
  await expect(extendDeadline(t.db, { ...a, months: 1, reason: 'Une seconde prolongation demandée.' })).rejects.toMatchObject({ code: 'dsr.extend.once' })

  const late = await inApp(s.org.id, s.child.id, new Date('2027-02-20T10:00:00Z'))
  clock.set('2027-03-21T00:00:00Z') // past 20 March 23:59:59
  await expect(extendDeadline(t.db, { ...a, requestId: late.id, months: 2, reason: 'Annoncée après le premier mois.' })).rejects.toMatchObject({ code: 'dsr.extend.too_late' })
})

test('reminders: once when nearly due (7 days), then overdue and weekly; none once closed', async () => {
  clock = useFakeClock('2027-01-31T10:00:00Z')
  const s = await school()
  const req = await inApp(s.org.id, s.child.id, new Date('2027-01-31T10:00:00Z'), 'remind@example.org') // due 28 Feb
  const reminders = async () => (await mailsTo(s.dpo!.email!)).filter((m) => /Rappel|En retard/.test(m.subject))
  const run = () => runJob(dsrRemindersJob, {}, { log: quiet, jobId: undefined, attempt: 1 })

  clock.set('2027-02-20T12:00:00Z')
  await run()
  expect(await reminders()).toHaveLength(0)
  clock.set('2027-02-22T12:00:00Z') // 6.5 days left
  await run()
  await run()
  expect((await reminders()).map((m) => m.subject)).toEqual([`Rappel : demande ${req.reference} à traiter avant le 28 févr. 2027`])
  expect(await mailsTo(s.admin!.email!)).toHaveLength(1)
  expect(urgency(await reload(req.id), new Date('2027-02-22T12:00:00Z'))).toBe('nearly_due')

  clock.set('2027-03-01T09:00:00Z')
  await run()
  await run()
  expect((await reminders())[0]!.subject).toMatch(/^En retard : demande/)
  expect(await reminders()).toHaveLength(2)
  expect(urgency(await reload(req.id), new Date('2027-03-01T09:00:00Z'))).toBe('overdue')
  clock.set('2027-03-05T09:00:00Z')
  await run()
  expect(await reminders()).toHaveLength(2)
  clock.set('2027-03-08T09:00:01Z')
  await run()
  expect(await reminders()).toHaveLength(3)

  await closeRequest(t.db, { orgId: s.org.id, requestId: req.id, actorId: s.dpo!.id, origin, outcome: 'fulfilled', note: 'Dossier envoyé.' })
  clock.advance(8 * DAY)
  await run()
  expect(await reminders()).toHaveLength(3)
  const events = await t.db.select().from(rightsRequestEvents).where(eq(rightsRequestEvents.requestId, req.id))
  expect(events.filter((e) => e.kind.startsWith('reminder_')).map((e) => e.kind)).toEqual(['reminder_due_soon', 'reminder_overdue', 'reminder_overdue'])
})

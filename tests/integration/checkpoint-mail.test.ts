// Checkpoints leave Carnet (ADR 015): once a week each organization's DPO receives the latest
// signed checkpoint as a JSON attachment; without a DPO its administrators do, and the mail says
// why. Once per organization and week, however often the job runs.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, eq, inArray } from 'drizzle-orm'
import { auditEvents, checkpointMailings, outboxMails } from '../../drizzle/schema'
import { DAY, HOUR, useFakeClock } from '~/clock.server'
import { appendConsent } from '~/compliance/consent-log.server'
import { verifyHeldCheckpoint, writeCheckpoint } from '~/compliance/checkpoints.server'
import { signingKey } from '~/compliance/signing-key.server'
import { outboxAttachments } from '~/mail/outbox.server'
import { weekOf } from '~/privacy/consent/checkpoint-mail.server'
import { runJob } from '../../app/queue/job.server'
import { checkpointMailJob } from '../../workers/jobs/checkpoint-mail.server'
import { jobs } from '../../workers/registry.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
beforeAll(async () => {
  delete process.env.SMTP_URL // the outbox: what would be sent, readable here
  t = await useTestDatabase()
})
afterEach(() => {
  clock?.restore()
  clock = null
})
afterAll(() => dropTestDatabase(t.name))

const quiet = { info() {}, warn() {}, error() {} }
const run = () => runJob(checkpointMailJob, {}, { log: quiet, jobId: undefined, attempt: 1 })
const mailsTo = (emails: string[]) => t.db.select().from(outboxMails).where(inArray(outboxMails.to, emails))

async function school(opts: { dpo: boolean }) {
  const org = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  const dpo = opts.dpo ? await makeAdult(t.db, { orgId: org.id, role: 'dpo' }) : null
  for (let i = 0; i < 3; i++) await appendConsent(t.db, { orgId: org.id, event: 'authorisation_obtained', state: 'given', subjectId: child.id, method: 'paper_form' })
  return { org, child, admin, teacher, dpo }
}

test('weekOf: the Monday (UTC) of the ISO week', () => {
  expect(weekOf(new Date('2027-03-08T00:00:00Z'))).toBe('2027-03-08') // Monday
  expect(weekOf(new Date('2027-03-14T23:59:59Z'))).toBe('2027-03-08') // Sunday
  expect(weekOf(new Date('2027-03-15T00:00:00Z'))).toBe('2027-03-15')
  expect(weekOf(new Date('2027-01-01T12:00:00Z'))).toBe('2026-12-28') // a Friday across the year
})

test('the DPO receives the signed checkpoint as a JSON attachment that verifies; once a week however often the job runs', async () => {
  expect(jobs.map((j) => j.name)).toContain('checkpoint-mail')
  clock = useFakeClock('2027-03-08T06:00:00Z')
  const s = await school({ dpo: true })
  await run()
  const first = await mailsTo([s.dpo!.email!, s.admin.email!, s.teacher.email!])
  expect(first.map((m) => m.to)).toEqual([s.dpo!.email]) // the DPO only, not the admin or the teacher
  const mail = first[0]!
  expect(mail.subject).toContain('point de contrôle signé')
  expect(mail.text).toContain('entrée n° 3')
  expect(mail.text).toContain(signingKey().fingerprint.slice(0, 4))
  expect(mail.text).not.toContain('aucun membre')
  const [file] = outboxAttachments(mail)
  expect(file).toMatchObject({ contentType: 'application/json', filename: expect.stringMatching(/^carnet-checkpoint-3-2027-03-08\.json$/) })
  const held = JSON.parse(file!.content.toString('utf8'))
  expect(held).toMatchObject({ algorithm: 'Ed25519', seq: 3, publicKeyFingerprint: signingKey().fingerprint })
  expect(await verifyHeldCheckpoint(t.db, s.org.id, held)).toMatchObject({ ok: true, seq: 3 })

  // Later the same week, even with new entries: nothing more.
  await appendConsent(t.db, { orgId: s.org.id, event: 'authorisation_withdrawn', state: 'withdrawn', subjectId: s.child.id, method: 'email' })
  clock.advance(HOUR)
  await run()
  clock.advance(3 * DAY)
  await run()
  expect(await mailsTo([s.dpo!.email!])).toHaveLength(1)
  const claims = await t.db.select().from(checkpointMailings).where(eq(checkpointMailings.orgId, s.org.id))
  expect(claims).toMatchObject([{ week: '2027-03-08', recipients: 1, toAdmins: false }])

  // Next week: the new head, signed and mailed.
  clock.set('2027-03-15T06:00:00Z')
  await run()
  const all = await mailsTo([s.dpo!.email!])
  expect(all).toHaveLength(2)
  const latest = all.find((m) => m.id !== mail.id)!
  expect(JSON.parse(outboxAttachments(latest)[0]!.content.toString('utf8'))).toMatchObject({ seq: 4 })
  const audits = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, s.org.id), eq(auditEvents.action, 'consent_log.checkpoint_mailed')))
  expect(audits).toHaveLength(2)
})

test('without a DPO, the administrators receive it and the mail says why', async () => {
  clock = useFakeClock('2027-04-05T06:00:00Z')
  const s = await school({ dpo: false })
  await run()
  const mails = await mailsTo([s.admin.email!, s.teacher.email!])
  expect(mails.map((m) => m.to)).toEqual([s.admin.email])
  expect(mails[0]!.text).toContain("aucun membre n'y a le rôle de DPO")
  expect(outboxAttachments(mails[0]!)).toHaveLength(1)
  const [claim] = await t.db.select().from(checkpointMailings).where(eq(checkpointMailings.orgId, s.org.id))
  expect(claim).toMatchObject({ toAdmins: true, recipients: 1 })
})

test('two workers running the job at once send one mail', async () => {
  clock = useFakeClock('2027-05-03T06:00:00Z')
  const s = await school({ dpo: true })
  await Promise.all([run(), run(), run()])
  expect(await mailsTo([s.dpo!.email!])).toHaveLength(1)
})

test('a broken chain: the mail warns the DPO and carries the last valid checkpoint; nobody to mail is audited', async () => {
  clock = useFakeClock('2027-06-07T06:00:00Z')
  const s = await school({ dpo: true })
  await writeCheckpoint(t.db, s.org.id) // #3, signed before the tampering
  await appendConsent(t.db, { orgId: s.org.id, event: 'authorisation_withdrawn', state: 'withdrawn', subjectId: s.child.id, method: 'email' })
  await t.owner`alter table consent_records disable trigger consent_records_append_only`
  await t.owner`update consent_records set method = 'forged' where org_id = ${s.org.id} and seq = 4`
  await t.owner`alter table consent_records enable trigger consent_records_append_only`
  await run()
  const [mail] = await mailsTo([s.dpo!.email!])
  expect(mail!.text).toMatch(/^ATTENTION : la chaîne du journal est rompue à l'entrée n° 4/)
  expect(JSON.parse(outboxAttachments(mail!)[0]!.content.toString('utf8'))).toMatchObject({ seq: 3 })

  // An organization with a log but no DPO and no administrator: no mail, and the DPO's absence is on record.
  const lonely = await makeOrg(t.db)
  await appendConsent(t.db, { orgId: lonely.id, event: 'guardians_informed', state: 'recorded', method: 'letter' })
  await run()
  const skipped = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, lonely.id), eq(auditEvents.action, 'consent_log.checkpoint_mail_skipped')))
  expect(skipped).toMatchObject([{ outcome: 'failure', details: { reason: 'no_recipient' } }])
  expect(await t.db.select().from(checkpointMailings).where(eq(checkpointMailings.orgId, lonely.id))).toHaveLength(0)
})

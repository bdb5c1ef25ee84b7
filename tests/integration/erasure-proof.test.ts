// Proof of erasure (issue 13 §2): whoever asked — the person, a guardian, an admin, a rights
// request's requester — gets, in their language, a notice in the app and a mail through the
// outbox saying what was erased, when, what was kept and why, and the tombstone's reference;
// for a child, the other guardians of a family space and the school's admins and DPO are told
// too. The erased person's own address is captured before the erasure and forgotten once the
// mail is delivered. A retried erasure sends nothing twice.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, eq, sql } from 'drizzle-orm'
import { auditEvents, erasureTombstones, guardianLinks, notifications, outboxMails, rightsRequests, users } from '../../drizzle/schema'
import { DAY, now } from '~/clock.server'
import { t as translate } from '~/i18n'
import { deliverMails } from '~/mail/delivery.server'
import { requestDeletion } from '~/privacy/erasure/requests.server'
import { runDeletion, sweepErasures } from '~/privacy/erasure/run.server'
import { evidenceLabelKey, evidenceTables } from '~/privacy/erasure/proof.server'
import { createReceivedRequest } from '~/privacy/rights-requests/intake.server'
import { markErasurePending, verifyIdentity } from '~/privacy/rights-requests/handling.server'
import * as home from '~/routes/home'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { cookieFor, get, post } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
const origin = { ip: '203.0.113.8', userAgent: 'vitest' }
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

const mailsTo = (to: string) => t.db.select().from(outboxMails).where(eq(outboxMails.to, to))
const noticesOf = (userId: string) =>
  t.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.refType, 'erasure_tombstone')))
const tombstoneOf = async (requestId: string) => (await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, requestId)))[0]!

async function link(orgId: string, childId: string, guardianId: string) {
  await t.db.insert(guardianLinks).values({ orgId, childId, guardianId, legalStatus: 'parent', canGiveConsent: true, startedAt: new Date(now().getTime() - DAY), createdAt: now() })
}

/** A school child with results, two admins, a DPO, a teacher and a linked guardian. */
async function school() {
  const org = await makeOrg(t.db, 'school')
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const admin2 = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  const guardian = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
  await link(org.id, child.id, guardian.id)
  return { org, child, admin, admin2, dpo, teacher, guardian }
}

describe('proof of erasure', () => {
  test('self-erasure: a mail to the address captured before the erasure, in their language, with the tombstone reference; forgotten once delivered', async () => {
    const org = await makeOrg(t.db, 'school')
    const me = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
    await t.db.update(users).set({ locale: 'en' }).where(eq(users.id, me.id))
    const req = await requestDeletion(t.db, { subjectId: me.id, orgId: null, requestedBy: me.id, role: 'self', reason: 'own_request' })
    expect((await runDeletion(t.db, req.id)).status).toBe('erased')
    expect(await t.db.select().from(users).where(eq(users.id, me.id))).toHaveLength(0)
    const tomb = await tombstoneOf(req.id)
    const [mail, ...more] = await mailsTo(me.email!)
    expect(more).toHaveLength(0)
    expect(mail!.subject).toBe(translate('en', 'retention.proof.title', { reference: tomb.id }))
    expect(mail!.text).toContain('The erasure you asked for is complete.')
    expect(mail!.text).toContain('What is kept, and why:')
    expect(mail!.text).toContain(translate('en', 'retention.proof.evidence.consent_records'))
    expect(mail!.text).toContain(tomb.id)
    expect(mail!.text).not.toMatch(/effac|Bonjour/)
    // No table name in the words a person reads.
    expect(mail!.text).not.toMatch(/erasure_tombstones|audit_events|consent_records|outbox_mails/)
    expect(mail!.eraseAfterSending).toBe(true)
    // No in-app notice for an account that no longer exists.
    expect(await noticesOf(me.id)).toHaveLength(0)
    // Retried: nothing sent twice.
    expect(await runDeletion(t.db, req.id)).toEqual({ status: 'skipped', reason: 'done' })
    expect(await mailsTo(me.email!)).toHaveLength(1)
    // Delivered: the erased address is gone from the outbox too.
    expect(await deliverMails(t.db, [mail!.id])).toMatchObject({ sent: 1 })
    expect(await mailsTo(me.email!)).toHaveLength(0)
    const [hits] = (await t.db.execute(sql`select count(*)::int as n from outbox_mails where strpos(lower("to"), lower(${me.email!})) > 0`)) as unknown as { n: number }[]
    expect(hits!.n).toBe(0)
  })

  test('family child erased by the family administrator: they get the notice in the app and by mail, the other guardian is told too; the notice is dismissed by its addressee only', async () => {
    const family = await makeOrg(t.db, 'family', `Famille ${Date.now()}`)
    const cls = await makeClass(t.db, family.id)
    const child = await makeChild(t.db, { orgId: family.id, classId: cls.id })
    const parent = await makeAdult(t.db, { orgId: family.id, role: 'admin' })
    const other = await makeAdult(t.db, { orgId: family.id, role: 'guardian' })
    await t.db.update(users).set({ locale: 'en' }).where(eq(users.id, other.id))
    await link(family.id, child.id, parent.id)
    await link(family.id, child.id, other.id)
    const req = await requestDeletion(t.db, { subjectId: child.id, orgId: family.id, requestedBy: parent.id, role: 'guardian', reason: 'guardian_request' })
    await runDeletion(t.db, req.id)
    const tomb = await tombstoneOf(req.id)
    expect(await noticesOf(parent.id)).toMatchObject([{ kind: 'erasure.proof.requester', refId: tomb.id, orgId: family.id, readAt: null }])
    expect(await noticesOf(other.id)).toMatchObject([{ kind: 'erasure.proof.guardian', refId: tomb.id, orgId: family.id }])
    const [toParent] = await mailsTo(parent.email!)
    expect(toParent!.subject).toBe(translate('fr', 'retention.proof.title', { reference: tomb.id }))
    expect(toParent!.text).toContain("L'effacement que vous avez demandé est terminé.")
    const [toOther] = await mailsTo(other.email!)
    expect(toOther!.text).toContain(`family space ${family.name}`)
    expect(toOther!.text).toContain(tomb.id)

    // In the app: the home page shows it in words, with the reference, until dismissed.
    const cookie = await cookieFor(t.db, parent)
    const view = await get(home.loader, '/home', {}, cookie)
    expect(view.notices).toHaveLength(1)
    expect(view.notices[0]).toMatchObject({ reference: tomb.id, title: translate('fr', 'retention.proof.title', { reference: tomb.id }) })
    expect(view.notices[0].kept.join(' ')).toContain(translate('fr', 'retention.proof.evidence.audit_events'))
    const noticeId = view.notices[0].id
    // Someone else cannot dismiss it: refused and audited.
    const denied = await post(home.action, '/home', {}, await cookieFor(t.db, other), { intent: 'dismiss-notice', noticeId })
    expect((denied as Response).status).toBe(403)
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, other.id)))
    expect(audit).toBeTruthy()
    expect((await get(home.loader, '/home', {}, cookie)).notices).toHaveLength(1)
    expect(await post(home.action, '/home', {}, cookie, { intent: 'dismiss-notice', noticeId })).toMatchObject({ status: 'success' })
    expect((await get(home.loader, '/home', {}, cookie)).notices).toHaveLength(0)
    // The other guardian still has theirs, in English.
    const theirs = await get(home.loader, '/home', {}, await cookieFor(t.db, other))
    expect(theirs.notices[0].intro).toContain('another of the child')
  })

  test("an admin's erasure of a school child: the admin, the school's other admins and its DPO are told; the teacher and the guardian are not", async () => {
    const s = await school()
    const req = await requestDeletion(t.db, { subjectId: s.child.id, orgId: s.org.id, requestedBy: s.admin.id, role: 'admin', reason: 'admin_request' })
    await runDeletion(t.db, req.id)
    const tomb = await tombstoneOf(req.id)
    expect(await noticesOf(s.admin.id)).toMatchObject([{ kind: 'erasure.proof.requester', refId: tomb.id }])
    expect(await noticesOf(s.admin2.id)).toMatchObject([{ kind: 'erasure.proof.school', refId: tomb.id }])
    expect(await noticesOf(s.dpo.id)).toMatchObject([{ kind: 'erasure.proof.school', refId: tomb.id }])
    expect(await noticesOf(s.teacher.id)).toHaveLength(0)
    expect(await noticesOf(s.guardian.id)).toHaveLength(0)
    for (const u of [s.admin, s.admin2, s.dpo]) expect(await mailsTo(u.email!), u.email!).toHaveLength(1)
    const [toDpo] = await mailsTo(s.dpo.email!)
    expect(toDpo!.text).toContain(`Un élève de l'établissement « ${s.org.name} » a été effacé`)
    // What was erased, generated from the tombstone's tables: in categories, never table names.
    expect(toDpo!.text).toContain(translate('fr', 'dsr.category.identification').toLowerCase())
    expect(await mailsTo(s.teacher.email!)).toHaveLength(0)
    const [proofAudit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'erasure.proof_sent'), eq(auditEvents.targetId, tomb.id)))
    expect(proofAudit!.details).toEqual({ requester: 1, guardian: 0, school: 2 })
  })

  test('a rights-request erasure: the requester gets the proof (one mail, naming the request), in the app too; the request closes with the tombstone', async () => {
    const s = await school()
    const req = await createReceivedRequest(t.db, {
      orgId: s.org.id,
      kind: 'erasure',
      channel: 'in_app',
      subjectId: s.child.id,
      subjectName: null,
      requesterEmail: s.guardian.email!,
      requesterName: 'Parent',
      requesterUserId: s.guardian.id,
      relation: 'guardian',
      message: null,
      lang: 'en',
      receivedAt: now(),
      actorId: s.guardian.id,
      origin,
    })
    const actor = { orgId: s.org.id, requestId: req.id, actorId: s.dpo.id, origin }
    await verifyIdentity(t.db, { ...actor, method: 'known_account', note: null })
    await markErasurePending(t.db, actor)
    const out = await sweepErasures(t.db, { warn: () => {} })
    expect(out).toMatchObject({ takenOver: 1, erased: 1 })
    const [closed] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, req.id))
    expect(closed).toMatchObject({ status: 'closed', outcome: 'fulfilled' })
    const tombId = closed!.subjectErasureId!
    const mails = await mailsTo(s.guardian.email!)
    expect(mails).toHaveLength(1)
    expect(mails[0]!.subject).toBe(translate('en', 'retention.proof.title', { reference: tombId }))
    expect(mails[0]!.text).toContain(translate('en', 'retention.proof.intro_request', { reference: req.reference }))
    expect(await noticesOf(s.guardian.id)).toMatchObject([{ kind: 'erasure.proof.requester', refId: tombId }])
    // The school is told as well (the DPO who marked it, and the admins).
    expect(await noticesOf(s.dpo.id)).toMatchObject([{ kind: 'erasure.proof.school', refId: tombId }])
    expect(await sweepErasures(t.db, { warn: () => {} })).toMatchObject({ takenOver: 0, erased: 0 })
    expect(await mailsTo(s.guardian.email!)).toHaveLength(1)
  })

  test('a crash during the erasure, then the retry: exactly one proof per recipient', async () => {
    const s = await school()
    const req = await requestDeletion(t.db, { subjectId: s.child.id, orgId: s.org.id, requestedBy: s.admin.id, role: 'admin', reason: 'admin_request' })
    let first = true
    const crash = {
      afterTable: () => {
        if (first) {
          first = false
          throw new Error('crash')
        }
      },
    }
    await expect(runDeletion(t.db, req.id, crash)).rejects.toThrow('crash')
    expect(await noticesOf(s.admin.id)).toHaveLength(0)
    expect(await mailsTo(s.admin.email!)).toHaveLength(0)
    expect((await runDeletion(t.db, req.id)).status).toBe('erased')
    expect((await runDeletion(t.db, req.id)).status).toBe('skipped')
    for (const u of [s.admin, s.admin2, s.dpo]) {
      expect(await noticesOf(u.id)).toHaveLength(1)
      expect(await mailsTo(u.email!)).toHaveLength(1)
    }
  })

  test('what is kept is generated from the classification, and every kept evidence table has words in both languages', () => {
    const tables = evidenceTables().map((e) => e.table)
    expect(tables).toEqual(expect.arrayContaining(['audit_events', 'consent_records', 'erasure_tombstones', 'deletion_requests', 'rights_requests']))
    for (const table of tables) for (const lang of ['fr', 'en'] as const) expect(translate(lang, evidenceLabelKey(table)), `${table} (${lang})`).not.toBe(evidenceLabelKey(table))
  })
})

// Post-mortem directives (terms §8; Loi 78-17 art. 85) on the DPO's request page: record the
// directive and the appointed person, verify that person, then carry it out — an erasure through
// the erasure pipeline (the sweep takes it over, the request closes with its tombstone), a
// disclosure recorded with what was handed over. Real route action, session, policy and
// PostgreSQL; every step in the request's history and the audit log; nothing runs before the
// appointed person is verified, nor without the ticked box.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, asc, eq } from 'drizzle-orm'
import { accessPackageLinks, auditEvents, erasureTombstones, outboxMails, postMortemDirectives, rightsRequestEvents, rightsRequests, users } from '../../drizzle/schema'
import { sweepErasures } from '~/privacy/erasure/run.server'
import { createReceivedRequest } from '~/privacy/rights-requests/intake.server'
import { setSubject, verifyIdentity } from '~/privacy/rights-requests/handling.server'
import { downloadPackage } from '~/privacy/rights-requests/package-links.server'
import { verifyAppointedPerson } from '~/privacy/rights-requests/post-mortem.server'
import { t as tr } from '~/i18n'
import * as requestPage from '~/routes/org.$orgId.dpo.requests.$requestId/route'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { cookieFor, get, post } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
const origin = { ip: '198.51.100.8', userAgent: 'vitest' }
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

const today = () => new Date().toISOString().slice(0, 10)

async function postMortemRequest(kind: 'post_mortem' | 'access' = 'post_mortem') {
  const org = await makeOrg(t.db, 'school', 'Lycée Condorcet')
  const cls = await makeClass(t.db, org.id, 'Terminale B')
  const subject = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Armand', lastName: 'Vasseur' })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const req = await createReceivedRequest(t.db, {
    orgId: org.id,
    kind,
    channel: 'operator_log',
    subjectId: null,
    subjectName: 'Armand Vasseur',
    requesterEmail: `notaire-${crypto.randomUUID()}@example.org`,
    requesterName: 'Maître Dubreuil',
    relation: 'representative',
    message: 'Directives de feu Armand Vasseur',
    lang: 'fr',
    receivedAt: new Date(),
    loggedBy: dpo.id,
    actorId: dpo.id,
    origin,
  })
  const a = { orgId: org.id, requestId: req.id, actorId: dpo.id, origin }
  const url = `/org/${org.id}/dpo/requests/${req.id}`
  const params = { orgId: org.id, requestId: req.id }
  const cookie = await cookieFor(t.db, dpo)
  const act = (fields: Record<string, string>) => post(requestPage.action, url, params, cookie, fields)
  const view = () => get(requestPage.loader, url, params, cookie)
  const events = async () => (await t.db.select().from(rightsRequestEvents).where(eq(rightsRequestEvents.requestId, req.id)).orderBy(asc(rightsRequestEvents.at))).map((e) => e.kind)
  const audits = async () =>
    (
      await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetType, 'rights_request'), eq(auditEvents.targetId, req.id)))
    ).map((e) => e.action)
  const directive = async () => (await t.db.select().from(postMortemDirectives).where(eq(postMortemDirectives.requestId, req.id)))[0]
  return { org, subject, dpo, req, a, act, view, events, audits, directive }
}

const erasure = {
  intent: 'directive',
  directive: 'erasure',
  instructions: 'Effacer mon dossier scolaire à mon décès.',
  appointedName: 'Claire Vasseur',
  appointedContact: 'claire.vasseur@example.org',
}

test('record → verify → execute an erasure: the erasure pipeline erases the subject and closes the request; each step in the history and the audit log', { timeout: 120_000 }, async () => {
  const s = await postMortemRequest()
  expect((await s.view()).postMortem).toMatchObject({ recorded: null, verified: null, executed: null })

  // 1. Recorded, then amended (still possible before the check).
  expect((await s.act({ ...erasure, appointedContact: '06 12 34 56 78' })).status).toBe('success')
  expect((await s.act(erasure)).status).toBe('success')
  expect(await s.directive()).toMatchObject({ directive: 'erasure', appointedName: 'Claire Vasseur', appointedContact: 'claire.vasseur@example.org', recordedBy: s.dpo.id, verifiedAt: null })

  // Nothing is carried out before the appointed person is verified (even confirmed).
  const early = await s.act({ intent: 'execute', confirm: 'yes' })
  expect(early.status).toBe('error')
  expect(early.error[''].join(' ')).toBe(tr('fr', 'dsr.post_mortem.verify_first'))
  expect((await s.directive())!.executedAt).toBeNull()

  // 2. The appointed person checked: how, on which day, by whom.
  expect((await s.act({ intent: 'appointee', method: 'id_document', verifiedOn: today(), note: 'Acte de décès et pièce d’identité vus' })).status).toBe('success')
  expect(await s.directive()).toMatchObject({ verificationMethod: 'id_document', verifiedOn: today(), verifiedBy: s.dpo.id })
  // Locked now.
  expect((await s.act(erasure)).error[''].join(' ')).toBe(tr('fr', 'dsr.post_mortem.locked'))

  // 3. An erasure needs the subject named; then it wants the ticked box.
  expect((await s.act({ intent: 'execute', confirm: 'yes' })).error[''].join(' ')).toBe(tr('fr', 'dsr.subject.required'))
  await setSubject(t.db, { ...s.a, subjectId: s.subject.id })
  const page = await s.view()
  expect(page.postMortem.verified).toMatchObject({ on: today(), method: 'id_document', by: expect.stringContaining('Alex') })
  const unconfirmed = await s.act({ intent: 'execute' })
  expect(unconfirmed.error.confirm.length).toBeGreaterThan(0)
  expect((await s.directive())!.executedAt).toBeNull()
  expect((await s.act({ intent: 'execute', confirm: 'yes' })).status).toBe('success')
  expect((await s.directive())!.executedBy).toBe(s.dpo.id)
  const [pending] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, s.req.id))
  expect(pending!.erasurePendingAt).not.toBeNull()
  // Once only.
  expect((await s.act({ intent: 'execute', confirm: 'yes' })).error[''].join(' ')).toBe(tr('fr', 'dsr.post_mortem.executed_already'))

  expect(await s.events()).toEqual(expect.arrayContaining(['post_mortem_recorded', 'post_mortem_verified', 'post_mortem_executed', 'erasure_pending']))
  expect((await s.events()).filter((k) => k === 'post_mortem_recorded')).toHaveLength(2)
  expect(await s.audits()).toEqual(expect.arrayContaining(['dsr.post_mortem_recorded', 'dsr.post_mortem_verified', 'dsr.post_mortem_executed']))
  // The audit log names the directive and ids, never the appointed person.
  const details = JSON.stringify((await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, s.req.id))).map((e) => e.details))
  expect(details).not.toContain('Claire')
  expect(details).not.toContain('claire.vasseur')

  // The normal erasure pipeline: the sweep takes it over and erases; the request closes with its tombstone.
  expect((await sweepErasures(t.db)).takenOver).toBe(1)
  expect(await t.db.select().from(users).where(eq(users.id, s.subject.id))).toHaveLength(0)
  const [tomb] = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.subjectId, s.subject.id))
  const [closed] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, s.req.id))
  expect(closed).toMatchObject({ status: 'closed', outcome: 'fulfilled', subjectErasureId: tomb!.id })
  // The directive stays as evidence (what, when, checked how), emptied of names with its request.
  expect(await s.directive()).toMatchObject({ directive: 'erasure', verificationMethod: 'id_document', appointedName: '', appointedContact: '', instructions: null, verificationNote: null })
})

describe('disclosure and retention', () => {
  test('a disclosure is recorded as done with what was handed over (the note is required)', async () => {
    const s = await postMortemRequest()
    await s.act({ ...erasure, directive: 'disclosure' })
    await verifyAppointedPerson(t.db, { ...s.a, method: 'in_person', verifiedOn: today(), note: null })
    const noNote = await s.act({ intent: 'execute', confirm: 'yes' })
    expect(noNote.error.note.join(' ')).toBe(tr('fr', 'dsr.post_mortem.disclosure_note_required'))
    expect((await s.directive())!.executedAt).toBeNull()
    expect((await s.act({ intent: 'execute', confirm: 'yes', note: 'Relevés de notes remis en main propre le 2 décembre.' })).status).toBe('success')
    expect(await s.directive()).toMatchObject({ executedBy: s.dpo.id, executionNote: 'Relevés de notes remis en main propre le 2 décembre.' })
    const [r] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, s.req.id))
    expect(r!.erasurePendingAt).toBeNull()
    const [ev] = await t.db
      .select()
      .from(rightsRequestEvents)
      .where(and(eq(rightsRequestEvents.requestId, s.req.id), eq(rightsRequestEvents.kind, 'post_mortem_executed')))
    expect(ev).toMatchObject({ actorId: s.dpo.id, details: { directive: 'disclosure' } })
  })

  test('a disclosure handed over inside Carnet: the verified requester gets the access package’s expiring link, and it downloads', async () => {
    const s = await postMortemRequest()
    await s.act({ ...erasure, directive: 'disclosure' })
    await verifyAppointedPerson(t.db, { ...s.a, method: 'id_document', verifiedOn: today(), note: null })
    await setSubject(t.db, { ...s.a, subjectId: s.subject.id })
    // Only to a requester whose identity is verified.
    expect((await s.act({ intent: 'execute', confirm: 'yes', release: 'yes' })).error[''].join(' ')).toBe(tr('fr', 'dsr.identity.required'))
    expect(await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id))).toHaveLength(0)
    expect((await s.directive())!.executedAt).toBeNull()
    await verifyIdentity(t.db, { ...s.a, method: 'id_document', note: null })
    expect((await s.act({ intent: 'execute', confirm: 'yes', release: 'yes' })).status).toBe('success')
    const [link] = await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id))
    expect(link).toMatchObject({ releasedBy: s.dpo.id, downloads: 0 })
    const [mail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, s.req.requesterEmail))
    const token = /\/rights-request\/package\/([\w-]+)/.exec(mail!.text)![1]!
    const got = await downloadPackage(t.db, { via: { token }, actorId: null, origin })
    expect(got.ok).toBe(true)
    // Read the package to its end: a stream left open would query the test database after it is dropped.
    if (got.ok) for await (const _ of got.pkg.stream) void _
    expect(await s.events()).toEqual(expect.arrayContaining(['package_released', 'post_mortem_executed']))
    const [ev] = await t.db
      .select()
      .from(rightsRequestEvents)
      .where(and(eq(rightsRequestEvents.requestId, s.req.id), eq(rightsRequestEvents.kind, 'post_mortem_executed')))
    expect(ev!.details).toMatchObject({ directive: 'disclosure', released: true, linkId: link!.id })
    expect((await s.view()).packageLink).toMatchObject({ state: 'available', downloads: 1 })
  })

  test('a retention is recorded; the subject keeps their data', async () => {
    const s = await postMortemRequest()
    await s.act({ ...erasure, directive: 'retention' })
    await verifyAppointedPerson(t.db, { ...s.a, method: 'school_records', verifiedOn: today(), note: null })
    expect((await s.act({ intent: 'execute', confirm: 'yes' })).status).toBe('success')
    expect(await t.db.select().from(users).where(eq(users.id, s.subject.id))).toHaveLength(1)
  })
})

test('bad input: a missing appointed person, a check dated tomorrow, a request of another kind — said, nothing written', async () => {
  const s = await postMortemRequest()
  const missing = await s.act({ intent: 'directive', directive: 'erasure', appointedName: '', appointedContact: 'x' })
  expect(missing.error.appointedName.join(' ')).toBe(tr('fr', 'dsr.post_mortem.name_required'))
  expect(missing.error.appointedContact.join(' ')).toBe(tr('fr', 'dsr.post_mortem.contact_required'))
  expect(await s.directive()).toBeUndefined()
  await s.act(erasure)
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
  expect((await s.act({ intent: 'appointee', method: 'in_person', verifiedOn: tomorrow })).error.verifiedOn.join(' ')).toBe(tr('fr', 'dsr.post_mortem.date_invalid'))
  expect((await s.directive())!.verifiedAt).toBeNull()

  const other = await postMortemRequest('access')
  expect((await other.act(erasure)).error[''].join(' ')).toBe(tr('fr', 'dsr.post_mortem.wrong_kind'))
  expect(await other.directive()).toBeUndefined()
  expect((await other.view()).postMortem).toBeNull()
})

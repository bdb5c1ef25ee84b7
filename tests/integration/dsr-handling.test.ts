// The DPO acting on a request: the access package generated from the classification, a real
// restriction state, rectification with its trail, objection in the consent log, erasure
// pending, the written-instruction rule for the platform, and closing with the requester told.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { and, desc, eq } from 'drizzle-orm'
import unzipper from 'unzipper'
import { auditEvents, consentRecords, deletionRequests, enrolments, memberships, outboxMails, rightsRequestEvents, rightsRequests, users } from '../../drizzle/schema'
import { appendConsent, verifyChain } from '~/compliance/consent-log.server'
import { CLASSIFICATION } from '~/compliance/classification'
import { subjectTables } from '~/privacy/rights-requests/access-package.server'
import { isRestricted, notRestrictedSql, restrictedSubjectIds } from '~/compliance/restriction.server'
import { hasObjection } from '~/compliance/objections.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import { createSession } from '~/auth/session.server'
import { createReceivedRequest } from '~/privacy/rights-requests/intake.server'
import {
  closeRequest,
  liftRestrictionFor,
  markErasurePending,
  operatorAnswer,
  recordInstruction,
  recordObjection,
  rectify,
  restrict,
  setSubject,
  verifyIdentity,
} from '~/privacy/rights-requests/handling.server'
import * as detail from '~/routes/org.$orgId.dpo.requests.$requestId/route'
import * as pkgRoute from '~/routes/org.$orgId.dpo.requests.$requestId.package'
import { cancelDeletion, setGraceHours } from '~/privacy/erasure/requests.server'
import { takeOverRightsRequests } from '~/privacy/erasure/run.server'
import { loadPrincipal } from '~/permissions/principal.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { bytesOf, cookieFor, get, post } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
const origin = { ip: '198.51.100.9', userAgent: 'vitest' }
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

async function setup(kind: 'access' | 'rectification' | 'restriction' | 'objection' | 'erasure' = 'access') {
  const org = await makeOrg(t.db, 'school', 'École Jules Ferry')
  const other = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id, 'CM1 A')
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Zoé', lastName: 'Müller', birthDate: '2017-03-14' })
  // The same child's rows in another organization must not leak into this school's package.
  await t.db.insert(memberships).values({ orgId: other.id, userId: child.id, role: 'child', createdAt: new Date() })
  await createSession(t.db, child.id, { kind: 'child', userAgent: 'Tablette' })
  await appendConsent(t.db, { orgId: org.id, event: 'authorisation_obtained', state: 'given', subjectId: child.id, method: 'paper_form', details: { classId: cls.id } })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const req = await createReceivedRequest(t.db, {
    orgId: org.id,
    kind,
    channel: 'operator_log',
    subjectId: null,
    subjectName: 'Zoé Müller',
    requesterEmail: `parent-${kind}-${Date.now()}@example.org`,
    requesterName: 'Julie Martin',
    relation: 'guardian',
    message: null,
    lang: 'fr',
    receivedAt: new Date(),
    loggedBy: dpo.id,
    actorId: dpo.id,
    origin,
  })
  const a = { orgId: org.id, requestId: req.id, actorId: dpo.id, origin }
  return { org, other, cls, child, dpo, req, a, cookie: await cookieFor(t.db, dpo) }
}

test('the access package holds every classified subject table (JSON + CSV), the Article 15 text, a PDF summary and a SHA-256 manifest', async () => {
  const s = await setup('access')
  const params = { orgId: s.org.id, requestId: s.req.id }
  // Not before the identity is checked and the subject named.
  expect(((await post(pkgRoute.action, `/org/${s.org.id}/dpo/requests/${s.req.id}/package`, params, s.cookie, {})) as Response).status).toBe(409)
  await verifyIdentity(t.db, { ...s.a, method: 'in_person', note: 'Livret de famille présenté' })
  await setSubject(t.db, { ...s.a, subjectId: s.child.id })

  const res = (await post(pkgRoute.action, `/org/${s.org.id}/dpo/requests/${s.req.id}/package`, params, s.cookie, {})) as Response
  expect(res.headers.get('content-type')).toBe('application/zip')
  expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="DSR-\d{4}-\w+-acces\.zip"/)
  const zip = await unzipper.Open.buffer(Buffer.from(await bytesOf(res)))
  const files = new Map<string, Buffer>()
  for (const f of zip.files) files.set(f.path, await f.buffer())

  // Generated from the classification: one JSON and one CSV for each table with a subject column.
  const expected = Object.entries(CLASSIFICATION)
    .filter(([, c]) => c.subjectColumn)
    .map(([n]) => n)
  expect(expected.length).toBeGreaterThan(5)
  for (const table of expected) {
    expect(files.has(`data/${table}.json`), table).toBe(true)
    expect(files.has(`data/${table}.csv`), table).toBe(true)
  }
  const usersRows = JSON.parse(files.get('data/users.json')!.toString('utf8'))
  expect(usersRows).toEqual([expect.objectContaining({ id: s.child.id, first_name: 'Zoé', last_name: 'Müller', birth_date: '2017-03-14' })])
  expect(JSON.parse(files.get('data/enrolments.json')!.toString('utf8'))).toEqual([expect.objectContaining({ class_id: s.cls.id, child_id: s.child.id })])
  // Scoped to this school: the child's membership elsewhere is not in it.
  expect(JSON.parse(files.get('data/memberships.json')!.toString('utf8')).map((m: { org_id: string }) => m.org_id)).toEqual([s.org.id])
  // Credentials are masked, not handed out.
  const sessions = JSON.parse(files.get('data/sessions.json')!.toString('utf8'))
  expect(sessions).toHaveLength(1)
  expect(sessions[0].id).toBe('[redacted: security credential]')
  expect(sessions[0].user_agent).toBe('Tablette')
  expect(JSON.parse(files.get('data/consent_records.json')!.toString('utf8'))).toEqual([expect.objectContaining({ event: 'authorisation_obtained' })])
  const csv = files.get('data/users.csv')!
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  expect(csv.toString('utf8')).toContain('Zoé')

  const art15 = files.get('ARTICLE-15-information.txt')!.toString('utf8')
  expect(art15).toContain('article 15 du RGPD')
  expect(art15).toContain('Finalités du traitement')
  expect(art15).toContain('Destinataires')
  expect(art15).toContain('Durée de conservation')
  expect(art15).toContain('CNIL')
  expect(art15).toContain('Source des données')
  expect(art15).toMatch(/Identité \(Données d'identification/)
  expect(art15).not.toMatch(/first_name|users/)
  const pdf = (await extractPdfText(new Uint8Array(files.get('summary.pdf')!))).join('\n')
  expect(pdf).toContain('Zoé Müller')
  expect(pdf).toContain('CM1 A')

  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'))
  expect(manifest.generatedFrom).toBe('app/compliance/classification.ts')
  for (const [name, { sha256 }] of Object.entries(manifest.files as Record<string, { sha256: string }>)) {
    expect(createHash('sha256').update(files.get(name)!).digest('hex'), name).toBe(sha256)
  }
  expect(Object.keys(manifest.files)).toHaveLength(files.size - 1)
  // Built → recorded on the request and audited as an export.
  expect(
    await t.db
      .select()
      .from(rightsRequestEvents)
      .where(and(eq(rightsRequestEvents.requestId, s.req.id), eq(rightsRequestEvents.kind, 'package_built'))),
  ).toHaveLength(1)
  expect(
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'export.dsr_package'), eq(auditEvents.targetId, s.req.id))),
  ).toHaveLength(1)
})

test('a table newly classified with a subject column is in the package without other change', () => {
  const before = subjectTables().map((x) => x.table)
  const spec = CLASSIFICATION.access_reviews!
  const saved = spec.subjectColumn
  spec.subjectColumn = 'reviewed_by'
  try {
    expect(subjectTables().map((x) => x.table)).toEqual([...before, 'access_reviews'].sort())
  } finally {
    spec.subjectColumn = saved
  }
})

test('restriction is a state: the subject is restricted (login paths check isRestricted), filtered out of lists, then lifted', async () => {
  const s = await setup('restriction')
  await expect(restrict(t.db, { ...s.a, reason: null })).rejects.toMatchObject({ code: 'dsr.subject.required' })
  await setSubject(t.db, { ...s.a, subjectId: s.child.id })
  await expect(restrict(t.db, { ...s.a, reason: null })).rejects.toMatchObject({ code: 'dsr.identity.required' })
  await verifyIdentity(t.db, { ...s.a, method: 'known_account', note: null })
  expect(await isRestricted(t.db, s.child.id)).toBe(false)
  await restrict(t.db, { ...s.a, reason: 'Exactitude contestée' })
  expect(await isRestricted(t.db, s.child.id)).toBe(true)
  expect(await isRestricted(t.db, s.child.id, s.org.id)).toBe(true)
  expect(await isRestricted(t.db, s.child.id, s.other.id)).toBe(false)
  expect([...(await restrictedSubjectIds(t.db, s.org.id))]).toEqual([s.child.id])
  const visible = await t.db
    .select({ id: enrolments.childId })
    .from(enrolments)
    .where(and(eq(enrolments.classId, s.cls.id), notRestrictedSql(enrolments.childId, s.org.id)))
  expect(visible).toEqual([])
  await expect(restrict(t.db, { ...s.a, reason: null })).rejects.toMatchObject({ code: 'dsr.restrict.already' })
  // The DPO's page shows it.
  const page = (await get(detail.loader, `/org/${s.org.id}/dpo/requests/${s.req.id}`, { orgId: s.org.id, requestId: s.req.id }, s.cookie)) as { subject: { restrictedAt: string | null } }
  expect(page.subject.restrictedAt).not.toBeNull()
  await liftRestrictionFor(t.db, s.a)
  expect(await isRestricted(t.db, s.child.id)).toBe(false)
  expect(
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, s.req.id), eq(auditEvents.action, 'dsr.restricted'))),
  ).toHaveLength(1)
})

test('rectified names are normalised like every name that enters (no overrides, no zero-width) and capped at 100', async () => {
  const s = await setup('rectification')
  await setSubject(t.db, { ...s.a, subjectId: s.child.id })
  await verifyIdentity(t.db, { ...s.a, method: 'school_records', note: null })
  await expect(rectify(t.db, { ...s.a, changes: { lastName: 'M'.repeat(101) } })).rejects.toMatchObject({ code: 'names.too_long' })
  await rectify(t.db, { ...s.a, changes: { lastName: '\u202EMuller\u200B-Dupont' } })
  const [u] = await t.db.select().from(users).where(eq(users.id, s.child.id))
  expect(u!.lastName).toBe('Muller-Dupont')
})

test('rectification edits the data; the values are in the request history, the audit log names fields only', async () => {
  const s = await setup('rectification')
  await setSubject(t.db, { ...s.a, subjectId: s.child.id })
  await verifyIdentity(t.db, { ...s.a, method: 'school_records', note: null })
  await expect(rectify(t.db, { ...s.a, changes: { lastName: 'Müller' } })).rejects.toMatchObject({ code: 'dsr.rectify.nothing' })
  // Through the page's action, as the DPO does it.
  const reply = await post(detail.action, `/org/${s.org.id}/dpo/requests/${s.req.id}`, { orgId: s.org.id, requestId: s.req.id }, s.cookie, {
    intent: 'rectify',
    firstName: 'Zoé',
    lastName: 'Muller-Dupont',
    birthDate: '2017-03-15',
  })
  expect(reply).toMatchObject({ status: 'success', for: 'rectify' })
  const [u] = await t.db.select().from(users).where(eq(users.id, s.child.id))
  expect(u).toMatchObject({ lastName: 'Muller-Dupont', birthDate: '2017-03-15', firstName: 'Zoé' })
  const [ev] = await t.db
    .select()
    .from(rightsRequestEvents)
    .where(and(eq(rightsRequestEvents.requestId, s.req.id), eq(rightsRequestEvents.kind, 'rectified')))
  expect(ev!.details).toEqual({ before: { lastName: 'Müller', birthDate: '2017-03-14' }, after: { lastName: 'Muller-Dupont', birthDate: '2017-03-15' } })
  const audits = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'dsr.rectified'), eq(auditEvents.targetId, s.req.id)))
  expect(audits[0]!.details).toEqual({ subjectId: s.child.id, fields: ['last_name', 'birth_date'] })
  expect(JSON.stringify(audits)).not.toContain('Muller')
})

test('objection goes to the consent log (chain intact); erasure is recorded as pending; closing tells the requester and ends the request', async () => {
  const s = await setup('objection')
  await setSubject(t.db, { ...s.a, subjectId: s.child.id })
  await recordObjection(t.db, { ...s.a, processing: 'anonymized_reuse', note: 'Refus de la réutilisation anonymisée' })
  const [entry] = await t.db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, s.org.id), eq(consentRecords.event, 'objection_recorded')))
  expect(entry).toMatchObject({ subjectId: s.child.id, purpose: 'anonymized_reuse', state: 'recorded', details: { requestId: s.req.id } })
  expect(await verifyChain(t.db, s.org.id)).toMatchObject({ ok: true })
  // The processing named can ask before running for this subject.
  expect(await hasObjection(t.db, { orgId: s.org.id, subjectId: s.child.id, processing: 'anonymized_reuse' })).toBe(true)
  expect(await hasObjection(t.db, { orgId: s.org.id, subjectId: s.child.id, processing: 'learning_analytics' })).toBe(false)

  const e = await setup('erasure')
  await setSubject(t.db, { ...e.a, subjectId: e.child.id })
  await verifyIdentity(t.db, { ...e.a, method: 'id_document', note: null })
  await expect(closeRequest(t.db, { ...e.a, outcome: 'pending_erasure', note: null })).rejects.toMatchObject({ code: 'dsr.close.erasure_not_pending' })
  await markErasurePending(t.db, e.a)
  const [pending] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, e.req.id))
  expect(pending!.erasurePendingAt).not.toBeNull()
  await closeRequest(t.db, { ...e.a, outcome: 'pending_erasure', note: 'Le compte sera supprimé sous 24 heures.' })
  const [closed] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, e.req.id))
  expect(closed).toMatchObject({ status: 'closed', outcome: 'pending_erasure' })
  const [mail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, e.req.requesterEmail)).orderBy(desc(outboxMails.createdAt))
  expect(mail!.subject).toBe(`Réponse à votre demande ${e.req.reference}`)
  expect(mail!.text).toContain('Effacement engagé')
  expect(mail!.text).toContain('Le compte sera supprimé sous 24 heures.')
  await expect(recordInstruction(t.db, { ...e.a, reference: 'Courrier du 3 mars' })).rejects.toMatchObject({ code: 'dsr.closed_already' })
})

test('the platform never answers a request itself unless the school recorded a written instruction', async () => {
  const s = await setup('access')
  const operatorId = (await makeAdult(t.db)).id
  await expect(operatorAnswer(t.db, { requestId: s.req.id, operatorId, note: 'Réponse', origin })).rejects.toMatchObject({ code: 'dsr.operator.no_instruction' })
  expect(await t.db.select().from(outboxMails).where(eq(outboxMails.to, s.req.requesterEmail))).toHaveLength(0)
  await recordInstruction(t.db, { ...s.a, reference: 'Courrier signé du 3 mars 2027' })
  await operatorAnswer(t.db, { requestId: s.req.id, operatorId, note: 'Voici la copie demandée.', origin })
  const [mail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, s.req.requesterEmail))
  expect(mail!.text).toContain('Sur instruction écrite de École Jules Ferry')
  expect(
    await t.db
      .select()
      .from(rightsRequestEvents)
      .where(and(eq(rightsRequestEvents.requestId, s.req.id), eq(rightsRequestEvents.kind, 'answered_by_operator'))),
  ).toHaveLength(1)
})

test('the DPO workspace is the school’s: another school’s admin and a teacher are refused (audited)', async () => {
  const s = await setup('access')
  const outsider = await makeAdult(t.db, { orgId: s.other.id, role: 'admin' })
  const teacher = await makeAdult(t.db, { orgId: s.org.id, role: 'teacher' })
  const params = { orgId: s.org.id, requestId: s.req.id }
  for (const who of [outsider, teacher]) {
    const res = (await get(detail.loader, `/org/${s.org.id}/dpo/requests/${s.req.id}`, params, await cookieFor(t.db, who))) as Response
    expect(res.status).toBe(403)
    expect(
      await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, who.id))),
    ).not.toHaveLength(0)
  }
  // A request of another school is not found from this school's workspace.
  const mine = await setup('access')
  const res = (await get(detail.loader, `/org/${mine.org.id}/dpo/requests/${s.req.id}`, { orgId: mine.org.id, requestId: s.req.id }, mine.cookie)) as Response
  expect(res.status).toBe(404)
})

test('an erasure the DPO engaged and an admin cancelled in the grace period: the request is no longer pending, its history says so, and engaging again opens a new deletion', async () => {
  const e = await setup('erasure')
  await setGraceHours(t.db, { orgId: e.org.id, hours: 12, by: e.dpo.id })
  await setSubject(t.db, { ...e.a, subjectId: e.child.id })
  await verifyIdentity(t.db, { ...e.a, method: 'id_document', note: null })
  await markErasurePending(t.db, e.a)
  await takeOverRightsRequests(t.db)
  const [first] = await t.db.select().from(deletionRequests).where(eq(deletionRequests.rightsRequestId, e.req.id))
  const admin = await makeAdult(t.db, { orgId: e.org.id, role: 'admin' })
  await cancelDeletion(t.db, { requestId: first!.id, principal: await loadPrincipal(t.db, { id: admin.id, kind: 'adult' }), origin })

  const [r] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, e.req.id))
  expect(r).toMatchObject({ status: e.req.status, erasurePendingAt: null })
  const events = await t.db.select().from(rightsRequestEvents).where(eq(rightsRequestEvents.requestId, e.req.id))
  expect(events.map((x) => x.kind)).toContain('erasure_cancelled')
  expect(
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'dsr.erasure_cancelled'), eq(auditEvents.targetId, e.req.id))),
  ).toHaveLength(1)
  const mine = () => t.db.select().from(deletionRequests).where(eq(deletionRequests.rightsRequestId, e.req.id))
  // The sweep does not engage it again on its own …
  await takeOverRightsRequests(t.db)
  expect(await mine()).toHaveLength(1)
  // … the DPO does, and a new deletion request is opened.
  await markErasurePending(t.db, e.a)
  await takeOverRightsRequests(t.db)
  expect(await mine()).toHaveLength(2)
  const all = await t.db.select().from(deletionRequests).where(eq(deletionRequests.rightsRequestId, e.req.id))
  expect(all.filter((d) => !d.cancelledAt)).toHaveLength(1)
})

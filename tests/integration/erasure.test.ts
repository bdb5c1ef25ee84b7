// Account deletion within 24 hours (DESIGN §3.2, Annex B): who may ask, deactivation at
// once, the deadline met (and flagged when missed), the grace period, objection to
// anonymization, the erasure round-trip (nothing of the child left in any table or any file
// but the tombstone and id-only evidence), erasure rights requests, an organization's deletion.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { and, eq, sql } from 'drizzle-orm'
import {
  activities,
  auditEvents,
  childProfiles,
  deletionRequests,
  enrolments,
  erasureTombstones,
  exportFiles,
  guardianLinks,
  linkCodes,
  memberships,
  observations,
  organizations,
  orgPrivacySettings,
  outboxMails,
  results,
  rightsRequestEvents,
  rightsRequests,
  sessions,
  skills,
  users,
} from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { DAY, HOUR, MINUTE, now, useFakeClock } from '~/clock.server'
import { CLASSIFICATION } from '~/compliance/classification'
import { appendConsent, verifyChain } from '~/compliance/consent-log.server'
import { recordAudit } from '~/compliance/audit.server'
import { readJournal } from '~/privacy/erasure/journal.server'
import { accountForDeletion, cancelDeletion, requestDeletion, requestOrganizationDeletion } from '~/privacy/erasure/requests.server'
import { runDeletion, sweepErasures } from '~/privacy/erasure/run.server'
import { queueMail } from '~/mail/outbox.server'
import { deliverMails } from '~/mail/delivery.server'
import { createReceivedRequest } from '~/privacy/rights-requests/intake.server'
import { closeRequest, markErasurePending, setSubject, verifyIdentity } from '~/privacy/rights-requests/handling.server'
import { loadPrincipal } from '~/permissions/principal.server'
import { defineAbilityFor, deletionRequesterOf, mayAskErasure } from '~/permissions/abilities'
import { listMembers } from '~/models/staff/members.server'
import { listChildren } from '~/models/classes/children.server'
import * as dpoRequestPage from '~/routes/org.$orgId.dpo.requests.$requestId/route'
import { cookieFor, get } from './dsr-helpers'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach, TEST_PASSWORD } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir: string
const origin = { ip: '203.0.113.7', userAgent: 'vitest' }
let clock: ReturnType<typeof useFakeClock> | null = null

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-erasure-'))
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

let n = 0
let births = 0
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`

/** A child with a full record: class, results, observations, guardians, consent, exports, audit, sessions, a rights request. */
async function fullRecord(opts: { objection?: boolean; orgKind?: 'school' | 'family' } = {}) {
  const db = t.db
  const org = await makeOrg(db, opts.orgKind ?? 'school', `École ${unique()}`)
  const cls = await makeClass(db, org.id)
  const teacher = await makeAdult(db, { orgId: org.id, role: 'teacher' })
  await teach(db, { orgId: org.id, classId: cls.id, userId: teacher.id })
  const admin = await makeAdult(db, { orgId: org.id, role: 'admin' })
  const tag = unique()
  const year = 2000 + births++
  const birth = `${year}-05-27`
  const child = await makeChild(db, { orgId: org.id, classId: cls.id, firstName: `Anaëlle${tag}`, lastName: `Quintard${tag}`, birthDate: birth })
  await db
    .update(users)
    .set({ username: `anaelle.${tag}` })
    .where(eq(users.id, child.id))
  const guardian = await makeAdult(db, { orgId: org.id, role: 'guardian' })
  await db.insert(guardianLinks).values({
    orgId: org.id,
    childId: child.id,
    guardianId: guardian.id,
    legalStatus: 'parent',
    canGiveConsent: true,
    startedAt: new Date(now().getTime() - DAY),
    createdBy: admin.id,
    createdAt: now(),
  })
  await db
    .insert(linkCodes)
    .values({ orgId: org.id, childId: child.id, codeHash: `h-${tag}`, channel: 'letter', createdBy: teacher.id, createdAt: now(), expiresAt: new Date(now().getTime() + 30 * DAY) })
  await db.insert(childProfiles).values({ childId: child.id, orgId: org.id, externalId: `INE${tag}`, cardTokenHash: `tok-${tag}`, cardCodeHash: `code-${tag}`, cardIssuedAt: now() })
  const [skill] = await db
    .insert(skills)
    .values({ orgId: org.id, code: `S${tag}`, label: 'Lire', domain: 'Français', cycle: 2, createdAt: now() })
    .returning()
  const quizIds: string[] = []
  for (let i = 0; i < 3; i++) {
    const [a] = await db
      .insert(activities)
      .values({ orgId: org.id, classId: cls.id, kind: 'quiz', title: `Quiz ${i}`, createdBy: teacher.id, createdAt: now() })
      .returning()
    quizIds.push(a!.id)
    await db.insert(results).values({
      orgId: org.id,
      childId: child.id,
      activityId: a!.id,
      score: i + 1,
      max: 3,
      answers: [0, 1, i],
      durationMs: 30_000,
      completedAt: new Date('2026-10-14T09:12:00Z'),
      publishedBy: teacher.id,
    })
  }
  await db.insert(observations).values({
    orgId: org.id,
    classId: cls.id,
    childId: child.id,
    skillId: skill!.id,
    level: 'in_progress',
    note: `Anaëlle${tag} lit à voix haute avec plaisir`,
    observedOn: '2026-10-15',
    teacherId: teacher.id,
    createdAt: now(),
  })
  await appendConsent(db, {
    orgId: org.id,
    event: 'authorisation_obtained',
    state: 'given',
    subjectId: child.id,
    actorId: guardian.id,
    onBehalfOf: child.id,
    method: 'paper_form',
    details: { classId: cls.id },
  })
  if (opts.objection) await appendConsent(db, { orgId: org.id, event: 'objection_recorded', state: 'recorded', subjectId: child.id, purpose: 'anonymized_reuse', method: 'email' })
  await createSession(db, child.id, { kind: 'child', userAgent: 'Tablette de la classe', ip: '192.0.2.44', openedBy: teacher.id })
  await recordAudit(db, { action: 'auth.child_login', orgId: org.id, actorId: child.id, targetType: 'user', targetId: child.id, ip: '192.0.2.44', userAgent: 'Tablette', details: { method: 'card' } })
  await queueMail(db, { to: guardian.email!, userId: guardian.id, subject: 'Code de liaison', text: `Bonjour, voici le code pour Anaëlle${tag} Quintard${tag}.` })
  const dsr = await createReceivedRequest(db, {
    orgId: org.id,
    kind: 'access',
    channel: 'operator_log',
    subjectId: null,
    subjectName: `Anaëlle${tag} Quintard${tag}`,
    subjectBirthDate: `27/05/${year}`,
    requesterEmail: `famille-${tag}@example.org`,
    requesterName: 'Parent',
    relation: 'guardian',
    message: null,
    lang: 'fr',
    receivedAt: now(),
    loggedBy: admin.id,
    actorId: admin.id,
    origin,
  } as Parameters<typeof createReceivedRequest>[1])
  // A class export (a ZIP that holds the child's results) under DATA_DIR.
  const rel = `exports/${org.id}/classe-${tag}.zip`
  fs.mkdirSync(path.join(dataDir, path.dirname(rel)), { recursive: true })
  fs.writeFileSync(path.join(dataDir, rel), `nom;prénom;naissance\nQuintard${tag};Anaëlle${tag};${birth}\n`)
  await db.insert(exportFiles).values({
    orgId: org.id,
    scope: { kind: 'class', classId: cls.id },
    authorId: teacher.id,
    createdAt: now(),
    expiresAt: new Date(now().getTime() + 7 * DAY),
    status: 'done',
    fileName: 'classe.zip',
    path: rel,
  })
  return { org, cls, teacher, admin, guardian, child, tag, birth, year, quizIds, dsr, exportPath: path.join(dataDir, rel) }
}

/** Delivers the proof of erasure sent to an erased person's own address (the outbox row then goes). */
async function deliverProofTo(email: string) {
  const rows = await t.db.select().from(outboxMails).where(eq(outboxMails.to, email))
  expect(rows.map((m) => m.eraseAfterSending)).toEqual([true])
  await deliverMails(
    t.db,
    rows.map((m) => m.id),
  )
}

/** Every table of the public schema, every column as text: the rows holding `needle`. */
async function findEverywhere(needle: string) {
  const cols = (await t.db.execute(sql`
    select c.table_name as t, c.column_name as c from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name
    where c.table_schema = 'public' and tb.table_type = 'BASE TABLE'`)) as unknown as { t: string; c: string }[]
  const hits: { table: string; column: string }[] = []
  for (const { t: table, c: column } of cols) {
    const rows = (await t.db.execute(sql`select count(*)::int as n from ${sql.raw(`"${table}"`)} where strpos(lower(${sql.raw(`"${column}"`)}::text), lower(${needle})) > 0`)) as unknown as {
      n: number
    }[]
    if (rows[0]!.n > 0) hits.push({ table, column })
  }
  return hits
}

function filesHolding(needle: string, dir = dataDir): string[] {
  const out: string[] = []
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...filesHolding(needle, p))
    else if (fs.readFileSync(p).toString('utf8').toLowerCase().includes(needle.toLowerCase())) out.push(path.relative(dataDir, p))
  }
  return out
}

describe('requests and deactivation', () => {
  test('the person, a guardian with consent rights, an admin may ask; others may not', async () => {
    const r = await fullRecord()
    const as = async (u: { id: string; kind: 'adult' | 'child' }) => defineAbilityFor(await loadPrincipal(t.db, u))
    // The policy's 'Account' rule on the person as the organization holds them (null: not a member).
    const rightOf = async (who: { id: string; kind: 'adult' | 'child' }, a: { subjectId: string; orgId: string | null }) => {
      const row = a.orgId ? await accountForDeletion(t.db, { orgId: a.orgId, userId: a.subjectId }) : { id: a.subjectId, orgId: null }
      return row ? deletionRequesterOf(await as(who), row) : null
    }
    // A school's pupil: the school decides; the guardian asks its DPO (guardian-school-erasure.test.ts).
    expect(await rightOf(r.guardian, { subjectId: r.child.id, orgId: r.org.id })).toBe(null)
    expect(mayAskErasure(await as(r.guardian), (await accountForDeletion(t.db, { orgId: r.org.id, userId: r.child.id }))!)).toBe(true)
    expect(await rightOf(r.admin, { subjectId: r.child.id, orgId: r.org.id })).toBe('admin')
    expect(await rightOf(r.teacher, { subjectId: r.child.id, orgId: r.org.id })).toBe(null)
    expect(await rightOf(r.teacher, { subjectId: r.teacher.id, orgId: null })).toBe('self')
    // A guardian without consent rights may not.
    await t.db.update(guardianLinks).set({ canGiveConsent: false }).where(eq(guardianLinks.guardianId, r.guardian.id))
    expect(await rightOf(r.guardian, { subjectId: r.child.id, orgId: r.org.id })).toBe(null)
    // An admin of another school may not.
    const other = await makeOrg(t.db)
    const otherAdmin = await makeAdult(t.db, { orgId: other.id, role: 'admin' })
    expect(await rightOf(otherAdmin, { subjectId: r.child.id, orgId: other.id })).toBe(null)
  })

  test('the account is deactivated at once: sessions ended, login refused with a clear reason, hidden from the class list', async () => {
    const r = await fullRecord()
    const teacherSession = await createSession(t.db, r.teacher.id, { kind: 'adult' })
    const req = await requestDeletion(t.db, { subjectId: r.teacher.id, orgId: null, requestedBy: r.teacher.id, role: 'self', reason: 'own_request', origin })
    expect(req.scope).toBe('account')
    expect(req.dueAt.getTime() - req.requestedAt.getTime()).toBe(DAY)
    const [u] = await t.db.select().from(users).where(eq(users.id, r.teacher.id))
    expect(u!.deactivatedAt).not.toBeNull()
    expect(await t.db.select().from(sessions).where(eq(sessions.id, teacherSession.session.id))).toHaveLength(0)
    expect(await loginWithPassword(t.db, r.teacher.email!, TEST_PASSWORD, origin)).toEqual({ ok: false, reason: 'deactivated' })
    // Hidden from the lists: the staff list and the children of the class.
    const adminAbility = defineAbilityFor(await loadPrincipal(t.db, r.admin))
    expect((await listMembers(t.db, adminAbility, { orgId: r.org.id })).map((m) => m.userId)).not.toContain(r.teacher.id)
    await requestDeletion(t.db, { subjectId: r.child.id, orgId: r.org.id, requestedBy: r.admin.id, role: 'admin', reason: 'left_school' })
    expect((await listChildren(t.db, adminAbility, { orgId: r.org.id })).map((c) => c.id)).not.toContain(r.child.id)
    // Asking twice gives the same request.
    const again = await requestDeletion(t.db, { subjectId: r.teacher.id, orgId: null, requestedBy: r.teacher.id, role: 'self', reason: 'own_request' })
    expect(again.id).toBe(req.id)
  })

  test('an admin removing a member who belongs elsewhere erases only what the school holds', async () => {
    const r = await fullRecord()
    const family = await makeOrg(t.db, 'family')
    await t.db.insert(memberships).values({ orgId: family.id, userId: r.guardian.id, role: 'guardian', createdAt: new Date() })
    const req = await requestDeletion(t.db, { subjectId: r.guardian.id, orgId: r.org.id, requestedBy: r.admin.id, role: 'admin', reason: 'left_school' })
    expect(req.scope).toBe('membership')
    expect((await runDeletion(t.db, req.id)).status).toBe('erased')
    const ms = await t.db.select().from(memberships).where(eq(memberships.userId, r.guardian.id))
    expect(ms.map((m) => m.orgId)).toEqual([family.id])
    expect(await t.db.select().from(users).where(eq(users.id, r.guardian.id))).toHaveLength(1)
    expect(await t.db.select().from(guardianLinks).where(eq(guardianLinks.guardianId, r.guardian.id))).toHaveLength(0)
  })
})

describe('the 24-hour deadline', () => {
  test('erased at the first sweep, well within 24 hours; the tombstone records it on time', async () => {
    clock = useFakeClock('2026-11-10T08:00:00Z')
    const r = await fullRecord()
    const req = await requestDeletion(t.db, { subjectId: r.child.id, orgId: r.org.id, requestedBy: r.guardian.id, role: 'guardian', reason: 'own_request' })
    clock.advance(MINUTE)
    const out = await sweepErasures(t.db)
    expect(out.erased).toBeGreaterThanOrEqual(1)
    const [tomb] = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, req.id))
    expect(tomb).toMatchObject({ subjectId: r.child.id, orgId: r.org.id, late: false, scope: 'account' })
    expect(tomb!.completedAt.getTime() - req.requestedAt.getTime()).toBe(MINUTE)
    const [done] = await t.db.select().from(deletionRequests).where(eq(deletionRequests.id, req.id))
    expect(done!.completedAt).not.toBeNull()
    expect(done!.overdueAt).toBeNull()
  })

  test('a request still open after 24 hours is flagged overdue (audited), and its tombstone says late', async () => {
    clock = useFakeClock('2026-11-10T08:00:00Z')
    const r = await fullRecord()
    const req = await requestDeletion(t.db, { subjectId: r.child.id, orgId: r.org.id, requestedBy: r.admin.id, role: 'admin', reason: 'left_school' })
    // The workers were down: nothing ran for 25 hours. The flag comes before the erasure.
    await t.db
      .update(deletionRequests)
      .set({ eraseAfter: new Date('2026-11-11T09:30:00Z') })
      .where(eq(deletionRequests.id, req.id))
    clock.advance(25 * HOUR)
    const out = await sweepErasures(t.db)
    expect(out.overdue).toBeGreaterThanOrEqual(1)
    const [flagged] = await t.db.select().from(deletionRequests).where(eq(deletionRequests.id, req.id))
    expect(flagged!.overdueAt?.toISOString()).toBe('2026-11-11T09:00:00.000Z')
    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'erasure.overdue'), eq(auditEvents.targetId, r.child.id)))
    expect(audits).toHaveLength(1)
    clock.advance(HOUR)
    await sweepErasures(t.db)
    const [tomb] = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, req.id))
    expect(tomb!.late).toBe(true)
  })

  test('no grace period by default: a request cannot be cancelled; with one, only within it', async () => {
    clock = useFakeClock('2026-11-10T08:00:00Z')
    const r = await fullRecord()
    const p = await loadPrincipal(t.db, r.guardian)
    const req = await requestDeletion(t.db, { subjectId: r.child.id, orgId: r.org.id, requestedBy: r.guardian.id, role: 'guardian', reason: 'own_request' })
    await expect(cancelDeletion(t.db, { requestId: req.id, principal: p })).rejects.toMatchObject({ code: 'retention.cancel.no_grace' })

    const r2 = await fullRecord()
    await t.db.insert(orgPrivacySettings).values({ orgId: r2.org.id, deletionGraceHours: 2 })
    const p2 = await loadPrincipal(t.db, r2.guardian)
    const req2 = await requestDeletion(t.db, { subjectId: r2.child.id, orgId: r2.org.id, requestedBy: r2.guardian.id, role: 'guardian', reason: 'own_request' })
    expect(req2.eraseAfter.getTime() - req2.requestedAt.getTime()).toBe(2 * HOUR)
    clock.advance(HOUR)
    expect((await runDeletion(t.db, req2.id)).status).toBe('skipped') // waits for the grace period
    await cancelDeletion(t.db, { requestId: req2.id, principal: p2 })
    const [u] = await t.db.select().from(users).where(eq(users.id, r2.child.id))
    expect(u!.deactivatedAt).toBeNull()
    // A third one: past the grace period, too late.
    const req3 = await requestDeletion(t.db, { subjectId: r2.child.id, orgId: r2.org.id, requestedBy: r2.guardian.id, role: 'guardian', reason: 'own_request' })
    clock.advance(3 * HOUR)
    await expect(cancelDeletion(t.db, { requestId: req3.id, principal: p2 })).rejects.toMatchObject({ code: 'retention.cancel.no_grace' })
  })
})

describe('erasure round-trip', () => {
  test('nothing of the child is left in any table or any file, but the tombstone and id-only evidence marked keep', { timeout: 120_000 }, async () => {
    const r = await fullRecord()
    const needles = { id: r.child.id, first: `Anaëlle${r.tag}`, last: `Quintard${r.tag}`, username: `anaelle.${r.tag}`, birth: r.birth, birthTyped: `27/05/${r.year}`, ine: `INE${r.tag}` }
    // Before: the record is everywhere.
    expect((await findEverywhere(needles.first)).length).toBeGreaterThan(2)
    expect(filesHolding(needles.first)).toHaveLength(1)

    const req = await requestDeletion(t.db, { subjectId: r.child.id, orgId: r.org.id, requestedBy: r.guardian.id, role: 'guardian', reason: 'own_request' })
    const out = await runDeletion(t.db, req.id)
    expect(out.status).toBe('erased')

    for (const [name, needle] of Object.entries(needles)) {
      const hits = await findEverywhere(needle)
      if (name === 'id') {
        // Only id-only evidence the classification keeps (consent log, audit trail, tombstone, deletion instruction).
        const notKept = hits.filter((h) => CLASSIFICATION[h.table]?.columns[h.column]?.erasure !== 'keep')
        expect(notKept, `the child's id is left in ${JSON.stringify(notKept)}`).toEqual([])
        expect(hits.map((h) => h.table)).toEqual(expect.arrayContaining(['erasure_tombstones', 'consent_records']))
      } else expect(hits, `"${needle}" (${name}) is left in ${JSON.stringify(hits)}`).toEqual([])
      const files = filesHolding(needle)
      // The tombstone journal beside the backups names the id (nothing else).
      expect(
        files.filter((f) => f !== path.join('backups', 'tombstones.jsonl')),
        `"${needle}" left in files`,
      ).toEqual([])
    }
    expect(fs.existsSync(r.exportPath)).toBe(false)
    expect(readJournal().some((e) => e.subjectId === r.child.id && e.requestId === req.id)).toBe(true)

    // Results kept only irreversibly anonymized: no id, no name, month-coarse dates.
    const kept = await t.db.select().from(results).where(eq(results.orgId, r.org.id))
    expect(kept).toHaveLength(3)
    for (const row of kept) {
      expect(row.childId).not.toBe(r.child.id)
      expect(row.completedAt.toISOString()).toBe('2026-10-01T00:00:00.000Z')
    }
    expect(new Set(kept.map((k) => k.childId)).size).toBe(3) // one random id per row: not even linkable to each other
    // The rest of the class is untouched; the consent chain still verifies.
    expect(await t.db.select().from(activities).where(eq(activities.orgId, r.org.id))).toHaveLength(3)
    expect((await verifyChain(t.db, r.org.id)).ok).toBe(true)
    const [tomb] = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, req.id))
    expect(tomb!.deleted).toMatchObject({ users: 1, enrolments: 1, observations: 1, guardian_links: 1, child_profiles: 1, export_files: 1 })
    expect(tomb!.anonymized).toMatchObject({ results: 3 })
    expect(tomb!.files).toBe(1)
    // Idempotent: running it again changes nothing.
    expect(await runDeletion(t.db, req.id)).toEqual({ status: 'skipped', reason: 'done' })
  })

  test('an adult: email, names, id gone the same way', { timeout: 120_000 }, async () => {
    const r = await fullRecord()
    const email = r.guardian.email!
    const req = await requestDeletion(t.db, { subjectId: r.guardian.id, orgId: null, requestedBy: r.guardian.id, role: 'self', reason: 'own_request' })
    await runDeletion(t.db, req.id)
    // Left only in the outbox: the proof of erasure to the address captured before the erasure
    // (erasure-proof.test.ts), deleted once delivered.
    expect(await findEverywhere(email)).toEqual([{ table: 'outbox_mails', column: 'to' }])
    await deliverProofTo(email)
    expect(await findEverywhere(email)).toEqual([])
    expect(await findEverywhere(r.guardian.lastName)).toEqual([])
    const idHits = (await findEverywhere(r.guardian.id)).filter((h) => CLASSIFICATION[h.table]?.columns[h.column]?.erasure !== 'keep')
    expect(idHits).toEqual([])
    // The child stays, without the link.
    expect(await t.db.select().from(users).where(eq(users.id, r.child.id))).toHaveLength(1)
  })

  test('when the school objected to anonymized reuse, results are deleted instead of anonymized', async () => {
    const r = await fullRecord({ objection: true })
    const req = await requestDeletion(t.db, { subjectId: r.child.id, orgId: r.org.id, requestedBy: r.admin.id, role: 'admin', reason: 'left_school' })
    const out = await runDeletion(t.db, req.id)
    expect(out.status === 'erased' && out.counts.deleted.results).toBe(3)
    expect(await t.db.select().from(results).where(eq(results.orgId, r.org.id))).toHaveLength(0)
  })
})

describe('other ways in', () => {
  test('an erasure rights request marked pending by the DPO is taken over and erased', async () => {
    const r = await fullRecord()
    const dpo = await makeAdult(t.db, { orgId: r.org.id, role: 'dpo' })
    const a = { orgId: r.org.id, requestId: r.dsr.id, actorId: dpo.id, origin }
    await verifyIdentity(t.db, { ...a, method: 'in_person', note: null })
    await setSubject(t.db, { ...a, subjectId: r.child.id })
    await markErasurePending(t.db, a)
    const out = await sweepErasures(t.db)
    expect(out.takenOver).toBe(1)
    expect(await t.db.select().from(users).where(eq(users.id, r.child.id))).toHaveLength(0)
    const [tomb] = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.subjectId, r.child.id))
    expect(tomb!.requestedByRole).toBe('rights_request')
    // The request outlives its subject: closed by the erasure, the tombstone as its proof.
    const [kept] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, r.dsr.id))
    expect(kept).toMatchObject({ status: 'closed', outcome: 'fulfilled', subjectId: null, subjectName: null, subjectBirthDate: null, subjectErasureId: tomb!.id })
    const events = await t.db.select().from(rightsRequestEvents).where(eq(rightsRequestEvents.requestId, r.dsr.id))
    expect(events.find((e) => e.kind === 'closed')?.details).toMatchObject({ outcome: 'fulfilled', tombstoneId: tomb!.id, byErasure: true })
    // Nothing to take over again.
    expect((await sweepErasures(t.db)).takenOver).toBe(0)
  })

  test("open requests about a child outlive the child's erasure: still answerable, nothing identifying left", { timeout: 120_000 }, async () => {
    const r = await fullRecord()
    const dpo = await makeAdult(t.db, { orgId: r.org.id, role: 'dpo' })
    const base = {
      orgId: r.org.id,
      channel: 'operator_log',
      subjectId: null,
      subjectName: `Anaëlle${r.tag} Quintard${r.tag}`,
      subjectBirthDate: `27/05/${r.year}`,
      requesterEmail: r.guardian.email!,
      requesterName: `Parent${r.tag}`,
      relation: 'guardian',
      message: `Pour Anaëlle${r.tag}, merci.`,
      lang: 'fr',
      receivedAt: now(),
      loggedBy: dpo.id,
      actorId: dpo.id,
      origin,
    }
    const access = await createReceivedRequest(t.db, { ...base, kind: 'access' } as Parameters<typeof createReceivedRequest>[1])
    const restriction = await createReceivedRequest(t.db, { ...base, kind: 'restriction' } as Parameters<typeof createReceivedRequest>[1])
    for (const q of [access, restriction]) {
      const a = { orgId: r.org.id, requestId: q.id, actorId: dpo.id, origin }
      await verifyIdentity(t.db, { ...a, method: 'in_person', note: `Anaëlle${r.tag} Quintard${r.tag}, vue en personne` })
      await setSubject(t.db, { ...a, subjectId: r.child.id })
    }
    const req = await requestDeletion(t.db, { subjectId: r.child.id, orgId: r.org.id, requestedBy: r.admin.id, role: 'admin', reason: 'left_school' })
    expect((await runDeletion(t.db, req.id)).status).toBe('erased')
    const [tomb] = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, req.id))

    for (const q of [access, restriction]) {
      const [row] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, q.id))
      // Still open, with its reference, kind, dates and the requester (who was not erased).
      expect(row).toMatchObject({ status: q.status, reference: q.reference, kind: q.kind, subjectId: null, subjectName: null, subjectBirthDate: null, message: null, subjectErasureId: tomb!.id })
      expect(row!.receivedAt).toEqual(q.receivedAt)
      expect(row!.requesterEmail).toBe(r.guardian.email)
      const events = await t.db.select().from(rightsRequestEvents).where(eq(rightsRequestEvents.requestId, q.id))
      expect(events.length).toBeGreaterThan(1)
      expect(events.every((e) => e.note === null && e.details === null)).toBe(true)
    }
    // The DPO's page says the person was erased, when, and under which reference — no picker of
    // members to re-attach the request to, and no name.
    const page = await get(dpoRequestPage.loader, `/org/${r.org.id}/dpo/requests/${access.id}`, { orgId: r.org.id, requestId: access.id }, await cookieFor(t.db, dpo))
    expect(page).toMatchObject({ subject: null, erased: { reference: tomb!.id, at: tomb!.completedAt.toISOString() } })
    expect(JSON.stringify(page)).not.toContain(`Quintard${r.tag}`)
    // Nothing of the child in any column (the round trip of the test above).
    for (const needle of [`Anaëlle${r.tag}`, `Quintard${r.tag}`, `27/05/${r.year}`]) expect(await findEverywhere(needle), needle).toEqual([])
    const idHits = (await findEverywhere(r.child.id)).filter((h) => CLASSIFICATION[h.table]?.columns[h.column]?.erasure !== 'keep')
    expect(idHits).toEqual([])
    // The DPO can still answer both.
    for (const q of [access, restriction]) {
      await closeRequest(t.db, { orgId: r.org.id, requestId: q.id, actorId: dpo.id, origin, outcome: 'no_data', note: null })
      const [row] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, q.id))
      expect(row).toMatchObject({ status: 'closed', outcome: 'no_data' })
    }
  })

  test('a request whose requester is erased keeps its evidence, without the requester', async () => {
    const r = await fullRecord()
    const dpo = await makeAdult(t.db, { orgId: r.org.id, role: 'dpo' })
    const q = await createReceivedRequest(t.db, {
      orgId: r.org.id,
      kind: 'rectification',
      channel: 'in_app',
      subjectId: r.guardian.id,
      subjectName: null,
      subjectBirthDate: null,
      requesterEmail: r.guardian.email!,
      requesterName: `Parent${r.tag}`,
      requesterUserId: r.guardian.id,
      relation: 'self',
      message: null,
      lang: 'fr',
      receivedAt: now(),
      actorId: r.guardian.id,
      origin,
    } as Parameters<typeof createReceivedRequest>[1])
    const req = await requestDeletion(t.db, { subjectId: r.guardian.id, orgId: null, requestedBy: r.guardian.id, role: 'self', reason: 'own_request' })
    await runDeletion(t.db, req.id)
    const [row] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, q.id))
    expect(row).toMatchObject({ reference: q.reference, kind: 'rectification', subjectId: null, requesterUserId: null, requesterName: null, requesterEmail: '' })
    await deliverProofTo(r.guardian.email!)
    expect(await findEverywhere(r.guardian.email!)).toEqual([])
    void dpo
  })

  test("an organization's deletion erases everything it controls; people who belong elsewhere keep their account", async () => {
    const r = await fullRecord()
    const family = await makeOrg(t.db, 'family')
    await t.db.insert(memberships).values({ orgId: family.id, userId: r.guardian.id, role: 'admin', createdAt: new Date() })
    const req = await requestOrganizationDeletion(t.db, { orgId: r.org.id, requestedBy: r.admin.id, role: 'admin', reason: 'early_deletion' })
    const out = await runDeletion(t.db, req.id)
    expect(out.status).toBe('erased')
    expect(await t.db.select().from(organizations).where(eq(organizations.id, r.org.id))).toHaveLength(0)
    for (const u of [r.child, r.teacher, r.admin]) expect(await t.db.select().from(users).where(eq(users.id, u.id))).toHaveLength(0)
    expect(await t.db.select().from(users).where(eq(users.id, r.guardian.id))).toHaveLength(1)
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, r.org.id))).toHaveLength(0)
    expect(await t.db.select().from(enrolments).where(eq(enrolments.orgId, r.org.id))).toHaveLength(0)
    expect(await findEverywhere(`Anaëlle${r.tag}`)).toEqual([])
    // The consent log stays as evidence (ids only) and still verifies.
    expect((await verifyChain(t.db, r.org.id)).ok).toBe(true)
    const tombs = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, req.id))
    expect(tombs.filter((x) => x.scope === 'account')).toHaveLength(3)
    expect(tombs.filter((x) => x.scope === 'organization')).toHaveLength(1)
    expect(await runDeletion(t.db, req.id)).toEqual({ status: 'skipped', reason: 'done' })
  })
})

describe('the deletion pages', () => {
  test("a guardian with consent rights deletes their child from a family space's page and may cancel within the grace period; without rights: 403", async () => {
    const { get, post, cookieFor } = await import('./dsr-helpers')
    const page = await import('~/routes/org.$orgId.members_.$userId.delete')
    // A school's pupil is the school's to erase: see guardian-school-erasure.test.ts.
    const r = await fullRecord({ orgKind: 'family' })
    await t.db.insert(orgPrivacySettings).values({ orgId: r.org.id, deletionGraceHours: 2 })
    const cookie = await cookieFor(t.db, r.guardian)
    const url = `/org/${r.org.id}/members/${r.child.id}/delete`
    const params = { orgId: r.org.id, userId: r.child.id }
    const view = await get(page.loader, url, params, cookie)
    expect(view).toMatchObject({ role: 'guardian', kind: 'child', alreadyRequested: false, graceHours: 2, cancellable: null })
    // Without the confirmation word: nothing happens.
    expect(await post(page.action, url, params, cookie, { intent: 'delete' })).toMatchObject({ status: 'error' })
    expect((await t.db.select().from(users).where(eq(users.id, r.child.id)))[0]!.deactivatedAt).toBeNull()
    expect(await post(page.action, url, params, cookie, { intent: 'delete', confirm: 'SUPPRIMER' })).toMatchObject({ status: 'success' })
    expect((await t.db.select().from(users).where(eq(users.id, r.child.id)))[0]!.deactivatedAt).not.toBeNull()
    const again = await get(page.loader, url, params, cookie)
    expect(again.cancellable).not.toBeNull()
    expect(await post(page.action, url, params, cookie, { intent: 'cancel', requestId: again.cancellable.id })).toMatchObject({ status: 'success' })
    expect((await t.db.select().from(users).where(eq(users.id, r.child.id)))[0]!.deactivatedAt).toBeNull()
    // A guardian without consent rights, and a teacher: refused (audited 403).
    await t.db.update(guardianLinks).set({ canGiveConsent: false }).where(eq(guardianLinks.guardianId, r.guardian.id))
    expect(((await get(page.loader, url, params, cookie)) as Response).status).toBe(403)
    expect(((await post(page.action, url, params, await cookieFor(t.db, r.teacher), { intent: 'delete', confirm: 'SUPPRIMER' })) as Response).status).toBe(403)
    expect((await t.db.select().from(users).where(eq(users.id, r.child.id)))[0]!.deactivatedAt).toBeNull()
  })
})

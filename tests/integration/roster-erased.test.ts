// Erased people stay erased (issue 13, ADR 021): a child erased after a request is flagged by
// the next roster import's dry run and not re-created by its commit, unless the admin ticks
// "this is a new enrolment" for the row (audited). Real erasure path (requestErasure +
// runDeletion), real PostgreSQL, the web flow's models and the CLI command.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { auditEvents, childProfiles, erasureTombstones, memberships, organizations, users } from '../../drizzle/schema'
import { now } from '~/clock.server'
import { formatDate } from '~/i18n'
import { commitImport } from '~/models/roster-import/commit.server'
import { confirmImport, createImport, getImport } from '~/models/roster-import/imports.server'
import { importView, type ImportView } from '~/models/roster-import/view.server'
import { closeQueues } from '~/queue/job.server'
import { requestErasure, setGraceHours } from '~/privacy/erasure/requests.server'
import { runDeletion } from '~/privacy/erasure/run.server'
import * as importPage from '~/routes/org.$orgId.import/route'
import { importRosterCommand } from '../../cli/commands/import-roster'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult } from '../helpers/factories'
import { cookieFor, get, post } from './dsr-helpers'

process.env.CARNET_QUEUE_PREFIX = `carnet-test-${randomBytes(4).toString('hex')}`
delete process.env.REDIS_URL // the PostgreSQL queue backend, on this file's own database

const YEAR = '2026-2027'
const origin = { ip: '198.51.100.4', userAgent: 'vitest' }
const quiet = { warn() {} }
const HEADER = 'Nom;Prénom;Date de naissance;Classe;Groupe;Identifiant;Email responsable 1;Email responsable 2'
const ROWS = [
  HEADER,
  // line 2: the child who will be erased (a guardian email of her own, so the commit must drop her from the invitations too)
  'Dupont;Zoé;03/04/2019;CP A;;INE001;parent.dupont@exemple.fr;',
  'Martin;Léo;12/05/2019;CP A;;INE002;famille.martin@exemple.fr;',
  'Bernard;Inès;21/06/2019;CP A;;INE003;;',
]

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir: string
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-roster-erased-'))
  process.env.DATA_DIR = dataDir
  t = await useTestDatabase()
})
afterAll(async () => {
  await closeQueues()
  await dropTestDatabase(t.name)
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const csv = (lines: string[]) => [{ name: 'eleves.csv', bytes: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8') }]

async function newSchool(name: string) {
  const [org] = await t.db.insert(organizations).values({ kind: 'school', name, createdAt: now() }).returning()
  const admin = await makeAdult(t.db, { orgId: org!.id, role: 'admin' })
  return { orgId: org!.id, adminId: admin.id }
}

/** The web flow: dry run, confirmation (with the ticked rows), commit as the background job does (from the stored confirmation). */
async function importFile(s: { orgId: string; adminId: string }, lines: string[], newEnrolmentLines: number[] = []) {
  const created = await createImport(t.db, { orgId: s.orgId, actorId: s.adminId, files: csv(lines), schoolYear: YEAR })
  await confirmImport(t.db, { orgId: s.orgId, importId: created.id, actorId: s.adminId, archiveChildIds: [], newEnrolmentLines, origin })
  const result = await commitImport(t.db, { orgId: s.orgId, importId: created.id, actorId: s.adminId, origin })
  return { created, result }
}

const childByExternalId = async (orgId: string, externalId: string) =>
  (
    await t.db
      .select({ id: childProfiles.childId })
      .from(childProfiles)
      .where(and(eq(childProfiles.orgId, orgId), eq(childProfiles.externalId, externalId)))
  )[0]?.id ?? null
const childrenNamed = async (firstName: string, lastName: string) =>
  t.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.firstName, firstName), eq(users.lastName, lastName)))

/** The real path: an erasure request, then the erasure job's work. */
async function erase(s: { orgId: string; adminId: string }, childId: string) {
  const req = await requestErasure(t.db, { of: 'person', subjectId: childId, orgId: s.orgId, requestedBy: s.adminId, role: 'admin', reason: 'admin_request', origin }, quiet)
  expect((await runDeletion(t.db, req.id)).status).toBe('erased')
  const [tomb] = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, req.id))
  return tomb!
}

describe('a child erased after a request, then the same file imported again', () => {
  let school: Awaited<ReturnType<typeof newSchool>>
  let tomb: typeof erasureTombstones.$inferSelect
  let zoeId: string

  beforeAll(async () => {
    school = await newSchool('École effacements')
    const first = await importFile(school, ROWS)
    expect(first.result.childrenCreated).toBe(3)
    zoeId = (await childByExternalId(school.orgId, 'INE001'))!
    tomb = await erase(school, zoeId)
    expect(await childrenNamed('Zoé', 'Dupont')).toHaveLength(0)
  })

  test('the tombstone keeps HMACs (server secret) of the organization + external id and + names + birth date, never the values', async () => {
    const secret = process.env.SESSION_SECRET!
    const hmac = (purpose: string, value: string) => createHmac('sha256', secret).update(`${purpose}\0${value}`).digest('hex')
    expect(tomb.externalIdHmacs).toEqual([hmac('erasure-tombstone:external-id', `${school.orgId}\0ine001`)])
    expect(tomb.nameHmacs).toEqual([hmac('erasure-tombstone:name-birth', `${school.orgId}\0zoe\0dupont\x002019-04-03`)])
    // Not a plain hash anyone could recompute from a guessed name and birth date.
    expect(tomb.nameHmacs[0]).not.toBe(createHash('sha256').update(`erasure-tombstone:name-birth\0${school.orgId}\0zoe\0dupont\x002019-04-03`).digest('hex'))
    const stored = JSON.stringify(tomb).toLowerCase()
    for (const clear of ['ine001', 'zoé', 'zoe', 'dupont', '2019-04-03', 'parent.dupont']) expect(stored).not.toContain(clear)
  })

  test('the dry run flags the row "erased on <date> after a request — not re-created", in French and English', async () => {
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: csv(ROWS), schoolYear: YEAR })
    const plan = created.plan!
    expect(plan.counts).toMatchObject({ childrenCreate: 0, childrenUnchanged: 2, childrenErased: 1 })
    expect(plan.children.erased).toEqual([expect.objectContaining({ line: 2, lastName: 'Dupont', erasure: { tombstoneId: tomb.id, erasedAt: tomb.completedAt.toISOString(), match: 'external_id' } })])
    const row = await getImport(t.db, { orgId: school.orgId, importId: created.id })
    expect(importView(row, 'fr').plan!.erased.rows[0]!.flag).toBe(`effacé le ${formatDate('fr', tomb.completedAt)} à la suite d’une demande — non recréé`)
    expect(importView(row, 'en').plan!.erased.rows[0]!.flag).toBe(`erased on ${formatDate('en', tomb.completedAt)} after a request — not re-created`)
    // The invitation only for the erased child is not announced either.
    expect(importView(row, 'en').plan!.guardiansCreate.rows.map((g) => g.email)).not.toContain('parent.dupont@exemple.fr')
  })

  test('the commit does not re-create the erased child (nor invite for her), and a tick for an unflagged row is ignored', async () => {
    const { result } = await importFile(school, ROWS, [3, 99])
    expect(result).toMatchObject({ childrenCreated: 0, childrenUnchanged: 2, childrenErasedSkipped: 1, childrenReenrolled: 0 })
    expect(await childrenNamed('Zoé', 'Dupont')).toHaveLength(0)
    expect(await childByExternalId(school.orgId, 'INE001')).toBeNull()
    expect(await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'roster.erased_child_reenrolled'))).toHaveLength(0)
  })

  test('a commit that fails half-way writes nothing: neither the ticked child nor the audit of the tick', async () => {
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: csv(ROWS), schoolYear: YEAR })
    await confirmImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, archiveChildIds: [], newEnrolmentLines: [2], origin })
    const boom = () => {
      throw new Error('disk full')
    }
    await expect(commitImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, origin, onProgress: boom })).rejects.toThrow('disk full')
    expect(await childByExternalId(school.orgId, 'INE001')).toBeNull()
    expect(await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'roster.erased_child_reenrolled'))).toHaveLength(0)
  })

  test('ticking "this is a new enrolment" re-creates her, and the tick is audited (who, which import, which row, which tombstone)', async () => {
    const { created, result } = await importFile(school, ROWS, [2])
    expect(result).toMatchObject({ childrenCreated: 1, childrenErasedSkipped: 0, childrenReenrolled: 1 })
    const newId = await childByExternalId(school.orgId, 'INE001')
    expect(newId).not.toBeNull()
    expect(newId).not.toBe(zoeId)
    const audits = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'roster.erased_child_reenrolled'))
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({
      actorId: school.adminId,
      orgId: school.orgId,
      targetType: 'child',
      targetId: newId,
      ip: origin.ip,
      details: { importId: created.id, line: 2, tombstoneId: tomb.id, match: 'external_id' },
    })
    expect(audits[0]!.at).toBeInstanceOf(Date)
    // She exists again: the next import matches her as an existing child, no flag.
    const again = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: csv(ROWS), schoolYear: YEAR })
    expect(again.plan!.counts).toMatchObject({ childrenErased: 0, childrenUnchanged: 3 })
  })

  test("another organization's tombstone does not match: the same file imports in full elsewhere", async () => {
    const other = await newSchool('École voisine')
    const created = await createImport(t.db, { orgId: other.orgId, actorId: other.adminId, files: csv(ROWS), schoolYear: YEAR })
    expect(created.plan!.counts).toMatchObject({ childrenCreate: 3, childrenErased: 0 })
  })
})

test('without an external id, the row matches by names (case, accents, spaces folded) and date of birth', async () => {
  const school = await newSchool('École sans identifiants')
  await importFile(school, ['Nom;Prénom;Date de naissance;Classe', 'Lefèvre;Chloé;01/09/2018;CE1 B', 'Petit;Jade;02/02/2019;CE1 B'])
  const [chloe] = await childrenNamed('Chloé', 'Lefèvre')
  const tomb = await erase(school, chloe!.id)
  expect(tomb.externalIdHmacs).toEqual([])

  const lines = [
    'Nom;Prénom;Date de naissance;Classe;Identifiant',
    'LEFEVRE;  chloé ;2018-09-01;CE1 B;', // line 2: the erased child, typed differently
    'Lefèvre;Chloé;02/09/2018;CE1 B;', // line 3: another birth date, another child
    'Petit;Jade;02/02/2019;CE1 B;',
  ]
  const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: csv(lines), schoolYear: YEAR })
  expect(created.plan!.children.erased!.map((c) => [c.line, c.erasure.match, c.erasure.tombstoneId])).toEqual([[2, 'name', tomb.id]])
  expect(created.plan!.children.create.map((c) => c.line)).toEqual([3])

  // An erased child who had an external id: the same names with ANOTHER id are another child.
  await importFile(school, ['Nom;Prénom;Date de naissance;Classe;Identifiant', 'Roux;Tom;03/03/2019;CE1 B;ID-T1'])
  await erase(school, (await childByExternalId(school.orgId, 'ID-T1'))!)
  const twin = await createImport(t.db, {
    orgId: school.orgId,
    actorId: school.adminId,
    files: csv(['Nom;Prénom;Date de naissance;Classe;Identifiant', 'Roux;Tom;03/03/2019;CE1 B;ID-T2']),
    schoolYear: YEAR,
  })
  expect(twin.plan!.counts).toMatchObject({ childrenCreate: 1, childrenErased: 0 })
})

test('a child whose erasure is requested but not yet done (grace period) is not re-created meanwhile either', async () => {
  const school = await newSchool('École délai de grâce')
  await importFile(school, ROWS)
  await setGraceHours(t.db, { orgId: school.orgId, hours: 12, by: school.adminId })
  const zoe = (await childByExternalId(school.orgId, 'INE001'))!
  const req = await requestErasure(t.db, { of: 'person', subjectId: zoe, orgId: school.orgId, requestedBy: school.adminId, role: 'admin', reason: 'admin_request', origin }, quiet)
  expect((await runDeletion(t.db, req.id)).status).toBe('skipped') // waits for the grace period: hidden, not erased
  const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: csv(ROWS), schoolYear: YEAR })
  expect(created.plan!.children.erased).toEqual([
    expect.objectContaining({ line: 2, erasure: { tombstoneId: null, pendingRequestId: req.id, erasedAt: req.requestedAt.toISOString(), match: 'external_id' } }),
  ])
  const row = await getImport(t.db, { orgId: school.orgId, importId: created.id })
  expect(importView(row, 'en').plan!.erased.rows[0]!.flag).toBe(`erasure requested on ${formatDate('en', req.requestedAt)} — not re-created`)
  await confirmImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, archiveChildIds: [], origin })
  expect(await commitImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, origin })).toMatchObject({ childrenCreated: 0, childrenErasedSkipped: 1 })
  const inSchool = await t.db
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, school.orgId)))
    .where(and(eq(users.firstName, 'Zoé'), eq(users.lastName, 'Dupont')))
  expect(inSchool).toEqual([{ id: zoe }]) // only the one being erased
})

describe('CLI: carnet import-roster and an erased child', () => {
  const run = async (args: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await importRosterCommand(args, { out: (s) => out.push(s), err: (s) => err.push(s) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  let school: Awaited<ReturnType<typeof newSchool>>
  let file: string
  let tomb: typeof erasureTombstones.$inferSelect
  beforeAll(async () => {
    school = await newSchool('École CLI effacements')
    file = path.join(dataDir, 'eleves.csv')
    fs.writeFileSync(file, csv(ROWS)[0]!.bytes)
    expect((await run(['--org', school.orgId, '--year', YEAR, '--lang', 'en', file])).code).toBe(0)
    tomb = await erase(school, (await childByExternalId(school.orgId, 'INE001'))!)
  })

  test('the dry run prints the flag on the row; the commit skips it', async () => {
    const dry = await run(['--org', school.orgId, '--year', YEAR, '--lang', 'fr', '--dry-run', file])
    expect(dry.code).toBe(0)
    expect(dry.out).toContain(`ligne 2 : Dupont Zoé — effacé le ${formatDate('fr', tomb.completedAt)} à la suite d’une demande — non recréé`)
    const commit = await run(['--org', school.orgId, '--year', YEAR, '--lang', 'en', file])
    expect(commit.code).toBe(0)
    expect(commit.out).toContain(`line 2: Dupont Zoé — erased on ${formatDate('en', tomb.completedAt)} after a request — not re-created`)
    expect(commit.out).toContain('1 child erased after a request not re-created, 0 re-created as new enrolments.')
    expect(await childByExternalId(school.orgId, 'INE001')).toBeNull()
  })

  test('bad --new-enrolment: a clear message, nothing written', async () => {
    const r = await run(['--org', school.orgId, '--year', YEAR, '--lang', 'en', '--new-enrolment', 'two', file])
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('--new-enrolment takes line numbers') })
    expect(await childByExternalId(school.orgId, 'INE001')).toBeNull()
  })

  test('--new-enrolment 2 re-creates the row, audited as the command line', async () => {
    const r = await run(['--org', school.orgId, '--year', YEAR, '--lang', 'en', '--new-enrolment', '2', file])
    expect(r.code).toBe(0)
    expect(r.out).toContain('line 2: Dupont Zoé — erased on')
    expect(r.out).toContain('re-created as a new enrolment (--new-enrolment)')
    const newId = await childByExternalId(school.orgId, 'INE001')
    expect(newId).not.toBeNull()
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'roster.erased_child_reenrolled'), eq(auditEvents.targetId, newId!)))
    expect(audit).toMatchObject({ actorId: null, orgId: school.orgId, userAgent: 'carnet-cli', details: { line: 2, tombstoneId: tomb.id } })
  })
})

describe('the import page (real route, session and policy)', () => {
  let school: Awaited<ReturnType<typeof newSchool>>
  let cookie: string
  let tomb: typeof erasureTombstones.$inferSelect
  const url = () => `/org/${school.orgId}/import`
  const params = () => ({ orgId: school.orgId })

  /** Uploads the file through the page's form; returns the dry run's view. */
  async function upload() {
    const form = new FormData()
    form.set('intent', 'upload')
    form.set('schoolYear', YEAR)
    form.set('file', new File([csv(ROWS)[0]!.bytes], 'eleves.csv', { type: 'text/csv' }))
    const res = await post(importPage.action, url(), params(), cookie, form)
    expect(res).toBeInstanceOf(Response)
    const location = (res as Response).headers.get('location')!
    const id = new URL(location, 'http://localhost').searchParams.get('id')!
    const page = await get(importPage.loader, `${url()}?id=${id}`, params(), cookie)
    return { id, view: page.view as ImportView }
  }

  beforeAll(async () => {
    school = await newSchool('École page effacements')
    const admin = (await t.db.select().from(users).where(eq(users.id, school.adminId)))[0]!
    cookie = await cookieFor(t.db, { id: admin.id, kind: 'adult' })
    await importFile(school, ROWS)
    tomb = await erase(school, (await childByExternalId(school.orgId, 'INE001'))!)
  })

  test('the dry run shows the flagged row; confirming without a tick skips it, with "this is a new enrolment" ticked re-creates it, audited with the admin and address', async () => {
    const first = await upload()
    expect(first.view.plan!.erased.rows).toEqual([
      expect.objectContaining({ line: 2, lastName: 'Dupont', flag: `effacé le ${formatDate('fr', tomb.completedAt)} à la suite d’une demande — non recréé` }),
    ])
    const skip = new FormData()
    skip.set('intent', 'confirm')
    skip.set('importId', first.id)
    await post(importPage.action, url(), params(), cookie, skip)
    expect((await getImport(t.db, { orgId: school.orgId, importId: first.id })).payload!.result).toMatchObject({ childrenErasedSkipped: 1, childrenReenrolled: 0 })
    expect(await childByExternalId(school.orgId, 'INE001')).toBeNull()

    const second = await upload()
    const tick = new FormData()
    tick.set('intent', 'confirm')
    tick.set('importId', second.id)
    tick.append('newEnrolment', '2')
    tick.append('newEnrolment', '4') // an unflagged row: ignored
    await post(importPage.action, url(), params(), cookie, tick)
    expect((await getImport(t.db, { orgId: school.orgId, importId: second.id })).payload!.result).toMatchObject({ childrenCreated: 1, childrenReenrolled: 1 })
    const newId = await childByExternalId(school.orgId, 'INE001')
    expect(newId).not.toBeNull()
    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'roster.erased_child_reenrolled'), eq(auditEvents.orgId, school.orgId)))
    expect(audits).toEqual([
      expect.objectContaining({ actorId: school.adminId, targetId: newId, ip: '127.0.0.1', details: expect.objectContaining({ importId: second.id, line: 2, tombstoneId: tomb.id }) }),
    ])
  })
})

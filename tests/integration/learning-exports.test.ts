// Learning exports against the real routes, sessions and policy: the class ZIP opened and
// checked (manifest hashes, CSV with BOM, JSON, one PDF per child with accented names), who is
// refused (a teacher of another class, a guardian of another child, a teacher for the whole
// school), the guardian's own-child PDF (published items only), the background export with
// its progress, 7-day link, audited download and sweep.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import unzipper from 'unzipper'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents, exportFiles } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { DAY, useFakeClock } from '~/clock.server'
import { buildExportFile, createExportFile } from '~/exports/learning/files.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import { createLink } from '~/models/families/links.server'
import { createActivity } from '~/models/learning/activities.server'
import { submitQuiz } from '~/models/learning/child-quiz.server'
import { recordObservations } from '~/models/learning/observations.server'
import { setActivitiesPublished } from '~/models/learning/publish.server'
import { listSkills } from '~/models/learning/skills.server'
import * as exportsPage from '~/routes/org.$orgId.exports'
import * as zipRoute from '~/routes/org.$orgId.exports.zip'
import * as download from '~/routes/org.$orgId.exports.$exportId'
import * as childPdf from '~/routes/org.$orgId.children.$childId_.record.pdf'
import * as classPdf from '~/routes/org.$orgId.classes.$classId_.learning.pdf'
import { exportLearningJob } from '../../workers/jobs/export-learning.server'
import { exportSweepJob } from '../../workers/jobs/export-sweep.server'
import { closeQueues, runJob } from '../../app/queue/job.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach } from '../helpers/factories'

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir = ''
const origin = { ip: '127.0.0.1', userAgent: 'vitest' }
const NAMES: [string, string][] = [
  ['Zoé', 'Müller'],
  ['Łukasz', 'Nowak'],
  ['Nguyễn', 'Văn An'],
  ['Ömer', 'Yılmaz'],
  ['Ioana-Maria', "O'Brien"],
]

async function call(fn: unknown, url: string, params: Record<string, string>, cookie: string, form?: Record<string, string>) {
  const headers: Record<string, string> = { 'user-agent': 'vitest', 'x-carnet-remote-addr': '127.0.0.9', cookie }
  const request = form
    ? new Request(`http://localhost${url}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) })
    : new Request(`http://localhost${url}`, { headers })
  try {
    const res = await (fn as Fn)({ request, params, context: {} })
    return res instanceof Response ? res : new Response(JSON.stringify(res), { status: 200, headers: { 'content-type': 'application/json' } })
  } catch (e) {
    if (e instanceof Response) return e
    throw e
  }
}

const S = {} as Record<'orgId' | 'a1' | 'a2' | 'zoe' | 'hugo', string> & Record<'teacher' | 'other' | 'admin' | 'dpo' | 'guardian' | 'otherGuardian', string>
const cookies = {} as Record<'teacher' | 'other' | 'admin' | 'dpo' | 'guardian' | 'otherGuardian', string>

beforeAll(async () => {
  t = await useTestDatabase()
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-learning-exports-'))
  process.env.DATA_DIR = dataDir
  const db = t.db
  const org = await makeOrg(db, 'school', 'École Jules-Ferry')
  const a1 = await makeClass(db, org.id, 'CM1 A')
  const a2 = await makeClass(db, org.id, 'CM1 B')
  const people = {
    teacher: await makeAdult(db, { orgId: org.id, role: 'teacher' }),
    other: await makeAdult(db, { orgId: org.id, role: 'teacher' }),
    admin: await makeAdult(db, { orgId: org.id, role: 'admin' }),
    dpo: await makeAdult(db, { orgId: org.id, role: 'dpo' }),
    guardian: await makeAdult(db, { orgId: org.id, role: 'guardian' }),
    otherGuardian: await makeAdult(db, { orgId: org.id, role: 'guardian' }),
  }
  await teach(db, { orgId: org.id, classId: a1.id, userId: people.teacher.id })
  await teach(db, { orgId: org.id, classId: a2.id, userId: people.other.id })
  const kids = []
  for (const [firstName, lastName] of NAMES) kids.push(await makeChild(db, { orgId: org.id, classId: a1.id, firstName, lastName }))
  const hugo = await makeChild(db, { orgId: org.id, classId: a2.id, firstName: 'Hugo', lastName: 'Autre' })
  const by = { actorId: people.admin.id, ...origin }
  await createLink(db, { orgId: org.id, childId: kids[0]!.id, guardianId: people.guardian.id, legalStatus: 'parent', by, via: 'code' })
  await createLink(db, { orgId: org.id, childId: hugo.id, guardianId: people.otherGuardian.id, legalStatus: 'parent', by, via: 'code' })
  const skills = await listSkills(db, { orgId: org.id })
  const skill = skills.find((s) => s.code === 'C3-MA-NOMB-1')!
  const teacherBy = { actorId: people.teacher.id, ...origin }
  const published = await createActivity(db, {
    orgId: org.id,
    classId: a1.id,
    kind: 'quiz',
    title: 'Fractions — publiées',
    skillIds: [skill.id],
    questions: [
      { text: 'Un demi + un demi ?', choices: ['Un', 'Deux'], correctIndex: 0 },
      { text: 'Deux quarts ?', choices: ['Un demi', 'Un tiers'], correctIndex: 0 },
    ],
    by: teacherBy,
  })
  const hidden = await createActivity(db, {
    orgId: org.id,
    classId: a1.id,
    kind: 'quiz',
    title: 'Calcul — pas publié',
    skillIds: [],
    questions: [{ text: '2 + 2 ?', choices: ['4', '5'], correctIndex: 0 }],
    by: teacherBy,
  })
  for (const [i, k] of kids.entries()) {
    await submitQuiz(db, { childId: k.id, activityId: published.id, answers: [0, i % 2], durationMs: 30_000, origin })
    await submitQuiz(db, { childId: k.id, activityId: hidden.id, answers: [0], origin })
  }
  await setActivitiesPublished(db, { orgId: org.id, classId: a1.id, activityIds: [published.id], publish: true, by: teacherBy })
  await recordObservations(db, {
    orgId: org.id,
    classId: a1.id,
    skillId: skill.id,
    observedOn: '2026-03-02',
    entries: kids.map((k, i) => ({ childId: k.id, level: i % 2 ? 'in_progress' : 'acquired', note: i === 0 ? 'Très à l’aise avec les fractions.' : null })),
    by: teacherBy,
  })
  Object.assign(S, { orgId: org.id, a1: a1.id, a2: a2.id, zoe: kids[0]!.id, hugo: hugo.id })
  for (const [k, u] of Object.entries(people)) {
    S[k as keyof typeof people] = u.id
    cookies[k as keyof typeof people] = `carnet_session=${(await createSession(db, u.id, { kind: 'adult' })).token}`
  }
})
afterAll(async () => {
  await closeQueues()
  delete process.env.CARNET_EXPORT_SYNC_MAX_CHILDREN
  fs.rmSync(dataDir, { recursive: true, force: true })
  await dropTestDatabase(t.name)
})

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

async function openZip(res: Response) {
  const buf = Buffer.from(await res.arrayBuffer())
  const dir = await unzipper.Open.buffer(buf)
  const files = new Map<string, Buffer>()
  for (const f of dir.files) files.set(f.path, await f.buffer())
  return files
}

describe('the class ZIP', () => {
  test('the class’s teacher gets it at once: PDFs per child, CSV with BOM, JSON, manifest with every hash', async () => {
    const res = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, { orgId: S.orgId }, cookies.teacher, { kind: 'class', classId: S.a1 })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/zip')
    const files = await openZip(res)
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'))
    expect(manifest.scope).toMatchObject({ kind: 'class', classId: S.a1, classes: ['CM1 A'] })
    expect(manifest.author.id).toBe(S.teacher)
    expect(manifest.counts).toEqual({ children: 5, results: 10, observations: 5 })
    const listed = manifest.files.map((f: { name: string }) => f.name).sort()
    expect(listed).toEqual([...files.keys()].filter((n) => n !== 'manifest.json').sort())
    for (const f of manifest.files) {
      expect(sha(files.get(f.name)!), f.name).toBe(f.sha256)
      expect(files.get(f.name)!.length).toBe(f.bytes)
    }
    const csv = files.get('results.csv')!
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n')
    expect(lines[0]).toBe('type,child_id,last_name,first_name,class,activity,skills,date,score,max,percent,level,note,published_at')
    expect(lines.filter((l) => l.startsWith('result,'))).toHaveLength(10)
    expect(lines.filter((l) => l.startsWith('observation,'))).toHaveLength(5)
    expect(lines.some((l) => l.includes('Müller,Zoé'))).toBe(true)
    const json = JSON.parse(files.get('results.json')!.toString('utf8'))
    expect(json.children).toHaveLength(5)
    const pdfs = [...files.keys()].filter((n) => n.endsWith('.pdf'))
    expect(pdfs).toHaveLength(5)
    const texts = await Promise.all(pdfs.map(async (n) => (await extractPdfText(new Uint8Array(files.get(n)!))).join('\n')))
    for (const [first, last] of NAMES)
      expect(
        texts.some((x) => x.includes(`${first} ${last}`)),
        `${first} ${last} in ${texts.map((x) => x.split('\n')[2]).join(' | ')}`,
      ).toBe(true)
    const zoe = texts.find((x) => x.includes('Zoé Müller'))!
    expect(zoe).toContain('École Jules-Ferry')
    expect(zoe).toContain('CM1 A')
    expect(zoe).toContain('Fractions — publiées')
    expect(zoe).toContain('Très à l’aise avec les fractions.')
    expect(zoe).toMatch(/Page 1 sur \d/)
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'export.learning_zip'), eq(auditEvents.actorId, S.teacher)))
    expect(audit).toHaveLength(1)
  })

  test('for one period: only what happened in it, and the manifest says which period', async () => {
    // The observations are dated 2026-03-02; the quizzes were taken today.
    const res = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, { orgId: S.orgId }, cookies.teacher, { kind: 'class', classId: S.a1, from: '2026-03-01', to: '2026-03-31' })
    expect(res.status).toBe(200)
    const files = await openZip(res)
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'))
    expect(manifest.scope).toMatchObject({ kind: 'class', classId: S.a1, from: '2026-03-01', to: '2026-03-31' })
    expect(manifest.counts).toEqual({ children: 5, results: 0, observations: 5 })
    const lines = files.get('results.csv')!.toString('utf8').slice(1).trim().split('\r\n')
    expect(lines.filter((l) => l.startsWith('result,'))).toHaveLength(0)
    expect(lines.filter((l) => l.startsWith('observation,'))).toHaveLength(5)
    // Dates typed the wrong way round are read as the period they mean.
    const reversed = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, { orgId: S.orgId }, cookies.teacher, { kind: 'class', classId: S.a1, from: '2026-04-01', to: '2026-03-01' })
    const again = JSON.parse((await openZip(reversed)).get('manifest.json')!.toString('utf8'))
    expect(again.scope).toMatchObject({ from: '2026-03-01', to: '2026-04-01' })
    expect(again.counts).toEqual({ children: 5, results: 0, observations: 5 })
  })

  test('refused to a teacher of another class, to a teacher for the whole school, and audited', async () => {
    const res = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, { orgId: S.orgId }, cookies.other, { kind: 'class', classId: S.a1 })
    expect(res.status).toBe(403)
    const school = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, { orgId: S.orgId }, cookies.teacher, { kind: 'school' })
    expect(school.status).toBe(403)
    const pdf = await call(classPdf.loader, `/org/${S.orgId}/classes/${S.a1}/learning/pdf`, { orgId: S.orgId, classId: S.a1 }, cookies.other)
    expect(pdf.status).toBe(403)
    const denied = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, S.other)))
    expect(denied.length).toBeGreaterThanOrEqual(2)
    // The exports page only offers what may be exported.
    const page = await call(exportsPage.loader, `/org/${S.orgId}/exports`, { orgId: S.orgId }, cookies.other)
    const data = await page.json()
    expect(data.classes.map((c: { name: string }) => c.name)).toEqual(['CM1 B'])
    expect(data.schoolAllowed).toBe(false)
  })

  test('refused to guardians (a class is not theirs to export)', async () => {
    const res = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, { orgId: S.orgId }, cookies.guardian, { kind: 'class', classId: S.a1 })
    expect(res.status).toBe(403)
  })

  test('the class results PDF is paginated with headers and page numbers', async () => {
    const res = await call(classPdf.loader, `/org/${S.orgId}/classes/${S.a1}/learning/pdf`, { orgId: S.orgId, classId: S.a1 }, cookies.teacher)
    expect(res.status).toBe(200)
    const pages = await extractPdfText(new Uint8Array(await res.arrayBuffer()))
    pages.forEach((p, i) => {
      expect(p).toContain('Résultats de la classe')
      expect(p).toContain(`Page ${i + 1} sur ${pages.length}`)
    })
    expect(pages.join('\n')).toContain("O'Brien Ioana-Maria")
  })
})

describe('a child’s PDF', () => {
  test('the guardian of the child gets the published items only; a guardian of another child is refused', async () => {
    const res = await call(childPdf.loader, `/org/${S.orgId}/children/${S.zoe}/record/pdf`, { orgId: S.orgId, childId: S.zoe }, cookies.guardian)
    expect(res.status).toBe(200)
    const text = (await extractPdfText(new Uint8Array(await res.arrayBuffer()))).join('\n')
    expect(text).toContain('Zoé Müller')
    expect(text).toContain('Éléments publiés aux familles')
    expect(text).toContain('Fractions — publiées')
    expect(text).not.toContain('Calcul — pas publié')
    expect(text).not.toContain('Très à l’aise')
    const refused = await call(childPdf.loader, `/org/${S.orgId}/children/${S.zoe}/record/pdf`, { orgId: S.orgId, childId: S.zoe }, cookies.otherGuardian)
    expect(refused.status).toBe(403)
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'export.learning_child_pdf'), eq(auditEvents.actorId, S.guardian)))
    expect(audit).toHaveLength(1)
  })

  test('the teacher of the child gets everything; a teacher of another class is refused', async () => {
    const res = await call(childPdf.loader, `/org/${S.orgId}/children/${S.zoe}/record/pdf`, { orgId: S.orgId, childId: S.zoe }, cookies.teacher)
    const text = (await extractPdfText(new Uint8Array(await res.arrayBuffer()))).join('\n')
    expect(text).toContain('Calcul — pas publié')
    expect(text).toContain('Très à l’aise avec les fractions.')
    const refused = await call(childPdf.loader, `/org/${S.orgId}/children/${S.zoe}/record/pdf`, { orgId: S.orgId, childId: S.zoe }, cookies.other)
    expect(refused.status).toBe(403)
  })
})

describe('large exports in the background', () => {
  test('job with progress, a download link for its author only, audited; expired after 7 days and swept', async () => {
    process.env.CARNET_EXPORT_SYNC_MAX_CHILDREN = '0'
    const res = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, { orgId: S.orgId }, cookies.admin, { kind: 'school' })
    expect(res.status).toBe(302)
    const id = new URL(res.headers.get('location')!, 'http://x').searchParams.get('started')!
    let [row] = await t.db.select().from(exportFiles).where(eq(exportFiles.id, id))
    expect(row).toMatchObject({ status: 'queued', total: 6 })
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(7 * DAY)
    // The worker's processor (BullMQ runs the same function); twice is harmless.
    await runJob(exportLearningJob, { orgId: S.orgId, exportId: id }, { log: { info() {}, warn() {}, error() {} }, jobId: 'test', attempt: 1 })
    await runJob(exportLearningJob, { orgId: S.orgId, exportId: id }, { log: { info() {}, warn() {}, error() {} }, jobId: 'test', attempt: 2 })
    ;[row] = await t.db.select().from(exportFiles).where(eq(exportFiles.id, id))
    expect(row).toMatchObject({ status: 'done', progress: 6, total: 6 })
    expect(row!.path!.startsWith(path.join(dataDir, 'exports'))).toBe(true)
    const page = await (await call(exportsPage.loader, `/org/${S.orgId}/exports`, { orgId: S.orgId }, cookies.admin)).json()
    expect(page.exports[0]).toMatchObject({ id, status: 'done', progress: 6 })

    const got = await call(download.loader, `/org/${S.orgId}/exports/${id}`, { orgId: S.orgId, exportId: id }, cookies.admin)
    expect(got.status).toBe(200)
    const buf = Buffer.from(await got.arrayBuffer())
    expect(sha(buf)).toBe(row!.sha256)
    const files = await openZip(new Response(buf))
    expect(JSON.parse(files.get('manifest.json')!.toString()).counts.children).toBe(6)
    expect([...files.keys()].filter((n) => n.endsWith('.pdf')).every((n) => n.startsWith('eleves/CM1_'))).toBe(true)
    const audited = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'export.download'), eq(auditEvents.targetId, id)))
    expect(audited).toHaveLength(1)
    // Someone else (even allowed to export the school) does not get another person's file.
    expect((await call(download.loader, `/org/${S.orgId}/exports/${id}`, { orgId: S.orgId, exportId: id }, cookies.dpo)).status).toBe(404)

    const clock = useFakeClock(new Date(row!.createdAt.getTime() + 7 * DAY + 60_000))
    try {
      // A new session a week later (the first one has long been locked for inactivity).
      const later = `carnet_session=${(await createSession(t.db, S.admin, { kind: 'adult' })).token}`
      expect((await call(download.loader, `/org/${S.orgId}/exports/${id}`, { orgId: S.orgId, exportId: id }, later)).status).toBe(410)
      const swept = await runJob(exportSweepJob, {}, { log: console, jobId: undefined, attempt: 1 })
      expect(swept).toEqual({ deleted: 1, failed: 0 })
      expect(fs.existsSync(row!.path!)).toBe(false)
      ;[row] = await t.db.select().from(exportFiles).where(eq(exportFiles.id, id))
      expect(row).toMatchObject({ status: 'expired', path: null })
      expect(await runJob(exportSweepJob, {}, { log: console, jobId: undefined, attempt: 1 })).toEqual({ deleted: 0, failed: 0 })
    } finally {
      clock.restore()
      process.env.CARNET_EXPORT_SYNC_MAX_CHILDREN = '60'
    }
  })

  test('with CARNET_EXPORT_PDF_THREADS the PDFs are rendered on worker threads, same contents', async () => {
    process.env.CARNET_EXPORT_PDF_THREADS = '2'
    try {
      const file = await createExportFile(t.db, { orgId: S.orgId, scope: { kind: 'class', classId: S.a1 }, authorId: S.teacher, lang: 'fr', total: 5 })
      const { row } = await buildExportFile(t.db, { orgId: S.orgId, exportId: file.id })
      const files = await openZip(new Response(fs.readFileSync(row.path!)))
      const manifest = JSON.parse(files.get('manifest.json')!.toString())
      expect(manifest.counts).toEqual({ children: 5, results: 10, observations: 5 })
      for (const f of manifest.files) expect(sha(files.get(f.name)!), f.name).toBe(f.sha256)
      const texts = await Promise.all([...files.keys()].filter((n) => n.endsWith('.pdf')).map(async (n) => (await extractPdfText(new Uint8Array(files.get(n)!))).join('\n')))
      for (const [first, last] of NAMES)
        expect(
          texts.some((x) => x.includes(`${first} ${last}`)),
          `${first} ${last}`,
        ).toBe(true)
    } finally {
      delete process.env.CARNET_EXPORT_PDF_THREADS
    }
  })
})

// A background export that fails does not stay "running" forever with children's records left
// on disk. Real failures only: the database connection of the running export is cut (what a
// PostgreSQL stop does to it), and a worker process is killed with SIGKILL in mid-build.
// Then: the partial file is gone at once, the row says failed, the page offers "try again",
// and the retry builds the file.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents, exportFiles } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { DAY, MINUTE, now, useFakeClock } from '~/clock.server'
import { createExportFile, partialPath } from '~/exports/learning/files.server'
import { resolveScope } from '~/exports/learning/scope.server'
import { learningZip } from '~/exports/learning/zip.server'
import { createActivity } from '~/models/learning/activities.server'
import { submitQuiz } from '~/models/learning/child-quiz.server'
import * as exportsPage from '~/routes/org.$orgId.exports'
import * as zipRoute from '~/routes/org.$orgId.exports.zip'
import { exportLearningJob } from '../../workers/jobs/export-learning.server'
import { exportSweepJob } from '../../workers/jobs/export-sweep.server'
import { closeQueues, runJob } from '../../app/queue/job.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach } from '../helpers/factories'

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir = ''
const S = {} as Record<'orgId' | 'classId' | 'admin' | 'teacher', string>
const cookies = {} as Record<'admin' | 'teacher', string>
const quiet = { info() {}, warn() {}, error() {} }
const origin = { ip: '127.0.0.1', userAgent: 'vitest' }

async function call(fn: unknown, url: string, cookie: string, form?: Record<string, string>) {
  const headers: Record<string, string> = { 'user-agent': 'vitest', 'x-carnet-remote-addr': '127.0.0.9', cookie }
  const request = form
    ? new Request(`http://localhost${url}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) })
    : new Request(`http://localhost${url}`, { headers })
  try {
    const res = await (fn as Fn)({ request, params: { orgId: S.orgId }, context: {} })
    return res instanceof Response ? res : new Response(JSON.stringify(res), { status: 200, headers: { 'content-type': 'application/json' } })
  } catch (e) {
    if (e instanceof Response) return e
    throw e
  }
}

beforeAll(async () => {
  t = await useTestDatabase()
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-export-failures-'))
  process.env.DATA_DIR = dataDir
  const org = await makeOrg(t.db, 'school', 'École des Tilleuls')
  const cls = await makeClass(t.db, org.id, 'CE2 B')
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  await teach(t.db, { orgId: org.id, classId: cls.id, userId: teacher.id })
  const quiz = await createActivity(t.db, {
    orgId: org.id,
    classId: cls.id,
    kind: 'quiz',
    title: 'Tables de multiplication',
    skillIds: [],
    questions: [{ text: '7 × 8 ?', choices: ['56', '54'], correctIndex: 0 }],
    by: { actorId: teacher.id, ...origin },
  })
  for (const [firstName, lastName] of [
    ['Zoé', 'Müller'],
    ['Łukasz', 'Nowak'],
    ['Inès', 'Benali'],
  ]) {
    const kid = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName, lastName })
    await submitQuiz(t.db, { childId: kid.id, activityId: quiz.id, answers: [0], origin })
  }
  Object.assign(S, { orgId: org.id, classId: cls.id, admin: admin.id, teacher: teacher.id })
  cookies.admin = `carnet_session=${(await createSession(t.db, admin.id, { kind: 'adult' })).token}`
  cookies.teacher = `carnet_session=${(await createSession(t.db, teacher.id, { kind: 'adult' })).token}`
})
afterAll(async () => {
  await closeQueues()
  fs.rmSync(dataDir, { recursive: true, force: true })
  await dropTestDatabase(t.name)
})

const rowOf = async (id: string) => (await t.db.select().from(exportFiles).where(eq(exportFiles.id, id)))[0]!

/** The backend waiting for the lock on results (the statement text may not be visible yet). */
const WAITING_FOR_RESULTS = `select pid from pg_locks where relation = 'results'::regclass and not granted`

/**
 * Locks the results table, then starts the export (`start`), which blocks on its first read of
 * results with its partial file already open; `until` runs while it is blocked, with the
 * blocked backend's pid. The lock is released afterwards.
 */
async function whileExportBlocked<T>(start: () => T, until: (pid: number, started: T) => Promise<void>): Promise<T> {
  const locker = new pg.Client({ connectionString: t.url })
  await locker.connect()
  try {
    await locker.query('begin')
    await locker.query('lock table results in access exclusive mode')
    const started = start()
    let pid: number | undefined
    for (let i = 0; i < 600 && !pid; i++) {
      const { rows } = await locker.query(WAITING_FOR_RESULTS)
      pid = rows[0]?.pid
      if (!pid) await new Promise((r) => setTimeout(r, 100))
    }
    if (!pid) throw new Error('the export never reached the results table')
    await until(pid, started)
    return started
  } finally {
    await locker.query('rollback').catch(() => {})
    await locker.end()
  }
}

async function waitFor(ok: () => boolean) {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50))
  expect(ok()).toBe(true)
}

/** What stopping PostgreSQL does to a connection: the server terminates it. */
async function terminate(pid: number) {
  const admin = new pg.Client({ connectionString: t.url })
  await admin.connect()
  await admin.query('select pg_terminate_backend($1)', [pid])
  await admin.end()
}

test('the database connection of a running export is cut: partial file deleted at once, the retry waits queued, the last attempt says failed — try again', async () => {
  const file = await createExportFile(t.db, { orgId: S.orgId, scope: { kind: 'class', classId: S.classId }, authorId: S.teacher, lang: 'fr', total: 3 })
  const part = partialPath(file.id)

  for (const attempt of [1, 2]) {
    const run = () =>
      runJob(exportLearningJob, { orgId: S.orgId, exportId: file.id }, { log: quiet, jobId: `export-${file.id}`, attempt }).then(
        () => null,
        (e: unknown) => e,
      )
    const job = await whileExportBlocked(run, async (pid) => {
      // Mid-build: the job is running and children's records are being written.
      await waitFor(() => fs.existsSync(part))
      expect((await rowOf(file.id)).status).toBe('running')
      await terminate(pid)
    })
    expect(await job).toBeInstanceOf(Error)
    expect(fs.existsSync(part), 'partial file left on disk').toBe(false)
    expect(fs.existsSync(path.join(dataDir, 'exports', `${file.id}.zip`))).toBe(false)
    // First attempt: the queue will try again, so the row waits; the last one fails it.
    expect(await rowOf(file.id)).toMatchObject(attempt === 1 ? { status: 'queued', progress: 0 } : { status: 'failed', error: 'learning.export.failed' })
  }

  // The exports page says so, with a "try again" for its author.
  const page = await (await call(exportsPage.loader, `/org/${S.orgId}/exports`, cookies.teacher)).json()
  expect(page.exports.find((e: { id: string }) => e.id === file.id)).toMatchObject({ status: 'failed' })
  // Someone else cannot restart another person's export.
  const other = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, cookies.admin, { intent: 'retry', exportId: file.id })
  expect(other.status).toBe(404)
  expect((await rowOf(file.id)).status).toBe('failed')

  const retry = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, cookies.teacher, { intent: 'retry', exportId: file.id })
  expect(retry.status).toBe(302)
  expect(new URL(retry.headers.get('location')!, 'http://x').searchParams.get('started')).toBe(file.id)
  expect(await rowOf(file.id)).toMatchObject({ status: 'queued', error: null })
  // A double click does not start it twice.
  const twice = await call(zipRoute.action, `/org/${S.orgId}/exports/zip`, cookies.teacher, { intent: 'retry', exportId: file.id })
  expect(new URL(twice.headers.get('location')!, 'http://x').searchParams.get('error')).toBe('learning.export.not_failed')

  await runJob(exportLearningJob, { orgId: S.orgId, exportId: file.id }, { log: quiet, jobId: 'retry', attempt: 1 })
  const done = await rowOf(file.id)
  expect(done).toMatchObject({ status: 'done', progress: 3 })
  expect(fs.existsSync(done.path!)).toBe(true)
  expect(fs.existsSync(part)).toBe(false)
}, 60_000)

function buildInChild(exportId: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, 'export-crash.child.ts'), S.orgId, exportId], {
    env: { ...process.env, DATABASE_URL: t.url, DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
}

test('a worker killed in mid-build: the stall sweep marks the export failed and deletes its partial file; live and recent ones are left alone', async () => {
  const file = await createExportFile(t.db, { orgId: S.orgId, scope: { kind: 'class', classId: S.classId }, authorId: S.teacher, lang: 'fr', total: 3 })
  const part = partialPath(file.id)
  await whileExportBlocked(
    () => buildInChild(file.id),
    async (_pid, child) => {
      await waitFor(() => fs.existsSync(part))
      const exited = new Promise((r) => child.on('exit', r))
      child.kill('SIGKILL')
      await exited
    },
  )
  // What the crash leaves: a running row and children's records on disk.
  expect(await rowOf(file.id)).toMatchObject({ status: 'running' })
  expect(fs.existsSync(part)).toBe(true)

  // A queued export whose job was lost a day ago, and one queued a minute ago.
  const lost = await createExportFile(t.db, { orgId: S.orgId, scope: { kind: 'school' }, authorId: S.admin, lang: 'en', total: 3 })
  await t.db
    .update(exportFiles)
    .set({ heartbeatAt: new Date(now().getTime() - DAY - MINUTE) })
    .where(eq(exportFiles.id, lost.id))
  const fresh = await createExportFile(t.db, { orgId: S.orgId, scope: { kind: 'school' }, authorId: S.admin, lang: 'en', total: 3 })

  // Within the stall limit (10 minutes by default) nothing is touched: it may still be working.
  const first = await runJob(exportSweepJob, {}, { log: quiet, jobId: undefined, attempt: 1 })
  expect(first).toMatchObject({ failed: 1 })
  expect((await rowOf(lost.id)).status).toBe('failed')
  expect((await rowOf(file.id)).status).toBe('running')
  expect(fs.existsSync(part)).toBe(true)

  const clock = useFakeClock(new Date(Date.now() + 11 * MINUTE))
  try {
    const swept = await runJob(exportSweepJob, {}, { log: quiet, jobId: undefined, attempt: 1 })
    expect(swept).toMatchObject({ failed: 1, deleted: 0 })
  } finally {
    clock.restore()
  }
  expect(await rowOf(file.id)).toMatchObject({ status: 'failed', error: 'learning.export.failed' })
  expect(fs.existsSync(part), 'partial file left on disk').toBe(false)
  expect((await rowOf(fresh.id)).status).toBe('queued')
  const audited = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'system.export_failed'), eq(auditEvents.orgId, S.orgId)))
  expect(audited.map((a) => a.details)).toEqual([
    { failed: 1, reason: 'stalled' },
    { failed: 1, reason: 'stalled' },
  ])
  // If the killed job is retried later by the queue, it leaves the failed export alone.
  await runJob(exportLearningJob, { orgId: S.orgId, exportId: file.id }, { log: quiet, jobId: 'late', attempt: 1 })
  expect((await rowOf(file.id)).status).toBe('failed')
  expect(await runJob(exportSweepJob, {}, { log: quiet, jobId: undefined, attempt: 1 })).toMatchObject({ failed: 0 })
}, 90_000)

test('the database goes away while the CSV and JSON are written: the export fails, the process lives on', async () => {
  // The last part of an export (results.csv, results.json) reads the database again while the
  // archive streams. A failure there used to escape as an uncaught exception, which ends the
  // Carnet process (server/main.ts exits on one) with the web server and every worker in it.
  const uncaught: unknown[] = []
  const record = (e: unknown) => uncaught.push(e)
  process.on('uncaughtException', record)
  process.on('unhandledRejection', record)
  const locker = new pg.Client({ connectionString: t.url })
  await locker.connect()
  try {
    const resolved = await resolveScope(t.db, S.orgId, { kind: 'class', classId: S.classId })
    const zip = learningZip({
      db: t.db,
      orgId: S.orgId,
      resolved,
      author: { id: S.teacher, name: 'Alex Test' },
      lang: 'fr',
      now: now(),
      // Every PDF written: hold results so the CSV's read of them blocks.
      onProgress: async (n) => {
        if (n < 3) return
        await locker.query('begin')
        await locker.query('lock table results in access exclusive mode')
      },
    })
    const sink = (async () => {
      for await (const _chunk of zip.stream);
    })().catch((e: unknown) => e)
    let pid: number | undefined
    for (let i = 0; i < 600 && !pid; i++) {
      const { rows } = await locker.query(WAITING_FOR_RESULTS)
      pid = rows[0]?.pid
      if (!pid) await new Promise((r) => setTimeout(r, 100))
    }
    expect(pid, 'the CSV never read results').toBeDefined()
    await terminate(pid!)
    await expect(zip.done).rejects.toThrow()
    await sink
    // An uncaught error surfaces within a few turns of the event loop.
    await new Promise((r) => setTimeout(r, 500))
    expect(uncaught).toEqual([])
  } finally {
    process.off('uncaughtException', record)
    process.off('unhandledRejection', record)
    await locker.query('rollback').catch(() => {})
    await locker.end()
  }
}, 60_000)

// Crash safety: a worker killed with SIGKILL in the middle of an erasure leaves the subject
// whole (one transaction per subject), and the next run erases it completely.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { activities, deletionRequests, enrolments, erasureTombstones, guardianLinks, memberships, results, users } from '../../drizzle/schema'
import { readJournal } from '~/privacy/erasure/journal.server'
import { requestDeletion } from '~/privacy/erasure/requests.server'
import { runDeletion } from '~/privacy/erasure/run.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir: string
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-crash-'))
  process.env.DATA_DIR = dataDir
  t = await useTestDatabase()
})
afterAll(async () => {
  await dropTestDatabase(t.name)
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function killMidway(requestId: string, stopAfter: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, 'erasure-crash.child.ts'), requestId, stopAfter], {
      env: { ...process.env, DATABASE_URL: t.url, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the child never paused: ${err}`))
    }, 60_000)
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('PAUSED')) child.kill('SIGKILL')
    })
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (_code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL' && out.includes('PAUSED')) resolve(out.trim())
      else reject(new Error(`child exited (${signal ?? _code}) without pausing: ${err}`))
    })
  })
}

test('kill -9 in the middle of an erasure: all or nothing, and the next run finishes', async () => {
  const org = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  const guardian = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  await t.db.insert(guardianLinks).values({ orgId: org.id, childId: child.id, guardianId: guardian.id, legalStatus: 'parent', startedAt: new Date(), createdAt: new Date() })
  for (let i = 0; i < 50; i++) {
    const [a] = await t.db
      .insert(activities)
      .values({ orgId: org.id, classId: cls.id, kind: 'quiz', title: `Q${i}`, createdBy: teacher.id, createdAt: new Date() })
      .returning()
    await t.db.insert(results).values({ orgId: org.id, childId: child.id, activityId: a!.id, score: 1, max: 2, answers: [1, 0], completedAt: new Date() })
  }
  const req = await requestDeletion(t.db, { subjectId: child.id, orgId: org.id, requestedBy: guardian.id, role: 'admin', reason: 'left_school' })

  // users is erased late in dependency order; stop after it, when most tables are done.
  const said = await killMidway(req.id, 'users')
  expect(said).toMatch(/PAUSED after \d+ tables/)

  // Nothing happened: the subject is whole.
  expect(await t.db.select().from(users).where(eq(users.id, child.id))).toHaveLength(1)
  expect(await t.db.select().from(enrolments).where(eq(enrolments.childId, child.id))).toHaveLength(1)
  expect(await t.db.select().from(memberships).where(eq(memberships.userId, child.id))).toHaveLength(1)
  expect(await t.db.select().from(guardianLinks).where(eq(guardianLinks.childId, child.id))).toHaveLength(1)
  expect(await t.db.select().from(results).where(eq(results.childId, child.id))).toHaveLength(50)
  expect(await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, req.id))).toHaveLength(0)
  const [open] = await t.db.select().from(deletionRequests).where(eq(deletionRequests.id, req.id))
  expect(open!.completedAt).toBeNull()
  expect(readJournal().filter((e) => e.requestId === req.id)).toHaveLength(0)

  // The next run (the sweep, a retry) erases everything.
  const out = await runDeletion(t.db, req.id)
  expect(out.status).toBe('erased')
  expect(await t.db.select().from(users).where(eq(users.id, child.id))).toHaveLength(0)
  expect(await t.db.select().from(results).where(eq(results.childId, child.id))).toHaveLength(0)
  expect(await t.db.select().from(results).where(eq(results.orgId, org.id))).toHaveLength(50) // kept anonymized
  expect(await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.requestId, req.id))).toHaveLength(1)
  expect(readJournal().filter((e) => e.requestId === req.id)).toHaveLength(1)
}, 90_000)

// requestErasure, the one use case every deletion page calls: the request is recorded (the
// account deactivated at once) and its erasure job enqueued after commit; when the queue is
// down the request still stands and the per-minute sweep erases it. Real PostgreSQL backend.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { deletionRequests, organizations, sessions, users } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { closeQueues, runJob } from '~/queue/job.server'
import { requestErasure } from '~/privacy/erasure/requests.server'
import { erasureRunJob, erasureSweepJob } from '../../workers/jobs/erasure.server'
import { startWorkers, type WorkersHandle } from '../../workers/runtime.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeOrg } from '../helpers/factories'

process.env.CARNET_QUEUE_PREFIX = `carnet-test-${randomBytes(4).toString('hex')}`
delete process.env.REDIS_URL // the PostgreSQL backend, on this file's own database

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir: string
let workers: WorkersHandle | null = null
const quiet = { info() {}, warn() {}, error() {} }
const origin = { ip: '203.0.113.9', userAgent: 'vitest' }

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-erasure-request-'))
  process.env.DATA_DIR = dataDir
  t = await useTestDatabase()
})
afterEach(async () => {
  await workers?.stop()
  workers = null
  await closeQueues()
})
afterAll(async () => {
  await dropTestDatabase(t.name)
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const request = async (id: string) => (await t.db.select().from(deletionRequests).where(eq(deletionRequests.id, id)))[0]!
const person = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)))[0]

async function until(check: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

test("a person's own erasure: deactivated at once, then erased by its job (no sweep running)", async () => {
  const org = await makeOrg(t.db)
  const adult = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  await createSession(t.db, adult.id, { kind: 'adult' })
  workers = await startWorkers({ log: quiet, jobs: [erasureRunJob] })
  const r = await requestErasure(t.db, { of: 'person', subjectId: adult.id, orgId: null, requestedBy: adult.id, role: 'self', reason: 'own_request', origin }, quiet)
  expect(r).toMatchObject({ scope: 'account', subjectId: adult.id, requestedByRole: 'self' })
  await until(async () => !!(await request(r.id)).completedAt)
  expect(await person(adult.id)).toBeUndefined()
  expect(await t.db.select().from(sessions).where(eq(sessions.userId, adult.id))).toHaveLength(0)
})

test("an organization's early deletion goes through the same use case and its job", async () => {
  const org = await makeOrg(t.db)
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  await makeChild(t.db, { orgId: org.id })
  workers = await startWorkers({ log: quiet, jobs: [erasureRunJob] })
  const r = await requestErasure(t.db, { of: 'organization', orgId: org.id, requestedBy: admin.id, role: 'admin', reason: 'early_deletion', origin }, quiet)
  expect(r).toMatchObject({ scope: 'organization', orgId: org.id })
  await until(async () => !!(await request(r.id)).completedAt)
  expect(await t.db.select().from(organizations).where(eq(organizations.id, org.id))).toHaveLength(0)
})

test('queue down: the request still stands (account deactivated, nothing thrown, a warning), and the sweep erases it', async () => {
  const org = await makeOrg(t.db)
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const child = await makeChild(t.db, { orgId: org.id })
  const warnings: string[] = []
  const url = process.env.DATABASE_URL
  // The queue backend reads DATABASE_URL when its producer opens; t.db keeps its own connection.
  process.env.DATABASE_URL = 'postgres://carnet@127.0.0.1:1/unreachable'
  let r
  try {
    r = await requestErasure(
      t.db,
      { of: 'person', subjectId: child.id, orgId: org.id, requestedBy: admin.id, role: 'admin', reason: 'admin_request', origin },
      { warn: (m: string) => warnings.push(m) },
    )
  } finally {
    process.env.DATABASE_URL = url
    await closeQueues()
  }
  expect(warnings.join('\n')).toMatch(/the sweep will erase it/)
  expect((await person(child.id))?.deactivatedAt).not.toBeNull()
  expect((await request(r.id)).completedAt).toBeNull()
  await runJob(erasureSweepJob, {}, { db: t.db, log: quiet, jobId: undefined, attempt: 1 })
  expect((await request(r.id)).completedAt).not.toBeNull()
  expect(await person(child.id)).toBeUndefined()
})

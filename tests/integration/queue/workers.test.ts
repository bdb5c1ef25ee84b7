// The job runtime against a real queue backend: PostgreSQL always, Redis too when REDIS_URL
// is set (CI sets it when 127.0.0.1:6379 answers). The backend list is built here rather
// than skipped, and printed, so a run says which backends it really exercised.
import { randomBytes, randomUUID } from 'node:crypto'
import { and, eq, gt, inArray, max } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { auditEvents, loginThrottle, sessions, userTokens, users } from '../../../drizzle/schema'
import { DAY, HOUR } from '~/clock.server'
import { backendName, createQueue, queuePrefix, type CarnetQueue } from '../../../app/queue/connection.server'
import { enqueue } from '../../../app/queue/job.server'
import { purgeExpiredSessions as purge } from '../../../workers/jobs/purge-expired-sessions.server'
import { runDueJobsOnce, startWorkers, type WorkersHandle } from '../../../workers/runtime.server'
import { dropTestDatabase, useTestDatabase } from '../../helpers/db'

const redisUrl = process.env.REDIS_URL
const backends = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const)
console.info(`[queue tests] backends: ${backends.join(', ')}`)
// A prefix of our own, so parallel runs on a shared Redis never see each other's keys.
process.env.CARNET_QUEUE_PREFIX = `carnet-test-${randomBytes(4).toString('hex')}`

const quiet = { info() {}, warn() {}, error: console.error }
let t: Awaited<ReturnType<typeof useTestDatabase>>

beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(async () => {
  if (redisUrl) process.env.REDIS_URL = redisUrl
  await dropTestDatabase(t.name)
})

async function newUser() {
  const [u] = await t.db.insert(users).values({ kind: 'adult', firstName: 'Zoé', lastName: 'Müller', createdAt: new Date() }).returning()
  return u!.id
}

async function addSession(userId: string, expiresAt: Date) {
  const id = randomBytes(16).toString('hex')
  const at = new Date()
  await t.db.insert(sessions).values({ id, userId, kind: 'adult', createdAt: at, expiresAt, lastSeenAt: at })
  return id
}

async function lastAuditId() {
  const [r] = await t.db.select({ id: max(auditEvents.id) }).from(auditEvents)
  return r?.id ?? 0
}

/** Polls until the job is completed or failed (both backends, no event stream needed). */
async function settled(queue: CarnetQueue, id: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const state = await (await queue.getJob(id))?.getState()
    if (state === 'completed' || state === 'failed') return { state, job: (await queue.getJob(id))! }
    if (Date.now() > until) throw new Error(`job ${id} still ${state ?? 'missing'} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe.each(backends)('BullMQ on %s', (backend) => {
  let handle: WorkersHandle
  let queue: CarnetQueue
  let expired: string
  let live: string
  let auditBefore: number

  beforeAll(async () => {
    if (backend === 'redis') process.env.REDIS_URL = redisUrl
    else delete process.env.REDIS_URL
    expect(backendName()).toBe(backend)
    const userId = await newUser()
    expired = await addSession(userId, new Date(Date.now() - HOUR))
    live = await addSession(userId, new Date(Date.now() + DAY))
    auditBefore = await lastAuditId()
    handle = await startWorkers({ log: quiet })
    queue = createQueue(purge.name)
  })

  afterAll(async () => {
    await handle?.stop()
    await queue?.obliterate({ force: true })
    await queue?.close()
    if (backend === 'redis') await deleteRedisKeys(queuePrefix())
  })

  test('the purge job deletes the expired session, keeps the live one, and is audited', async () => {
    const id = await enqueue(purge, {})
    const { state, job } = await settled(queue, id)
    expect(state).toBe('completed')
    expect(job.returnvalue).toMatchObject({ sessions: expect.any(Number), userTokens: expect.any(Number) })

    const left = await t.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(inArray(sessions.id, [expired, live]))
    expect(left.map((r) => r.id)).toEqual([live])

    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'system.purge_sessions'), gt(auditEvents.id, auditBefore)))
    // The scheduler's first run and our enqueue may both have run; one of them removed it.
    expect(audits.some((a) => (a.details as { sessions: number }).sessions === 1)).toBe(true)
    for (const a of audits) {
      expect(a.actorId).toBeNull()
      expect(Object.keys(a.details as object).sort()).toEqual(['loginThrottle', 'sessions', 'userTokens'])
    }
  })

  test('the hourly scheduler is registered', async () => {
    const schedulers = await queue.getJobSchedulers()
    const s = schedulers.find((x) => x.key === purge.name)
    expect(s).toBeDefined()
    expect(Number(s!.every)).toBe(3_600_000)
  })

  test('a bad payload is refused by enqueue, and fails at once in the worker (no retry)', async () => {
    await expect(enqueue(purge, { orgId: 'x' } as never)).rejects.toThrow()
    // Bypass enqueue, as a stale producer or a hand-written add would.
    const raw = await queue.add(purge.name, { orgId: 'x' }, purge.queue)
    const { state, job } = await settled(queue, raw.id!)
    expect(state).toBe('failed')
    expect(job.failedReason).toMatch(/invalid payload/)
    expect(job.attemptsMade).toBe(1) // attempts: 3 configured, UnrecoverableError stops after one
  })
})

test('carnet sweep: runDueJobsOnce runs the purge in-process, with its grace periods', async () => {
  const userId = await newUser()
  const t0 = Date.now()
  const expired = await addSession(userId, new Date(t0 - 1000))
  const live = await addSession(userId, new Date(t0 + HOUR))
  const tok = (n: string, expiresAt: number, usedAt?: number) => ({
    id: `${n}-${randomUUID()}`,
    userId,
    purpose: 'reset_password' as const,
    createdAt: new Date(t0 - 3 * DAY),
    expiresAt: new Date(expiresAt),
    usedAt: usedAt ? new Date(usedAt) : null,
  })
  const tokens = [tok('old', t0 - 2 * DAY), tok('recent', t0 - HOUR), tok('used-old', t0 + DAY, t0 - 2 * DAY), tok('valid', t0 + DAY)]
  await t.db.insert(userTokens).values(tokens)
  // Throttle counters: one whose 15-minute window has ended, one still counting.
  await t.db.insert(loginThrottle).values([
    { key: `ended-${randomUUID()}`, failures: 5, windowStartedAt: new Date(t0 - 16 * 60_000) },
    { key: `live-${randomUUID()}`, failures: 5, windowStartedAt: new Date(t0 - 60_000) },
  ])

  const summary = await runDueJobsOnce({ log: quiet })
  // Every repeatable job runs once; the purge is the one this test looks at.
  expect(summary.every((r) => r.ok)).toBe(true)
  const purged = summary.find((r) => r.job === purge.name)
  expect(purged).toMatchObject({ ok: true })
  expect((purged as { result: { sessions: number } }).result.sessions).toBeGreaterThanOrEqual(1)

  const sess = await t.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(inArray(sessions.id, [expired, live]))
  expect(sess.map((r) => r.id)).toEqual([live])
  const toks = await t.db.select({ id: userTokens.id }).from(userTokens)
  expect(toks.map((r) => r.id.split('-')[0]).sort()).toEqual(['recent', 'valid'])
  const counters = await t.db.select({ key: loginThrottle.key }).from(loginThrottle)
  expect(counters.map((c) => c.key.split('-')[0])).toEqual(['live'])
})

async function deleteRedisKeys(prefix: string) {
  const redis = new Redis(redisUrl!)
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
      if (keys.length) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    await redis.quit()
  }
}

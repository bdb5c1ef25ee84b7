// A burst of rights requests (issue 12 §11): forwarded by batches that concurrent jobs share
// (SKIP LOCKED), each request once, with one mail-delivery enqueue per batch instead of one per
// request; a school nobody can be forwarded to holds back only its own requests.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { and, count, eq, inArray } from 'drizzle-orm'
import { notifications, outboxMails, rightsRequestEvents, rightsRequests } from '../../drizzle/schema'
import { forwardReceived } from '~/privacy/rights-requests/forwarding.server'
import { createReceivedRequest } from '~/privacy/rights-requests/intake.server'
import { mailDeliverDefinition } from '~/mail/jobs.server'
import { closeQueues } from '~/queue/job.server'
import { createQueue } from '~/queue/connection.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

process.env.CARNET_QUEUE_PREFIX = `carnet-test-${randomBytes(4).toString('hex')}`
delete process.env.REDIS_URL // the PostgreSQL backend, on this file's own database

let t: Awaited<ReturnType<typeof useTestDatabase>>
const quiet = { warn() {} }
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(async () => {
  await closeQueues()
  await dropTestDatabase(t.name)
})

async function school(withContacts: boolean) {
  const org = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  const dpo = withContacts ? await makeAdult(t.db, { orgId: org.id, role: 'dpo' }) : null
  const admin = withContacts ? await makeAdult(t.db, { orgId: org.id, role: 'admin' }) : null
  return { org, child, dpo, admin }
}

const receive = (orgId: string, subjectId: string, email: string) =>
  createReceivedRequest(t.db, {
    orgId,
    kind: 'access',
    channel: 'in_app',
    subjectId,
    subjectName: null,
    requesterEmail: email,
    requesterName: 'Parent',
    relation: 'guardian',
    message: null,
    lang: 'fr',
    receivedAt: new Date(),
    actorId: subjectId,
    origin: { ip: '198.51.100.9', userAgent: 'vitest' },
  })

test('three drains share a burst of 60: each request forwarded once, its three mails written once; a school without contacts keeps its requests received', async () => {
  const good = await school(true)
  const bad = await school(false)
  const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => receive(good.org.id, good.child.id, `burst-${i}@example.org`)))
  const stuck = await Promise.all(Array.from({ length: 3 }, (_, i) => receive(bad.org.id, bad.child.id, `stuck-${i}@example.org`)))
  const mailQueue = createQueue(mailDeliverDefinition.name)
  const jobsBefore = await mailQueue.getWaitingCount()

  const results = await Promise.all([1, 2, 3].map(() => forwardReceived(t.db, { log: quiet })))
  expect(results.reduce((n, r) => n + r.forwarded, 0)).toBe(60)

  const ids = burst.map((r) => r.id)
  const rows = await t.db.select().from(rightsRequests).where(inArray(rightsRequests.id, ids))
  expect(rows.every((r) => r.status === 'forwarded' && r.forwardedAt)).toBe(true)
  const events = await t.db
    .select({ n: count() })
    .from(rightsRequestEvents)
    .where(and(inArray(rightsRequestEvents.requestId, ids), eq(rightsRequestEvents.kind, 'forwarded')))
  expect(events[0]!.n).toBe(60)
  for (const who of [good.dpo!, good.admin!]) {
    const [mails] = await t.db.select({ n: count() }).from(outboxMails).where(eq(outboxMails.to, who.email!))
    expect(mails!.n).toBe(60)
    const [notes] = await t.db.select({ n: count() }).from(notifications).where(eq(notifications.userId, who.id))
    expect(notes!.n).toBe(60)
  }
  const receipts = await t.db
    .select({ to: outboxMails.to })
    .from(outboxMails)
    .where(
      inArray(
        outboxMails.to,
        burst.map((r) => r.requesterEmail),
      ),
    )
  expect(receipts).toHaveLength(60)

  // 180 mails, but one delivery enqueue per committed batch (at most 50 mails a job): far fewer
  // jobs than requests. One per request (the old behaviour) would be 60.
  const jobs = (await mailQueue.getWaitingCount()) - jobsBefore
  expect(jobs).toBeGreaterThanOrEqual(Math.ceil(180 / 50))
  expect(jobs).toBeLessThan(20)

  // The school nobody can be forwarded to: its requests stay received (the job retries them,
  // the sweep flags them at 48 hours), and wrote nothing half-way.
  const left = await t.db
    .select()
    .from(rightsRequests)
    .where(
      inArray(
        rightsRequests.id,
        stuck.map((r) => r.id),
      ),
    )
  expect(left.map((r) => r.status)).toEqual(['received', 'received', 'received'])
  const [halfWritten] = await t.db
    .select({ n: count() })
    .from(outboxMails)
    .where(
      inArray(
        outboxMails.to,
        stuck.map((r) => r.requesterEmail),
      ),
    )
  expect(halfWritten!.n).toBe(0)
  await mailQueue.close()
})

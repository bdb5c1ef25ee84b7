// Closed rights requests are kept as evidence for the accountability period (5 years by
// default, CARNET_RIGHTS_REQUEST_RETENTION_YEARS), then purged with their events by a daily
// job; open ones are never purged (ADR 020).
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents, rightsRequestEvents, rightsRequests } from '../../drizzle/schema'
import { DAY, useFakeClock } from '~/clock.server'
import { createReceivedRequest } from '~/privacy/rights-requests/intake.server'
import { closeRequest } from '~/privacy/rights-requests/handling.server'
import { purgeClosedRequests } from '~/privacy/rights-requests/accountability.server'
import { jobs } from '../../workers/registry.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
const origin = { ip: '203.0.113.7', userAgent: 'vitest' }

beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(async () => {
  await dropTestDatabase(t.name)
})
afterEach(() => {
  clock?.restore()
  clock = null
  delete process.env.CARNET_RIGHTS_REQUEST_RETENTION_YEARS
})

async function request(orgId: string, dpoId: string, opts: { close: boolean }) {
  const q = await createReceivedRequest(t.db, {
    orgId,
    kind: 'access',
    channel: 'operator_log',
    subjectId: null,
    subjectName: 'Un enfant',
    requesterEmail: 'famille@example.org',
    requesterName: 'Parent',
    relation: 'guardian',
    message: null,
    lang: 'fr',
    receivedAt: new Date(clockNow()),
    loggedBy: dpoId,
    actorId: dpoId,
    origin,
  } as Parameters<typeof createReceivedRequest>[1])
  if (opts.close) await closeRequest(t.db, { orgId, requestId: q.id, actorId: dpoId, origin, outcome: 'fulfilled', note: null })
  return q
}
let current = '2020-01-10T10:00:00Z'
const clockNow = () => current
const at = (iso: string) => {
  current = iso
  clock ??= useFakeClock(iso)
  clock.set(iso)
}

test('a closed request is purged with its events after 5 years by default; a younger one and an open one stay', async () => {
  at('2020-01-10T10:00:00Z')
  const org = await makeOrg(t.db)
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const old = await request(org.id, dpo.id, { close: true })
  const open = await request(org.id, dpo.id, { close: false })
  at('2022-06-01T10:00:00Z')
  const younger = await request(org.id, dpo.id, { close: true })

  at('2025-01-09T10:00:00Z') // one day short of 5 years: nothing yet
  expect(await purgeClosedRequests(t.db)).toEqual({ purged: 0 })

  at('2025-01-11T10:00:00Z')
  expect(await purgeClosedRequests(t.db)).toEqual({ purged: 1 })
  const left = (await t.db.select({ id: rightsRequests.id }).from(rightsRequests).where(eq(rightsRequests.orgId, org.id))).map((r) => r.id).sort()
  expect(left).toEqual([open.id, younger.id].sort())
  expect(await t.db.select().from(rightsRequestEvents).where(eq(rightsRequestEvents.requestId, old.id))).toEqual([])
  const [entry] = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, 'dsr.accountability_purge')))
  expect(entry!.details).toMatchObject({ count: 1, years: 5 })

  // An open request is never purged, however old; running again purges nothing more.
  at('2040-01-01T10:00:00Z')
  expect(await purgeClosedRequests(t.db)).toEqual({ purged: 1 }) // the younger closed one
  expect((await t.db.select({ id: rightsRequests.id }).from(rightsRequests).where(eq(rightsRequests.orgId, org.id))).map((r) => r.id)).toEqual([open.id])
  expect(await purgeClosedRequests(t.db)).toEqual({ purged: 0 })
})

test('the period is a setting; a wrong value is refused with a clear message', async () => {
  at('2030-01-01T10:00:00Z')
  const org = await makeOrg(t.db)
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  await request(org.id, dpo.id, { close: true })
  process.env.CARNET_RIGHTS_REQUEST_RETENTION_YEARS = '2'
  at('2032-01-02T10:00:00Z')
  expect((await purgeClosedRequests(t.db)).purged).toBeGreaterThanOrEqual(1)
  process.env.CARNET_RIGHTS_REQUEST_RETENTION_YEARS = 'cinq'
  await expect(purgeClosedRequests(t.db)).rejects.toThrow(/CARNET_RIGHTS_REQUEST_RETENTION_YEARS must be a whole number/)
})

test('the purge runs every day in the workers', () => {
  const job = jobs.find((j) => j.name === 'dsr-accountability-purge')
  expect(job?.repeat).toEqual({ every: DAY })
})

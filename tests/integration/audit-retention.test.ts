// Audit log: monthly partitions created ahead, months archived after 6 months (gzip JSON
// lines + SHA-256) with their partition dropped, archives purged a year later — each step a
// job and audited; and the DPO/admin search page.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, eq, gte, lt } from 'drizzle-orm'
import { auditArchives, auditEvents } from '../../drizzle/schema'
import { useFakeClock } from '~/clock.server'
import { recordAudit } from '~/compliance/audit.server'
import type { AuditAction } from '~/compliance/audit-actions' // markers of this test, not actions Carnet records
import { addMonths, archiveDir, auditRetention, listPartitions, monthKey, monthStart, partitionName } from '~/privacy/audit/retention.server'
import { prepareDatabase } from '~/migrate.server'
import { runJob } from '../../app/queue/job.server'
import { auditPartitionsJob } from '../../workers/jobs/audit-partitions.server'
import { auditArchiveJob } from '../../workers/jobs/audit-archive.server'
import { auditPurgeJob } from '../../workers/jobs/audit-purge.server'
import * as auditPage from '~/routes/org.$orgId.dpo.audit'
import * as archiveRoute from '~/routes/org.$orgId.dpo.audit.archive'
import * as exportRoute from '~/routes/org.$orgId.dpo.audit.export'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'
import { bytesOf, cookieFor, get } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-audit-archive-'))
const quiet = { info() {}, warn() {}, error() {} }
const run = (job: Parameters<typeof runJob>[0]) => runJob(job, {}, { log: quiet, jobId: undefined, attempt: 1 }) as Promise<any>

beforeAll(async () => {
  process.env.DATA_DIR = tmp
  t = await useTestDatabase()
})
afterEach(() => {
  clock?.restore()
  clock = null
})
afterAll(async () => {
  await dropTestDatabase(t.name)
  fs.rmSync(tmp, { recursive: true, force: true })
})

// The owner's purge function judges "still online" by the database's own clock, so the months
// here are counted from the real current month (M(-14): fourteen months ago).
const M = (n: number) => addMonths(monthStart(new Date()), n)
const day = (n: number, d: string, time = '09:00:00') => `${monthKey(M(n))}-${d}T${time}Z`
const lastDay = (n: number) => new Date(M(n + 1).getTime() - 86_400_000).toISOString().slice(0, 10)
const first = (n: number) => `${monthKey(M(n))}-01`

async function partitionOf(action: string) {
  const rows = await t.sql`select tableoid::regclass::text as p from audit_events where action = ${action}`
  return rows.map((r) => r.p as string)
}

test('partitions ahead, archive after 6 months, purge after 1 more year; each step audited; searching and downloading', async () => {
  // Long before the partitions the migration created, so these months start out in the DEFAULT partition.
  clock = useFakeClock(day(-14, '10'))
  const orgA = await makeOrg(t.db)
  const orgB = await makeOrg(t.db)
  const dpoA = await makeAdult(t.db, { orgId: orgA.id, role: 'dpo', email: `dpo-a-${Date.now()}@example.org` })
  const teacherA = await makeAdult(t.db, { orgId: orgA.id, role: 'teacher' })
  await recordAudit(t.db, { action: 'test.jan_early' as AuditAction, orgId: orgA.id, actorId: teacherA.id })
  expect(await partitionOf('test.jan_early')).toEqual(['audit_partitions.audit_events_default'])

  // 1. Partitions: this month and three ahead; the early January row moves into its month.
  const p = await run(auditPartitionsJob)
  const ahead = [-14, -13, -12, -11].map((n) => partitionName(M(n)))
  expect(p.created).toEqual(ahead)
  expect(await partitionOf('test.jan_early')).toEqual([`audit_partitions.${ahead[0]}`])
  expect((await run(auditPartitionsJob)).created).toEqual([]) // idempotent
  const created = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'audit.partition_created'))
  expect(created.map((e) => e.targetId).sort()).toEqual(ahead)

  // January: entries of A (a login without org, by A's teacher, counts for A), of B, of the platform.
  for (let i = 0; i < 30; i++) await recordAudit(t.db, { action: 'child.update' as AuditAction, orgId: orgA.id, actorId: teacherA.id, targetType: 'child', targetId: `c${i}`, ip: '192.0.2.1' })
  await recordAudit(t.db, { action: 'auth.login', actorId: teacherA.id, ip: '192.0.2.7' })
  await recordAudit(t.db, { action: 'auth.login_failed', outcome: 'failure', actorId: teacherA.id, ip: '192.0.2.9' })
  await recordAudit(t.db, { action: 'class.create', orgId: orgB.id })
  await recordAudit(t.db, { action: 'system.purge_sessions' })
  clock.set(day(-13, '05'))
  await recordAudit(t.db, { action: 'test.february' as AuditAction, orgId: orgA.id, actorId: dpoA.id })

  // The DPO's search: actor by email, action prefix, outcome, period; other schools' entries never appear.
  clock.set(day(-13, '05', '09:10:00'))
  const cookie = await cookieFor(t.db, dpoA)
  const params = { orgId: orgA.id }
  const search = async (q: string) => (await get(auditPage.loader, `/org/${orgA.id}/dpo/audit?${q}`, params, cookie)) as { rows: { action: string }[]; next: string | null }
  const all = await search(`from=${first(-14)}&to=${lastDay(-14)}`)
  expect(all.rows.map((r) => r.action)).not.toContain('class.create')
  expect(all.rows.map((r) => r.action)).toContain('auth.login')
  expect(all.rows).toHaveLength(33) // 30 updates, 2 logins, the early one
  expect(all.next).toBeNull() // one page (50 per page)
  expect((await search(`actor=${encodeURIComponent(teacherA.email!)}&action=auth.`)).rows.map((r) => r.action).sort()).toEqual(['auth.login', 'auth.login_failed'])
  expect((await search(`outcome=failure&from=${first(-14)}`)).rows.map((r) => r.action)).toEqual(['auth.login_failed'])
  expect((await search('target=c7')).rows).toHaveLength(1)

  const csv = (await get(exportRoute.loader, `/org/${orgA.id}/dpo/audit/export?action=child.`, params, cookie)) as Response
  const csvText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await bytesOf(csv))
  expect(csvText.charCodeAt(0)).toBe(0xfeff)
  expect(csvText.trim().split('\r\n')).toHaveLength(31)

  // 2. Six months later (cutoff: M-7 → months before M-13 are archived).
  clock.set(`${lastDay(-8)}T22:00:00Z`)
  expect((await run(auditArchiveJob)).archived.map((a: { month: string }) => a.month)).not.toContain(monthKey(M(-14)))
  clock.set(day(-7, '01', '08:00:00'))
  const archived = await run(auditArchiveJob)
  // A: 31; B: 1; no organization: 2 logins, the session purge, 4 partition creations.
  expect(archived.archived).toContainEqual({ month: monthKey(M(-14)), files: 3, entries: 39 })
  expect((await listPartitions(t.db)).map((x) => x.name)).not.toContain(ahead[0])
  expect((await listPartitions(t.db)).map((x) => x.name)).toContain(ahead[1])
  const janRows = await t.db
    .select()
    .from(auditEvents)
    .where(and(gte(auditEvents.at, M(-14)), lt(auditEvents.at, M(-13))))
  expect(janRows).toHaveLength(0)
  expect(await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'test.february'))).toHaveLength(1)

  const files = await t.db
    .select()
    .from(auditArchives)
    .where(eq(auditArchives.month, first(-14)))
  expect(files.map((f) => f.orgId ?? 'platform').sort()).toEqual([orgA.id, orgB.id, 'platform'].sort())
  const fileA = files.find((f) => f.orgId === orgA.id)!
  const gz = fs.readFileSync(path.join(archiveDir(), fileA.fileName))
  expect(createHash('sha256').update(gz).digest('hex')).toBe(fileA.sha256)
  const lines = gunzipSync(gz)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
  expect(lines).toHaveLength(31) // A's entries of January (logins without org go to the platform file)
  expect(lines[0]).toMatchObject({ action: 'test.jan_early' as AuditAction, orgId: orgA.id })
  expect(
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'audit.archived'), eq(auditEvents.targetId, monthKey(M(-14))))),
  ).toHaveLength(1)
  expect((await run(auditArchiveJob)).archived).toEqual([]) // idempotent

  // The DPO sees A's archive (not B's) and downloads it, byte for byte.
  clock.set(day(-7, '01', '08:05:00'))
  const cookie2 = await cookieFor(t.db, dpoA)
  const pageData = (await get(auditPage.loader, `/org/${orgA.id}/dpo/audit`, params, cookie2)) as { archives: { id: string; sha256: string }[] }
  expect(pageData.archives.map((a) => a.id)).toEqual([fileA.id])
  const dl = (await get(archiveRoute.loader, `/org/${orgA.id}/dpo/audit/archive?id=${fileA.id}`, params, cookie2)) as Response
  expect(dl.headers.get('x-content-sha256')).toBe(fileA.sha256)
  expect(
    createHash('sha256')
      .update(await bytesOf(dl))
      .digest('hex'),
  ).toBe(fileA.sha256)
  const fileB = files.find((f) => f.orgId === orgB.id)!
  expect(((await get(archiveRoute.loader, `/org/${orgA.id}/dpo/audit/archive?id=${fileB.id}`, params, cookie2)) as Response).status).toBe(404)

  // 3. One more year: January's files are deleted, the rows remain with purged_at.
  clock.set(`${lastDay(-2)}T12:00:00Z`)
  expect((await run(auditPurgeJob)).purged).toBe(0)
  clock.set(day(-1, '01', '00:00:01'))
  expect((await run(auditPurgeJob)).purged).toBe(3)
  expect(fs.existsSync(path.join(archiveDir(), fileA.fileName))).toBe(false)
  const after = await t.db.select().from(auditArchives).where(eq(auditArchives.id, fileA.id))
  expect(after[0]!.purgedAt).toBeTruthy()
  expect(await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'audit.archive_purged'))).toHaveLength(3)
  expect((await run(auditPurgeJob)).purged).toBe(0)
})

test('the durations are settings (the owner hands the online period to its purge function at start-up)', async () => {
  process.env.CARNET_AUDIT_ONLINE_MONTHS = '1'
  const prepare = () => prepareDatabase(t.ownerUrl, { runtimeRole: null, queues: false, auditOnlineMonths: auditRetention().onlineMonths })
  try {
    await prepare()
    clock = useFakeClock(day(-30, '15', '10:00:00'))
    const org = await makeOrg(t.db)
    await recordAudit(t.db, { action: 'test.setting' as AuditAction, orgId: org.id })
    clock.set(day(-28, '01', '00:00:00')) // M-30 < M-29 (cutoff with 1 month online)
    const r = await run(auditArchiveJob)
    expect(r.archived.map((a: { month: string }) => a.month)).toContain(monthKey(M(-30)))
    const [arch] = await t.db
      .select()
      .from(auditArchives)
      .where(and(eq(auditArchives.orgId, org.id), eq(auditArchives.month, first(-30))))
    expect(arch!.purgeDueAt.toISOString()).toBe(M(-17).toISOString()) // 12 months after the month's end
  } finally {
    delete process.env.CARNET_AUDIT_ONLINE_MONTHS
    await prepare()
  }
})

test('the app cannot remove audit entries itself: no UPDATE/DELETE/TRUNCATE right; the owner’s function refuses a month still online or not archived', async () => {
  const org = await makeOrg(t.db)
  clock = useFakeClock(day(-20, '03'))
  await recordAudit(t.db, { action: 'test.unarchived' as AuditAction, orgId: org.id, ip: '192.0.2.4' })
  clock.restore()
  clock = null
  await recordAudit(t.db, { action: 'test.recent' as AuditAction, orgId: org.id })
  await expect(t.sql`delete from audit_events where org_id = ${org.id}`).rejects.toThrow(/permission denied/)
  await expect(t.sql`update audit_events set ip = null where org_id = ${org.id}`).rejects.toThrow(/permission denied/)
  await expect(t.sql`truncate audit_events`).rejects.toThrow(/permission denied|must be owner/)
  await expect(t.sql`delete from audit_partitions.audit_events_default`).rejects.toThrow(/permission denied/)
  await expect(t.sql`drop table audit_partitions.audit_events_default`).rejects.toThrow(/permission denied|must be owner/)
  // The transaction-local flag the owner's functions raise means nothing to the app's role.
  await expect(t.sql.begin((tx) => [tx`select set_config('carnet.log_maintenance', 'on', true)`, tx`delete from audit_events where org_id = ${org.id}`])).rejects.toThrow(/permission denied/)
  // Two months ago is still online (6 months): refused whatever the app's clock says.
  await expect(t.sql`select carnet_audit_drop_month(${first(-2)}::date)`).rejects.toThrow(/still online/)
  await expect(t.sql`select carnet_audit_drop_month(${`${monthKey(M(-20))}-02`}::date)`).rejects.toThrow(/first day of a month/)
  // Twenty months ago is past it, but nothing counts its entries in an archive.
  await expect(t.sql`select carnet_audit_drop_month(${first(-20)}::date)`).rejects.toThrow(/not archived/)
  // Anonymizing someone who is still there is refused too.
  const someone = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  await expect(t.sql`select carnet_audit_anonymize(${someone.id}::uuid, null)`).rejects.toThrow(/still has an account/)
  await expect(t.sql`select carnet_audit_anonymize(null, ${org.id}::uuid)`).rejects.toThrow(/still exists/)
  expect(await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'test.unarchived'))).toMatchObject([{ ip: '192.0.2.4' }])
})

// Backups (DPA Annex D: daily 7 days, weekly 4 weeks, monthly 6 months; Annex B: technical
// backups gone within six months): SHA-256 and size recorded, pruning with a fake clock over
// eight months, and restore into an empty database replaying the erasures made since.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, expect, test, inject } from 'vitest'
import { and, eq, isNull } from 'drizzle-orm'
import { auditEvents, backups, erasureTombstones, memberships, organizations, results, activities, users } from '../../drizzle/schema'
import { DAY, HOUR, now, useFakeClock } from '~/clock.server'
import { connect } from '~/db.server'
import { readSidecar, sha256File } from '~/privacy/backups/archive.server'
import { restoreBackup } from '~/privacy/backups/restore.server'
import { addCalendarMonths, backupIfDue, expireBackups, takeBackup, type ArchiveWriter } from '~/privacy/backups/schedule.server'
import { backupsDir } from '~/privacy/erasure/journal.server'
import { requestDeletion } from '~/privacy/erasure/requests.server'
import { runDeletion } from '~/privacy/erasure/run.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dataDir: string
let clock: ReturnType<typeof useFakeClock> | null = null
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-backup-'))
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

async function dropDatabase(name: string) {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') })
  await admin.connect()
  await admin.query(`drop database if exists ${name} with (force)`).catch(() => {})
  await admin.end()
}

async function emptyDatabase() {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') })
  await admin.connect()
  const name = `carnet_t_restore_${randomBytes(5).toString('hex')}`
  await admin.query(`create database ${name}`)
  await admin.end()
  const u = new URL(inject('pgAdminUrl'))
  u.pathname = `/${name}`
  return { url: u.toString(), name }
}

test('a backup records its SHA-256 and size (row and sidecar) and matches the file', async () => {
  const b = await takeBackup(t.db)
  const file = path.join(backupsDir(), b.fileName)
  const actual = await sha256File(file)
  expect(b.sha256).toBe(actual.sha256)
  expect(b.bytes).toBe(actual.bytes)
  expect(b.tables).toBeGreaterThan(30)
  expect(readSidecar(file)).toMatchObject({ sha256: actual.sha256, bytes: actual.bytes, kind: b.kind })
  expect(fs.statSync(file).mode & 0o077).toBe(0) // personal data: not world-readable
})

/** The schedule alone: a small real file instead of a full dump (the dump has its own tests). */
const tinyArchive: ArchiveWriter = async (_url, file, takenAt) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, `backup ${takenAt.toISOString()}`)
  const { sha256, bytes } = await sha256File(file)
  return { sha256, bytes, tables: 0, rows: 0, perTable: {}, header: { format: 1, takenAt: takenAt.toISOString(), migration: { count: 0, last: null }, tables: [] } }
}

test('pruned to 7 daily, 4 weekly, 6 monthly over eight months; nothing ever older than six months; each deletion recorded', async () => {
  await t.db.delete(backups)
  fs.rmSync(backupsDir(), { recursive: true, force: true })
  clock = useFakeClock('2026-01-01T01:30:00Z')
  const start = new Date('2026-01-01T01:30:00Z').getTime()
  let deleted = 0
  for (let day = 0; day < 245; day++) {
    clock.set(new Date(start + day * DAY))
    const { taken } = await backupIfDue(t.db, { writer: tinyArchive })
    expect(taken, `day ${day}`).not.toBeNull()
    // The hourly expiry, twice a day here.
    deleted += (await expireBackups(t.db)).deleted
    clock.advance(12 * HOUR)
    deleted += (await expireBackups(t.db)).deleted
    expect((await backupIfDue(t.db, { writer: tinyArchive })).taken).toBeNull() // one a day

    const live = await t.db.select().from(backups).where(isNull(backups.deletedAt))
    const sixMonthsAgo = addCalendarMonths(now(), -6)
    for (const b of live) expect(b.takenAt > sixMonthsAgo, `${b.fileName} older than six months on day ${day}`).toBe(true)
    const by = (k: string) => live.filter((b) => b.kind === k).length
    expect(by('daily')).toBeLessThanOrEqual(7)
    expect(by('weekly')).toBeLessThanOrEqual(4)
    expect(by('monthly')).toBeLessThanOrEqual(6)
  }
  const live = await t.db.select().from(backups).where(isNull(backups.deletedAt))
  const by = (k: string) => live.filter((b) => b.kind === k).length
  // After eight months: a full set.
  expect(by('monthly')).toBe(6)
  expect(by('weekly')).toBeGreaterThanOrEqual(3)
  expect(by('daily')).toBeGreaterThanOrEqual(5)
  // Files on disk are exactly the live backups (+ their sidecars).
  const files = fs.readdirSync(backupsDir()).filter((f) => f.endsWith('.backup.gz'))
  expect(files.sort()).toEqual(live.map((b) => b.fileName).sort())
  // Every deletion is recorded: in the register and in the audit log.
  const gone = await t.db
    .select()
    .from(backups)
    .where(and(eq(backups.deletionReason, 'expired')))
  expect(gone.length).toBe(deleted)
  const audited = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'backup.deleted'))
  expect(audited.length).toBe(deleted)
}, 300_000)

test('restore into an empty database replays every erasure made after the backup: the erased child does not come back', async () => {
  const org = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  const erased = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Restaurée', lastName: 'Jamais' })
  const kept = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Reste', lastName: 'Là' })
  const [a] = await t.db.insert(activities).values({ orgId: org.id, classId: cls.id, kind: 'quiz', title: 'Q', createdBy: teacher.id, createdAt: new Date() }).returning()
  await t.db.insert(results).values([
    { orgId: org.id, childId: erased.id, activityId: a!.id, score: 1, max: 1, answers: [0], completedAt: new Date() },
    { orgId: org.id, childId: kept.id, activityId: a!.id, score: 0, max: 1, answers: [1], completedAt: new Date() },
  ])
  const backup = await takeBackup(t.db)
  const file = path.join(backupsDir(), backup.fileName)

  // After the backup: the child is erased (tombstone + journal line).
  const req = await requestDeletion(t.db, { subjectId: erased.id, orgId: org.id, requestedBy: null, role: 'admin', reason: 'left_school' })
  await runDeletion(t.db, req.id)
  expect(await t.db.select().from(users).where(eq(users.id, erased.id))).toHaveLength(0)
  // Its keyed hashes (ADR 021: a roster import does not re-create the child).
  const [original] = await t.db.select().from(erasureTombstones).where(eq(erasureTombstones.subjectId, erased.id))
  expect(original!.nameHmacs).toHaveLength(1)

  const target = await emptyDatabase()
  try {
    const out = await restoreBackup(target.url, file, { log: (s) => console.error(`[restore] ${s}`) })
    expect(out.replayed).toBeGreaterThanOrEqual(1)
    const { sql, db } = connect(target.url, { max: 1 })
    try {
      expect(await db.select().from(users).where(eq(users.id, erased.id))).toHaveLength(0)
      expect(await db.select().from(memberships).where(eq(memberships.userId, erased.id))).toHaveLength(0)
      expect(await db.select().from(results).where(eq(results.childId, erased.id))).toHaveLength(0)
      expect(await db.select().from(users).where(eq(users.id, kept.id))).toHaveLength(1)
      expect(await db.select().from(organizations).where(eq(organizations.id, org.id))).toHaveLength(1)
      const [tomb] = await db.select().from(erasureTombstones).where(eq(erasureTombstones.subjectId, erased.id))
      expect(tomb!.replayedAt).not.toBeNull()
      // The replay computed the same keyed hashes from the backup's copy of the child, before erasing it.
      expect(tomb!.nameHmacs).toEqual(original!.nameHmacs)
      // The restored database carries on: ids continue after the restored ones.
      await db.insert(auditEvents).values({ at: new Date(), action: 'after.restore', outcome: 'success' })
    } finally {
      await sql.end()
    }
    // Not into a database that has data.
    await expect(restoreBackup(target.url, file)).rejects.toThrow(/not empty/)
  } finally {
    await dropDatabase(target.name)
  }
}, 120_000)

test('a file whose checksum does not match is refused before anything changes', async () => {
  const b = await takeBackup(t.db)
  const file = path.join(backupsDir(), b.fileName)
  const copy = path.join(backupsDir(), `tampered-${b.fileName}`)
  fs.copyFileSync(file, copy)
  fs.copyFileSync(`${file}.json`, `${copy}.json`)
  fs.appendFileSync(copy, Buffer.from([0]))
  const target = await emptyDatabase()
  try {
    await expect(restoreBackup(target.url, copy)).rejects.toThrow(/checksum mismatch/)
    const c = new pg.Client({ connectionString: target.url })
    await c.connect()
    const { rows } = await c.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`)
    await c.end()
    expect(rows[0].n).toBe(0)
  } finally {
    await dropDatabase(target.name)
  }
})

test('npx carnet backup / restore: --help, clear errors, a round trip through the CLI', async () => {
  const { runCli } = await import('../../cli/index')
  const run = async (url: string, ...argv: string[]) => {
    const out: string[] = []
    const err: string[] = []
    process.env.DATABASE_URL = url
    process.env.DATABASE_OWNER_URL = url === t.url ? t.ownerUrl : url
    const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) })
    process.env.DATABASE_URL = t.url
    process.env.DATABASE_OWNER_URL = t.ownerUrl
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  expect((await run(t.url, 'backup', '--help')).out).toContain('DATA_DIR/backups')
  expect((await run(t.url, 'restore', '--help')).out).toContain('empty database')
  expect(await run(t.url, 'restore')).toMatchObject({ code: 1, err: expect.stringContaining('Name one backup file') })
  expect(await run(t.url, 'restore', '/nope/missing.backup.gz')).toMatchObject({ code: 1, err: expect.stringContaining('no such backup file') })
  expect((await run(t.url, 'backup', '--bogus')).code).toBe(1)
  const b = await run(t.url, 'backup')
  expect(b.code).toBe(0)
  const file = /Backup taken: (\S+)/.exec(b.out)![1]!
  // Into the (non-empty) test database: refused, nothing changed.
  expect(await run(t.url, 'restore', file)).toMatchObject({ code: 1, err: expect.stringContaining('not empty') })
  const target = await emptyDatabase()
  try {
    const r = await run(target.url, 'restore', file)
    expect(r, r.err).toMatchObject({ code: 0 })
    expect(r.out).toMatch(/Restored \d+ rows in \d+ tables/)
  } finally {
    await dropDatabase(target.name)
  }
}, 120_000)

// Backups and their expiry (DPA Annex D "Backups": daily kept 7 days, weekly 4 weeks, monthly
// 6 months; Annex B: technical backups deleted no later than six months after the data).
// The first backup of a (Paris) month is the monthly one, the first of an ISO week the weekly
// one, the others daily. The expiry job deletes every file past its date — and, whatever its
// kind or origin, any backup about to turn six months old — and records each deletion.
import fs from 'node:fs'
import path from 'node:path'
import { and, desc, eq, gte, isNotNull, isNull, lte, or } from 'drizzle-orm'
import { backups, type BackupKind } from '../../../drizzle/schema'
import { DAY, now } from '../../clock.server'
import { databaseUrl, type DbOrTx } from '../../db.server'
import { recordAudit } from '../../compliance/audit.server'
import { parisParts } from '../../compliance/calendar.server'
import { backupsDir } from '../erasure/journal.server'
import { readSidecar, sidecarPath, writeArchive, writeSidecar } from './archive.server'

export const RETENTION = { daily: 7 * DAY, weekly: 28 * DAY, manual: 7 * DAY } as const
export const MONTHLY_MONTHS = 6

/** The same instant `months` calendar months later (the day clamped to the month's end). */
export function addCalendarMonths(d: Date, months: number): Date {
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + months
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()))
}

/** Nothing may reach six months: every backup is gone a day before (the expiry runs hourly). */
export function hardLimit(takenAt: Date): Date {
  return new Date(addCalendarMonths(takenAt, MONTHLY_MONTHS).getTime() - DAY)
}

export function expiryOf(kind: BackupKind, takenAt: Date): Date {
  if (kind === 'monthly') return hardLimit(takenAt)
  const at = new Date(takenAt.getTime() + RETENTION[kind])
  return at < hardLimit(takenAt) ? at : hardLimit(takenAt)
}

const parisDay = (d: Date) => {
  const p = parisParts(d)
  return Date.UTC(p.year, p.month - 1, p.day)
}
const monthKey = (d: Date) => {
  const p = parisParts(d)
  return p.year * 12 + p.month
}
/** ISO week key: the Monday (Paris calendar) of the week. */
const weekKey = (d: Date) => {
  const day = parisDay(d)
  const dow = (new Date(day).getUTCDay() + 6) % 7
  return day - dow * DAY
}

/** Kind of a backup taken now, given those that exist. */
export async function nextKind(db: DbOrTx, at: Date): Promise<BackupKind> {
  const recent = await db
    .select({ kind: backups.kind, takenAt: backups.takenAt })
    .from(backups)
    .where(and(isNull(backups.deletedAt), gte(backups.takenAt, new Date(at.getTime() - 40 * DAY))))
  if (!recent.some((b) => b.kind === 'monthly' && monthKey(b.takenAt) === monthKey(at))) return 'monthly'
  if (!recent.some((b) => (b.kind === 'weekly' || b.kind === 'monthly') && weekKey(b.takenAt) === weekKey(at))) return 'weekly'
  return 'daily'
}

export type TakenBackup = typeof backups.$inferSelect

/** Takes one backup now: the file, its sidecar (SHA-256, size), its row; audited. */
export type ArchiveWriter = (url: string, file: string, takenAt: Date) => ReturnType<typeof writeArchive>
export type BackupOptions = { kind?: BackupKind; url?: string; /** Tests of the schedule alone pass a cheaper writer. */ writer?: ArchiveWriter }

export async function takeBackup(db: DbOrTx, opts: BackupOptions = {}): Promise<TakenBackup> {
  const at = now()
  const kind = opts.kind ?? (await nextKind(db, at))
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const fileName = `carnet-${stamp}-${kind}-${Math.random().toString(36).slice(2, 6)}.backup.gz`
  const file = path.join(backupsDir(), fileName)
  const s = await (opts.writer ?? writeArchive)(opts.url ?? databaseUrl(), file, at)
  const expiresAt = expiryOf(kind, at)
  writeSidecar(file, { file: fileName, kind, takenAt: at.toISOString(), sha256: s.sha256, bytes: s.bytes, tables: s.tables, rows: s.rows, migration: s.header.migration })
  const [row] = await db.insert(backups).values({ fileName, kind, takenAt: at, sha256: s.sha256, bytes: s.bytes, tables: s.tables, rows: s.rows, expiresAt }).returning()
  await recordAudit(db, { action: 'backup.taken', targetType: 'backup', targetId: row!.id, details: { file: fileName, kind, sha256: s.sha256, bytes: s.bytes, expiresAt: expiresAt.toISOString() } })
  return row!
}

/** The daily job: one backup per Paris calendar day. */
export async function backupIfDue(db: DbOrTx, opts: Omit<BackupOptions, 'kind'> = {}) {
  const at = now()
  const [last] = await db
    .select({ takenAt: backups.takenAt })
    .from(backups)
    .where(and(isNull(backups.deletedAt), or(eq(backups.kind, 'daily'), eq(backups.kind, 'weekly'), eq(backups.kind, 'monthly'))))
    .orderBy(desc(backups.takenAt))
    .limit(1)
  if (last && parisDay(last.takenAt) === parisDay(at)) return { taken: null }
  const b = await takeBackup(db, opts)
  return { taken: { file: b.fileName, kind: b.kind } }
}

/** Files on disk the database does not list (after a restore): registered from their sidecar. */
async function registerStrays(db: DbOrTx) {
  const dir = backupsDir()
  if (!fs.existsSync(dir)) return 0
  const known = new Set((await db.select({ f: backups.fileName }).from(backups)).map((r) => r.f))
  let n = 0
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.backup.gz') || known.has(name)) continue
    const side = readSidecar(path.join(dir, name))
    if (!side) continue
    const takenAt = new Date(side.takenAt)
    const kind = side.kind as BackupKind
    await db
      .insert(backups)
      .values({ fileName: name, kind, takenAt, sha256: side.sha256, bytes: side.bytes, tables: side.tables, rows: side.rows, expiresAt: expiryOf(kind, takenAt) })
      .onConflictDoNothing()
    n++
  }
  return n
}

/** The expiry job: deletes what is past its date or near six months; each deletion recorded. */
export async function expireBackups(db: DbOrTx) {
  const at = now()
  const registered = await registerStrays(db)
  const due = await db
    .select()
    .from(backups)
    .where(and(isNull(backups.deletedAt), or(lte(backups.expiresAt, at))))
  // Whatever its recorded date says, never older than the hard limit.
  const all = await db.select().from(backups).where(isNull(backups.deletedAt))
  const capped = all.filter((b) => hardLimit(b.takenAt) <= at && !due.some((d) => d.id === b.id))
  const deleted: string[] = []
  for (const [b, reason] of [...due.map((b) => [b, 'expired'] as const), ...capped.map((b) => [b, 'six_month_limit'] as const)]) {
    const file = path.join(backupsDir(), b.fileName)
    fs.rmSync(file, { force: true })
    fs.rmSync(sidecarPath(file), { force: true })
    await db.update(backups).set({ deletedAt: at, deletionReason: reason }).where(eq(backups.id, b.id))
    await recordAudit(db, { action: 'backup.deleted', targetType: 'backup', targetId: b.id, details: { file: b.fileName, kind: b.kind, takenAt: b.takenAt.toISOString(), reason } })
    deleted.push(b.fileName)
  }
  // Half-written files of a crashed backup (not one being written right now: file times are
  // wall-clock times, so they are compared with the wall clock).
  const dir = backupsDir()
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith('.part')) continue
      const full = path.join(dir, name)
      try {
        if (Date.now() - fs.statSync(full).mtimeMs > 6 * 3_600_000) fs.rmSync(full, { force: true })
      } catch {
        // gone meanwhile: renamed by the backup that wrote it
      }
    }
  }
  return { deleted: deleted.length, registered }
}

export async function listBackups(db: DbOrTx) {
  const live = await db.select().from(backups).where(isNull(backups.deletedAt)).orderBy(desc(backups.takenAt))
  const gone = await db
    .select()
    .from(backups)
    .where(and(isNotNull(backups.deletedAt), gte(backups.deletedAt, new Date(now().getTime() - 30 * DAY))))
    .orderBy(desc(backups.deletedAt))
    .limit(50)
  return { live, gone }
}

// Audit-log retention (DPA Annex D, Traceability: "retention of logs for 6 months, followed by
// secure archiving for 1 year"; DESIGN §3.7). audit_events is partitioned by UTC month
// (migration 0003). Three idempotent steps, each a job and each audited:
//   1. partitions — the current month and the next ones exist ahead of time (rows that landed
//      in the DEFAULT partition for such a month are moved into it);
//   2. archive — a month older than the online period is written to one gzip JSON-lines file
//      per organization (SHA-256 recorded in audit_archives), then its partition is dropped;
//   3. purge — an archive file past the archive period is deleted; its row stays as a record.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable, Transform } from 'node:stream'
import { createGzip } from 'node:zlib'
import { and, asc, eq, gt, gte, isNull, lt, lte, sql } from 'drizzle-orm'
import { auditArchives, auditEvents } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { recordAudit } from '../../compliance/audit.server'

const SCHEMA = 'audit_partitions'
const DEFAULT_PARTITION = 'audit_events_default'

/** The durations, in months; the defaults follow the DPA. Settings: environment variables. */
export function auditRetention() {
  const months = (name: string, fallback: number) => {
    const v = Number.parseInt(process.env[name] ?? '', 10)
    return Number.isFinite(v) && v >= 1 ? v : fallback
  }
  return {
    onlineMonths: months('CARNET_AUDIT_ONLINE_MONTHS', 6),
    archiveMonths: months('CARNET_AUDIT_ARCHIVE_MONTHS', 12),
    aheadMonths: 3,
  }
}

export function archiveDir() {
  return path.resolve(process.env.DATA_DIR ?? '.data', 'audit-archive')
}

export const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
export const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1))
export const monthKey = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
export const partitionName = (month: Date) => `audit_events_p${monthKey(month).replace('-', '')}`

/** Monthly partitions currently attached, oldest first. */
export async function listPartitions(db: DbOrTx): Promise<{ name: string; month: Date }[]> {
  const rows = (await db.execute(sql`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.audit_events'::regclass and c.relname <> ${DEFAULT_PARTITION}
    order by c.relname`)) as unknown as { name: string }[]
  return rows
    .map((r) => {
      const m = /^audit_events_p(\d{4})(\d{2})$/.exec(r.name)
      return m ? { name: r.name, month: new Date(Date.UTC(+m[1]!, +m[2]! - 1, 1)) } : null
    })
    .filter((x): x is { name: string; month: Date } => !!x)
}

/**
 * Creates one month's partition if missing, through the owner's function (the runtime role may
 * not create or alter tables): rows already in the DEFAULT partition for that month move into
 * it, with the default partition locked meanwhile so none slips in between.
 */
export async function ensurePartition(db: Db, month: Date): Promise<boolean> {
  const name = partitionName(month)
  return db.transaction(async (tx) => {
    const [r] = (await tx.execute(sql`select carnet_audit_ensure_partition(${monthKey(month) + '-01'}::date) as created`)) as unknown as { created: boolean }[]
    if (!r?.created) return false
    await recordAudit(tx, { action: 'audit.partition_created', targetType: 'audit_partition', targetId: name, details: { month: monthKey(month) } })
    return true
  })
}

/** Step 1: the current month and `aheadMonths` after it. */
export async function ensurePartitionsAhead(db: Db) {
  const start = monthStart(now())
  const created: string[] = []
  for (let i = 0; i <= auditRetention().aheadMonths; i++) {
    const m = addMonths(start, i)
    if (await ensurePartition(db, m)) created.push(partitionName(m))
  }
  return { created }
}

type ArchiveFile = { orgId: string | null; fileName: string; sha256: string; bytes: number; entries: number }

async function* monthRows(db: DbOrTx, month: Date, orgId: string | null) {
  const from = month
  const to = addMonths(month, 1)
  let after = -1
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(gte(auditEvents.at, from), lt(auditEvents.at, to), orgId ? eq(auditEvents.orgId, orgId) : isNull(auditEvents.orgId), gt(auditEvents.id, after)))
      .orderBy(asc(auditEvents.id))
      .limit(2000)
    if (!rows.length) return
    for (const r of rows) yield r
    after = rows[rows.length - 1]!.id
  }
}

/** Streams one organization's month to gzip JSON lines; returns its SHA-256 (of the .gz bytes). */
async function writeArchiveFile(db: DbOrTx, month: Date, orgId: string | null, stamp: number): Promise<ArchiveFile> {
  const fileName = `${monthKey(month)}/${orgId ?? 'platform'}-${stamp}.jsonl.gz`
  const full = path.join(archiveDir(), fileName)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  const hash = createHash('sha256')
  let bytes = 0
  let entries = 0
  const lines = Readable.from(
    (async function* () {
      for await (const r of monthRows(db, month, orgId)) {
        entries++
        yield JSON.stringify({ ...r, at: r.at.toISOString() }) + '\n'
      }
    })(),
  )
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      bytes += chunk.length
      cb(null, chunk)
    },
  })
  await pipeline(lines, createGzip({ level: 9 }), tap, fs.createWriteStream(`${full}.tmp`, { mode: 0o600 }))
  fs.renameSync(`${full}.tmp`, full)
  return { orgId, fileName, sha256: hash.digest('hex'), bytes, entries }
}

/**
 * Step 2 for one month: one archive file per organization (and one for entries without an
 * organization), then the month leaves the online table — its partition is dropped, and any
 * of its rows in the DEFAULT partition deleted. A month archived twice (rows that arrived
 * late) gets new files beside the old ones, never overwriting them.
 */
export async function archiveMonth(db: Db, month: Date) {
  const from = month
  const to = addMonths(month, 1)
  const orgs = (await db
    .selectDistinct({ orgId: auditEvents.orgId })
    .from(auditEvents)
    .where(and(gte(auditEvents.at, from), lt(auditEvents.at, to)))) as { orgId: string | null }[]
  const stamp = now().getTime()
  const files: ArchiveFile[] = []
  try {
    for (const { orgId } of orgs) files.push(await writeArchiveFile(db, month, orgId, stamp))
    const { archiveMonths } = auditRetention()
    await db.transaction(async (tx) => {
      const at = now()
      for (const f of files) {
        await tx
          .insert(auditArchives)
          .values({
            month: monthKey(month) + '-01',
            orgId: f.orgId,
            fileName: f.fileName,
            sha256: f.sha256,
            bytes: f.bytes,
            entries: f.entries,
            archivedAt: at,
            purgeDueAt: addMonths(to, archiveMonths),
          })
          .onConflictDoNothing()
      }
      // The month leaves the online table through the owner's function, which refuses a month
      // still online (by the database's clock) or whose entries the rows above do not count.
      const name = partitionName(month)
      const [had] = (await tx.execute(sql`
        select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${SCHEMA} and c.relname = ${name}) as partition`)) as unknown as {
        partition: boolean
      }[]
      await tx.execute(sql`select carnet_audit_drop_month(${monthKey(month) + '-01'}::date)`)
      await recordAudit(tx, {
        action: 'audit.archived',
        targetType: 'audit_month',
        targetId: monthKey(month),
        details: { files: files.length, entries: files.reduce((n, f) => n + f.entries, 0), partitionDropped: !!had?.partition },
      })
    })
  } catch (e) {
    for (const f of files) fs.rmSync(path.join(archiveDir(), f.fileName), { force: true })
    throw e
  }
  return files
}

/** Step 2: every month entirely older than the online period. */
export async function archiveDueMonths(db: Db) {
  const cutoff = addMonths(monthStart(now()), -auditRetention().onlineMonths)
  const withRows = (await db.execute(sql`
    select distinct to_char(at at time zone 'UTC', 'YYYY-MM') as m from audit_events where at < ${cutoff.toISOString()}::timestamptz`)) as unknown as { m: string }[]
  const months = new Map<string, Date>()
  for (const r of withRows) months.set(r.m, new Date(`${r.m}-01T00:00:00Z`))
  for (const p of await listPartitions(db)) if (p.month < cutoff) months.set(monthKey(p.month), p.month)
  const done: { month: string; files: number; entries: number }[] = []
  for (const m of [...months.values()].sort((a, b) => a.getTime() - b.getTime())) {
    const files = await archiveMonth(db, m)
    done.push({ month: monthKey(m), files: files.length, entries: files.reduce((n, f) => n + f.entries, 0) })
  }
  return { cutoff: monthKey(cutoff), archived: done }
}

/** Step 3: archive files past their purge date are deleted; the row keeps purged_at. */
export async function purgeDueArchives(db: Db) {
  const due = await db
    .select()
    .from(auditArchives)
    .where(and(isNull(auditArchives.purgedAt), lte(auditArchives.purgeDueAt, now())))
  for (const a of due) {
    fs.rmSync(path.join(archiveDir(), a.fileName), { force: true })
    await db.transaction(async (tx) => {
      await tx.update(auditArchives).set({ purgedAt: now() }).where(eq(auditArchives.id, a.id))
      await recordAudit(tx, { action: 'audit.archive_purged', orgId: a.orgId, targetType: 'audit_archive', targetId: a.id, details: { month: a.month, entries: a.entries } })
    })
  }
  return { purged: due.length }
}

export async function listArchives(db: DbOrTx, orgId: string) {
  return db
    .select()
    .from(auditArchives)
    .where(eq(auditArchives.orgId, orgId))
    .orderBy(sql`${auditArchives.month} desc`, sql`${auditArchives.archivedAt} desc`)
}

export async function getArchive(db: DbOrTx, orgId: string, id: string) {
  const [a] = await db
    .select()
    .from(auditArchives)
    .where(and(eq(auditArchives.orgId, orgId), eq(auditArchives.id, id)))
  return a ?? null
}

export function archivePath(fileName: string) {
  const full = path.resolve(archiveDir(), fileName)
  if (!full.startsWith(archiveDir() + path.sep)) throw new Error('archive path escapes the archive directory')
  return full
}

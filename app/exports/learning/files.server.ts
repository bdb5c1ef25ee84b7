// Large exports: built by a background job into a file under DATA_DIR/exports, downloadable by
// their author for 7 days, then deleted by the sweep (the files are personal data). The row
// carries the progress the exports page shows while the job runs.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { and, desc, eq, inArray, isNull, lt, ne, or } from 'drizzle-orm'
import { exportFiles, users } from '../../../drizzle/schema'
import { DAY, MINUTE, now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, DomainError, NotFound } from '../../errors.server'
import { recordAudit } from '../../compliance/audit.server'
import type { Lang } from '../../i18n'
import { isUuid } from '../../models/learning/activities.server'
import { countScopeChildren, resolveScope, type ExportScope } from './scope.server'
import { PdfPool } from './pdf-pool.server'
import { learningZip } from './zip.server'

export const EXPORT_TTL = 7 * DAY
export type ExportFile = typeof exportFiles.$inferSelect

export function exportDir() {
  return path.resolve(process.env.DATA_DIR ?? '.data', 'exports')
}

/** Where the job writes while it builds: children's records, so it never outlives a failure. */
export function partialPath(exportId: string) {
  return path.join(exportDir(), `${exportId}.zip.part`)
}

/**
 * A running export silent for this long is dead — its process crashed, or lost the database
 * for good — even if its job will never report it (CARNET_EXPORT_STALL_MINUTES, default 10).
 * The job writes a heartbeat at least every few seconds while bytes flow into the file.
 */
export function exportStallMs() {
  const v = Number(process.env.CARNET_EXPORT_STALL_MINUTES)
  return (Number.isFinite(v) && v > 0 ? v : 10) * MINUTE
}

/** A queued export that has not started within a day never will: its job was lost. */
export const QUEUED_LIMIT = DAY

/** Exports with more children than this run in the background; smaller ones download at once. */
export function syncExportLimit() {
  const v = Number(process.env.CARNET_EXPORT_SYNC_MAX_CHILDREN)
  return Number.isFinite(v) && v >= 0 ? v : 60
}

export async function createExportFile(db: DbOrTx, a: { orgId: string; scope: ExportScope; authorId: string; lang: Lang; total: number }): Promise<ExportFile> {
  const at = now()
  const [row] = await db
    .insert(exportFiles)
    .values({ orgId: a.orgId, scope: a.scope, authorId: a.authorId, lang: a.lang, createdAt: at, expiresAt: new Date(at.getTime() + EXPORT_TTL), status: 'queued', total: a.total, heartbeatAt: at })
    .returning()
  return row!
}

export async function getExportFile(db: DbOrTx, { orgId, exportId }: { orgId: string; exportId: string }): Promise<ExportFile> {
  if (!isUuid(orgId) || !isUuid(exportId)) throw new NotFound('export')
  const [row] = await db
    .select()
    .from(exportFiles)
    .where(and(eq(exportFiles.id, exportId), eq(exportFiles.orgId, orgId)))
  if (!row) throw new NotFound('export')
  return row
}

export async function listMyExports(db: DbOrTx, { orgId, authorId }: { orgId: string; authorId: string }) {
  return db
    .select()
    .from(exportFiles)
    .where(and(eq(exportFiles.orgId, orgId), eq(exportFiles.authorId, authorId), ne(exportFiles.status, 'expired')))
    .orderBy(desc(exportFiles.createdAt))
    .limit(20)
}

/**
 * The job's work. Idempotent: a finished export is left alone; a run interrupted half-way
 * starts again from scratch (the partial file is overwritten and renamed only when complete).
 * An export already marked failed (its last attempt, or the stall sweep) is left failed: its
 * author starts it again from the exports page.
 *
 * On failure the partial file is deleted at once; the row becomes `failed` on the last
 * attempt and `queued` when the queue will try again. If the database itself is what failed,
 * that write cannot happen either: the stall sweep finishes the job.
 */
export async function buildExportFile(db: DbOrTx, { orgId, exportId, lastAttempt = true }: { orgId: string; exportId: string; lastAttempt?: boolean }) {
  const row = await getExportFile(db, { orgId, exportId })
  if (row.status === 'done' || row.status === 'expired' || row.status === 'failed') return { alreadyDone: true, row }
  const resolved = await resolveScope(db, orgId, row.scope)
  const total = await countScopeChildren(db, orgId, resolved)
  await db.update(exportFiles).set({ status: 'running', progress: 0, total, error: null, heartbeatAt: now() }).where(eq(exportFiles.id, exportId))
  const [author] = await db.select({ firstName: users.firstName, lastName: users.lastName }).from(users).where(eq(users.id, row.authorId))
  const dir = exportDir()
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const final = path.join(dir, `${row.id}.zip`)
  const part = partialPath(row.id)
  let lastWrite = Date.now()
  // Progress for the page's bar and the heartbeat for the stall sweep: at most about once a second.
  const beat = (fields: { progress?: number } = {}) => {
    lastWrite = Date.now()
    return db
      .update(exportFiles)
      .set({ ...fields, heartbeatAt: now() })
      .where(eq(exportFiles.id, exportId))
  }
  // A school is thousands of PDFs: render them on worker threads when available.
  const pool = PdfPool.create()
  const zip = learningZip({
    pool,
    db,
    orgId,
    resolved,
    author: { id: row.authorId, name: author ? `${author.firstName} ${author.lastName}` : row.authorId },
    lang: row.lang,
    now: row.createdAt,
    onProgress: async (done) => {
      if (done === total || Date.now() - lastWrite > 1000) await beat({ progress: done })
    },
  })
  const h = createHash('sha256')
  let bytes = 0
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      h.update(chunk)
      bytes += chunk.length
      // The CSV and JSON at the end write no progress: bytes flowing are the sign of life.
      // Not awaited (the stream must not wait on it); a failed write shows up on the next query.
      if (Date.now() - lastWrite > 5000) beat().catch(() => {})
      cb(null, chunk)
    },
  })
  try {
    await Promise.all([pipeline(zip.stream, tap, fs.createWriteStream(part, { mode: 0o600 })), zip.done])
    fs.renameSync(part, final)
    await pool?.close()
  } catch (e) {
    await pool?.close()
    fs.rmSync(part, { force: true })
    const error = e instanceof DomainError ? e.code : 'learning.export.failed'
    await db
      .update(exportFiles)
      .set(lastAttempt ? { status: 'failed', error, finishedAt: now() } : { status: 'queued', progress: 0, heartbeatAt: now() })
      .where(and(eq(exportFiles.id, exportId), inArray(exportFiles.status, ['queued', 'running'])))
      // The database may be what failed: the job's own error is the one to report.
      .catch(() => {})
    throw e
  }
  const manifest = await zip.done
  const [updated] = await db
    .update(exportFiles)
    .set({ status: 'done', progress: total, fileName: zip.fileName, path: final, sha256: h.digest('hex'), bytes, finishedAt: now() })
    .where(eq(exportFiles.id, exportId))
    .returning()
  await recordAudit(db, {
    action: 'export.learning_zip',
    orgId,
    actorId: row.authorId,
    targetType: 'export_file',
    targetId: row.id,
    details: { scope: row.scope, children: manifest.counts.children, results: manifest.counts.results, observations: manifest.counts.observations, async: true },
  })
  return { alreadyDone: false, row: updated! }
}

/** A finished export, for its author, before it expires. */
export async function exportForDownload(db: DbOrTx, a: { orgId: string; exportId: string; userId: string }) {
  const row = await getExportFile(db, a)
  if (row.authorId !== a.userId) throw new NotFound('export')
  if (row.status === 'expired' || row.expiresAt.getTime() <= now().getTime()) throw new DomainError('learning.export.expired', {}, 410)
  if (row.status !== 'done' || !row.path || !fs.existsSync(row.path)) throw new Conflict('learning.export.not_ready')
  return row
}

/**
 * Marks an unfinished export failed and deletes its partial file at once (it holds children's
 * records). Returns the row, or null when it had already finished one way or another.
 */
export async function failExport(db: DbOrTx, { exportId, error = 'learning.export.failed' }: { exportId: string; error?: string }) {
  fs.rmSync(partialPath(exportId), { force: true })
  const [row] = await db
    .update(exportFiles)
    .set({ status: 'failed', error, finishedAt: now() })
    .where(and(eq(exportFiles.id, exportId), inArray(exportFiles.status, ['queued', 'running'])))
    .returning()
  return row ?? null
}

/**
 * Exports whose job died without saying so: running with no heartbeat for the stall limit,
 * or queued for a day without starting. Marked failed, partial files deleted; idempotent.
 */
export async function sweepStalledExports(db: DbOrTx, { stallMs = exportStallMs() }: { stallMs?: number } = {}) {
  const at = now().getTime()
  const silentSince = new Date(at - stallMs)
  const due = await db
    .select({ id: exportFiles.id, orgId: exportFiles.orgId })
    .from(exportFiles)
    .where(
      or(
        and(eq(exportFiles.status, 'running'), lt(exportFiles.heartbeatAt, silentSince)),
        and(eq(exportFiles.status, 'queued'), lt(exportFiles.heartbeatAt, new Date(at - QUEUED_LIMIT))),
        // Rows from before the heartbeat existed.
        and(inArray(exportFiles.status, ['queued', 'running']), isNull(exportFiles.heartbeatAt), lt(exportFiles.createdAt, silentSince)),
      ),
    )
    .limit(1000)
  const perOrg = new Map<string, number>()
  for (const f of due) if (await failExport(db, { exportId: f.id })) perOrg.set(f.orgId, (perOrg.get(f.orgId) ?? 0) + 1)
  for (const [orgId, n] of perOrg) await recordAudit(db, { action: 'system.export_failed', orgId, targetType: 'system', details: { failed: n, reason: 'stalled' } })
  return { failed: [...perOrg.values()].reduce((a, b) => a + b, 0) }
}

/**
 * "Try again" on a failed export: the same row goes back to the queue (by its author only),
 * with a fresh 7 days. Returns the row to enqueue; Conflict when it is not failed (a double
 * click, or it already runs again).
 */
export async function restartExport(db: DbOrTx, a: { orgId: string; exportId: string; userId: string }) {
  const row = await getExportFile(db, a)
  if (row.authorId !== a.userId) throw new NotFound('export')
  const at = now()
  const [updated] = await db
    .update(exportFiles)
    .set({ status: 'queued', progress: 0, error: null, finishedAt: null, createdAt: at, expiresAt: new Date(at.getTime() + EXPORT_TTL), heartbeatAt: at })
    .where(and(eq(exportFiles.id, row.id), eq(exportFiles.status, 'failed')))
    .returning()
  if (!updated) throw new Conflict('learning.export.not_failed')
  return updated
}

/** Deletes the files of expired exports and marks them; idempotent. */
export async function sweepExpiredExports(db: DbOrTx) {
  const due = await db
    .select({ id: exportFiles.id, orgId: exportFiles.orgId, path: exportFiles.path })
    .from(exportFiles)
    .where(and(lt(exportFiles.expiresAt, now()), ne(exportFiles.status, 'expired')))
    .limit(1000)
  for (const f of due) {
    if (f.path) fs.rmSync(f.path, { force: true })
    fs.rmSync(path.join(exportDir(), `${f.id}.zip.part`), { force: true })
  }
  if (due.length) {
    await db
      .update(exportFiles)
      .set({ status: 'expired', path: null })
      .where(
        inArray(
          exportFiles.id,
          due.map((f) => f.id),
        ),
      )
    const perOrg = new Map<string, number>()
    for (const f of due) perOrg.set(f.orgId, (perOrg.get(f.orgId) ?? 0) + 1)
    for (const [orgId, n] of perOrg) await recordAudit(db, { action: 'system.export_sweep', orgId, targetType: 'system', details: { deleted: n } })
  }
  return { deleted: due.length }
}

// The life of a roster_imports row: upload → (column mapping) → dry-run plan → confirmation →
// commit (here or in the background job) → result. Every lookup is scoped by organization.
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { rosterImports } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, NotFound } from '../../errors.server'
import type { MessageKey } from '../../i18n'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import type { MappingOverride } from '../roster/index.server'
import { planImport, planWork } from './plan.server'
import { readRosterFiles, type UploadedFile } from './source.server'
import type { ConfirmInfo, ImportPayload, ImportPlan, PlanCounts, PlanOptions } from './types.server'

/** Above this many rows to write, the commit runs as a background job with a progress bar. */
export const BACKGROUND_THRESHOLD = 500

export type RosterImportRow = Omit<typeof rosterImports.$inferSelect, 'payload' | 'plan'> & {
  payload: ImportPayload | null
  plan: ImportPlan | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (v: string) => UUID.test(v)

export async function getImport(db: DbOrTx, { orgId, importId }: { orgId: string; importId: string }): Promise<RosterImportRow> {
  if (!isUuid(importId)) throw new NotFound('roster_import')
  const [row] = await db
    .select()
    .from(rosterImports)
    .where(and(eq(rosterImports.id, importId), eq(rosterImports.orgId, orgId)))
  if (!row) throw new NotFound('roster_import')
  return row as RosterImportRow
}

/** Parses the upload and stores it with its dry-run plan (status 'planned'). Writes nothing else. */
export async function createImport(
  db: DbOrTx,
  a: { orgId: string; actorId: string | null; files: UploadedFile[]; schoolYear: string; options?: PlanOptions; mapping?: MappingOverride | null },
): Promise<{ id: string; needsMapping: boolean; plan: ImportPlan | null; payload: ImportPayload }> {
  const read = readRosterFiles(a.files, { today: now(), mapping: a.mapping })
  const needsMapping = !!read.info.mapping?.missing.length
  const payload: ImportPayload = {
    info: read.info,
    schoolYear: a.schoolYear,
    options: a.options ?? {},
    // Kept so the admin can change the column mapping or plan again without uploading again.
    source: a.files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') })),
  }
  const plan = needsMapping ? null : await planImport(db, { orgId: a.orgId, roster: read.roster, schoolYear: a.schoolYear, options: a.options })
  const [row] = await db
    .insert(rosterImports)
    .values({
      orgId: a.orgId,
      createdBy: a.actorId,
      createdAt: now(),
      fileName: read.info.fileName,
      format: read.info.format,
      status: 'planned',
      payload,
      plan,
      total: plan ? planWork(plan) : 0,
    })
    .returning({ id: rosterImports.id })
  return { id: row!.id, needsMapping, plan, payload }
}

async function editable(db: DbOrTx, a: { orgId: string; importId: string }) {
  const row = await getImport(db, a)
  if (row.status !== 'planned' && row.status !== 'failed') throw new Conflict('roster.error.not_editable')
  if (!row.payload?.source?.length) throw new Conflict('roster.error.not_editable')
  return row as RosterImportRow & { payload: ImportPayload & { source: NonNullable<ImportPayload['source']> } }
}

const sourceFiles = (payload: { source: NonNullable<ImportPayload['source']> }): UploadedFile[] => payload.source.map((f) => ({ name: f.name, bytes: Buffer.from(f.base64, 'base64') }))

/** The admin's column mapping: parse the stored file again and plan again. */
export async function remapImport(db: DbOrTx, a: { orgId: string; importId: string; mapping: MappingOverride }) {
  const row = await editable(db, a)
  const read = readRosterFiles(sourceFiles(row.payload), { today: now(), mapping: a.mapping })
  const needsMapping = !!read.info.mapping?.missing.length
  const payload: ImportPayload = { ...row.payload, info: read.info }
  const plan = needsMapping ? null : await planImport(db, { orgId: a.orgId, roster: read.roster, schoolYear: payload.schoolYear, options: payload.options })
  await db
    .update(rosterImports)
    .set({ payload, plan, status: 'planned', error: null, progress: 0, total: plan ? planWork(plan) : 0 })
    .where(and(eq(rosterImports.id, a.importId), eq(rosterImports.orgId, a.orgId)))
  return { needsMapping }
}

/** Plans again from the stored rows (after "the school changed since the dry run"). */
export async function replanImport(db: DbOrTx, a: { orgId: string; importId: string }) {
  const row = await editable(db, a)
  const { schoolYear, options } = row.payload
  const { roster } = readRosterFiles(sourceFiles(row.payload), { today: now(), mapping: row.payload.info.override })
  const plan = await planImport(db, { orgId: a.orgId, roster, schoolYear, options })
  await db
    .update(rosterImports)
    .set({ plan, status: 'planned', error: null, progress: 0, total: planWork(plan) })
    .where(and(eq(rosterImports.id, a.importId), eq(rosterImports.orgId, a.orgId)))
  return plan
}

/**
 * Records the admin's confirmation (which missing children to archive) and moves the import
 * to 'running'. Under the row lock of the UPDATE: a second click finds it running and gets false.
 */
export async function confirmImport(
  db: DbOrTx,
  a: { orgId: string; importId: string; actorId: string | null; archiveChildIds: string[]; newEnrolmentLines?: number[]; origin: RequestOrigin },
): Promise<{ claimed: boolean; background: boolean }> {
  const confirm: ConfirmInfo = {
    actorId: a.actorId,
    archiveChildIds: a.archiveChildIds.filter(isUuid),
    newEnrolmentLines: [...new Set(a.newEnrolmentLines ?? [])].filter((n) => Number.isInteger(n) && n > 0),
    at: now().toISOString(),
  }
  const rows = await db
    .update(rosterImports)
    .set({ status: 'running', error: null, progress: 0, payload: sql`${rosterImports.payload} || ${JSON.stringify({ confirm })}::jsonb` })
    .where(and(eq(rosterImports.id, a.importId), eq(rosterImports.orgId, a.orgId), inArray(rosterImports.status, ['planned', 'failed']), sql`${rosterImports.plan} is not null`))
    .returning({ total: rosterImports.total })
  if (!rows.length) {
    await getImport(db, a) // NotFound for a wrong id
    return { claimed: false, background: false }
  }
  const background = rows[0]!.total > BACKGROUND_THRESHOLD
  await recordAudit(db, {
    action: 'roster.import_confirmed',
    orgId: a.orgId,
    actorId: a.actorId,
    targetType: 'roster_import',
    targetId: a.importId,
    ip: a.origin.ip,
    userAgent: a.origin.userAgent,
    details: { background, archive: confirm.archiveChildIds.length, newEnrolments: confirm.newEnrolmentLines?.length ?? 0 },
  })
  return { claimed: true, background }
}

export async function markImportFailed(db: DbOrTx, a: { orgId: string; importId: string; code: MessageKey }) {
  await db
    .update(rosterImports)
    .set({ status: 'failed', error: a.code })
    .where(and(eq(rosterImports.id, a.importId), eq(rosterImports.orgId, a.orgId), sql`${rosterImports.status} <> 'done'`))
}

/** A planned (not committed) import the admin abandons: its copy of the file goes with it. */
export async function discardImport(db: DbOrTx, a: { orgId: string; importId: string }) {
  await db.delete(rosterImports).where(and(eq(rosterImports.id, a.importId), eq(rosterImports.orgId, a.orgId), inArray(rosterImports.status, ['planned', 'failed'])))
}

export async function importProgress(db: DbOrTx, a: { orgId: string; importId: string }) {
  if (!isUuid(a.importId)) throw new NotFound('roster_import')
  const [row] = await db
    .select({ status: rosterImports.status, progress: rosterImports.progress, total: rosterImports.total, error: rosterImports.error })
    .from(rosterImports)
    .where(and(eq(rosterImports.id, a.importId), eq(rosterImports.orgId, a.orgId)))
  if (!row) throw new NotFound('roster_import')
  return row
}

/** The organization's latest imports, without loading their (large) payloads. */
export async function listImports(db: DbOrTx, orgId: string, limit = 10) {
  return db
    .select({
      id: rosterImports.id,
      fileName: rosterImports.fileName,
      format: rosterImports.format,
      status: rosterImports.status,
      createdAt: rosterImports.createdAt,
      finishedAt: rosterImports.finishedAt,
      counts: sql<PlanCounts | null>`${rosterImports.plan} -> 'counts'`,
    })
    .from(rosterImports)
    .where(eq(rosterImports.orgId, orgId))
    .orderBy(desc(rosterImports.createdAt))
    .limit(limit)
}

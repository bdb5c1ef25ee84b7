// Carrying out deletion requests: one transaction per subject (all or nothing — a crash
// leaves the subject whole and the next run erases it), a tombstone and a journal line in the
// same transaction, idempotent (a done or cancelled request is skipped; a request row locked
// by another worker is skipped too). The per-minute sweep takes over erasure rights requests,
// flags what passed its 24 hours, and drains everything due.
import { randomUUID } from 'node:crypto'
import { and, asc, eq, isNotNull, isNull, lt, lte, notExists, sql } from 'drizzle-orm'
import { deletionRequests, erasureTombstones, rightsRequests, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { recordAudit } from '../../compliance/audit.server'
import { eraseOrganizationRows, eraseSubject, mergeCounts, soleMembers, type ErasureCounts, type ErasureHooks } from './engine.server'
import { appendJournal } from './journal.server'
import { proofRecipients, sendProof } from './proof.server'
import { markForVacuum, touchedTables } from './vacuum.server'
import { closeOnErasure } from '../rights-requests/handling.server'
import { requestDeletion, type DeletionRequest } from './requests.server'
import { tombstoneHmacsOf, type TombstoneHmacs } from '../../models/roster-import/erased.server'

export type RunOutcome = { status: 'erased'; late: boolean; counts: ErasureCounts } | { status: 'skipped'; reason: 'not_found' | 'done' | 'cancelled' | 'not_yet' | 'busy' }

async function writeTombstone(
  tx: DbOrTx,
  r: Pick<DeletionRequest, 'id' | 'requestedByRole' | 'requestedAt' | 'dueAt'>,
  // hmacs: computed before the erasure (tombstoneHmacsOf), so a roster import does not re-create the child.
  t: { scope: DeletionRequest['scope']; subjectId: string | null; orgId: string | null; hmacs?: TombstoneHmacs },
  counts: ErasureCounts,
  // Chosen before the erasure, so the evidence rows that outlive the subject can name it.
  id: string = randomUUID(),
) {
  const completedAt = now()
  const late = completedAt > r.dueAt
  const [row] = await tx
    .insert(erasureTombstones)
    .values({
      id,
      requestId: r.id,
      scope: t.scope,
      subjectId: t.subjectId,
      orgId: t.orgId,
      requestedByRole: r.requestedByRole,
      requestedAt: r.requestedAt,
      dueAt: r.dueAt,
      completedAt,
      late,
      deleted: counts.deleted,
      anonymized: counts.anonymized,
      files: counts.files,
      ...t.hmacs,
    })
    .returning()
  // Outside the database, before the commit: a restore replays it (journal.server.ts).
  appendJournal({
    id: row!.id,
    requestId: r.id,
    scope: t.scope,
    role: r.requestedByRole,
    subjectId: t.subjectId,
    orgId: t.orgId,
    requestedAt: r.requestedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    completedAt: completedAt.toISOString(),
  })
  // The erased values stay in the files (dead tuples) and in pg_stats until VACUUM (ANALYZE).
  await markForVacuum(tx, touchedTables(counts))
  await recordAudit(tx, {
    action: t.scope === 'organization' ? 'erasure.organization_completed' : 'erasure.completed',
    outcome: late ? 'failure' : 'success',
    orgId: t.orgId,
    targetType: t.scope === 'organization' ? 'organization' : 'user',
    targetId: t.subjectId ?? t.orgId,
    details: { requestId: r.id, tombstoneId: row!.id, late, deleted: counts.deleted, anonymized: counts.anonymized, files: counts.files },
  })
  return { completedAt, late }
}

/** Locks the request (skipping one another worker holds) and checks it is due. */
async function lockDue(tx: DbOrTx, requestId: string): Promise<DeletionRequest | Exclude<RunOutcome, { status: 'erased' }>> {
  const [r] = await tx.select().from(deletionRequests).where(eq(deletionRequests.id, requestId)).for('update', { skipLocked: true })
  if (!r) {
    const [exists] = await tx.select({ id: deletionRequests.id }).from(deletionRequests).where(eq(deletionRequests.id, requestId))
    return { status: 'skipped', reason: exists ? 'busy' : 'not_found' }
  }
  if (r.completedAt) return { status: 'skipped', reason: 'done' }
  if (r.cancelledAt) return { status: 'skipped', reason: 'cancelled' }
  if (r.eraseAfter > now()) return { status: 'skipped', reason: 'not_yet' }
  return r
}

/** Carries out one deletion request. Safe to call twice, or from two workers at once. */
export async function runDeletion(db: Db, requestId: string, hooks: ErasureHooks = {}): Promise<RunOutcome> {
  const [head] = await db.select({ scope: deletionRequests.scope }).from(deletionRequests).where(eq(deletionRequests.id, requestId))
  if (head?.scope === 'organization') return runOrganizationDeletion(db, requestId, hooks)
  try {
    return await db.transaction(async (tx) => {
      const r = await lockDue(tx, requestId)
      if ('status' in r) return r
      const erasureId = randomUUID()
      const target = { subjectId: r.subjectId!, scope: r.scope as 'account' | 'membership', orgId: r.orgId }
      const hmacs = await tombstoneHmacsOf(tx, target)
      // Who gets the proof: read before the erasure (the person's own address goes with it).
      const proof = await proofRecipients(tx, r)
      const counts = await eraseSubject(tx, { ...target, erasureId }, hooks)
      const { completedAt, late } = await writeTombstone(tx, r, { scope: r.scope, subjectId: r.subjectId, orgId: r.orgId, hmacs }, counts, erasureId)
      if (r.rightsRequestId) await closeOnErasure(tx, { requestId: r.rightsRequestId, tombstoneId: erasureId, requesterHasProof: proof.some((p) => p.as === 'requester') })
      await sendProof(tx, proof, erasureId)
      await tx
        .update(deletionRequests)
        .set({ completedAt, attempts: r.attempts + 1, lastError: null })
        .where(eq(deletionRequests.id, r.id))
      return { status: 'erased' as const, late, counts }
    })
  } catch (e) {
    await db
      .update(deletionRequests)
      .set({ attempts: sql`${deletionRequests.attempts} + 1`, lastError: (e instanceof Error ? e.message : String(e)).slice(0, 300) })
      .where(eq(deletionRequests.id, requestId))
    throw e
  }
}

/**
 * An organization: each person who belongs to it only is erased in their own transaction
 * (with their own tombstone), then the organization's rows in a last one. A crash in between
 * leaves the request open; the next run finds fewer people and goes on.
 */
async function runOrganizationDeletion(db: Db, requestId: string, hooks: ErasureHooks): Promise<RunOutcome> {
  const total: ErasureCounts = { deleted: {}, anonymized: {}, files: 0 }
  const [r0] = await db.select().from(deletionRequests).where(eq(deletionRequests.id, requestId))
  if (!r0) return { status: 'skipped', reason: 'not_found' }
  if (r0.completedAt) return { status: 'skipped', reason: 'done' }
  if (r0.cancelledAt) return { status: 'skipped', reason: 'cancelled' }
  if (r0.eraseAfter > now()) return { status: 'skipped', reason: 'not_yet' }
  const orgId = r0.orgId!
  for (const personId of await soleMembers(db, orgId)) {
    await db.transaction(async (tx) => {
      const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, personId)).for('update', { skipLocked: true })
      if (!u) return // erased meanwhile, or being erased by another worker
      const erasureId = randomUUID()
      const hmacs = await tombstoneHmacsOf(tx, { subjectId: personId, scope: 'account', orgId })
      const counts = await eraseSubject(tx, { subjectId: personId, scope: 'account', orgId, erasureId }, hooks)
      await writeTombstone(tx, r0, { scope: 'account', subjectId: personId, orgId, hmacs }, counts, erasureId)
      mergeCounts(total, counts)
    })
  }
  return db.transaction(async (tx) => {
    const r = await lockDue(tx, requestId)
    if ('status' in r) return r
    const counts = await eraseOrganizationRows(tx, orgId, hooks)
    mergeCounts(total, counts)
    const { completedAt, late } = await writeTombstone(tx, r, { scope: 'organization', subjectId: null, orgId }, counts)
    await tx
      .update(deletionRequests)
      .set({ completedAt, attempts: r.attempts + 1, lastError: null })
      .where(eq(deletionRequests.id, r.id))
    return { status: 'erased' as const, late, counts: total }
  })
}

/** Erasure rights requests the DPO marked pending become deletion requests (24 h from that mark). */
export async function takeOverRightsRequests(db: Db) {
  const rows = await db
    .select({ id: rightsRequests.id, orgId: rightsRequests.orgId, subjectId: rightsRequests.subjectId, at: rightsRequests.erasurePendingAt })
    .from(rightsRequests)
    .where(
      and(
        isNotNull(rightsRequests.erasurePendingAt),
        isNotNull(rightsRequests.subjectId),
        notExists(
          db
            .select({ one: sql`1` })
            .from(deletionRequests)
            // A cancelled one does not count: the DPO engaged the erasure again.
            .where(and(eq(deletionRequests.rightsRequestId, rightsRequests.id), isNull(deletionRequests.cancelledAt))),
        ),
      ),
    )
  let n = 0
  for (const r of rows) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, r.subjectId!))
    if (!u) continue
    await requestDeletion(db, { subjectId: r.subjectId!, orgId: r.orgId, requestedBy: null, role: 'rights_request', reason: 'rights_request', rightsRequestId: r.id, requestedAt: r.at! })
    n++
  }
  return n
}

/** Requests past their 24 hours and not yet done: flagged once (the flag stays as evidence). */
export async function flagOverdue(db: Db) {
  const at = now()
  const rows = await db
    .update(deletionRequests)
    .set({ overdueAt: at })
    .where(and(isNull(deletionRequests.completedAt), isNull(deletionRequests.cancelledAt), isNull(deletionRequests.overdueAt), lt(deletionRequests.dueAt, at)))
    .returning()
  for (const r of rows) {
    await recordAudit(db, {
      action: 'erasure.overdue',
      outcome: 'failure',
      orgId: r.orgId,
      targetType: r.subjectId ? 'user' : 'organization',
      targetId: r.subjectId ?? r.orgId,
      details: { requestId: r.id, dueAt: r.dueAt.toISOString() },
    })
  }
  return rows.length
}

/** Everything due, oldest deadline first, within a time budget; returns how many were erased. */
export async function drainDue(db: Db, opts: { budgetMs?: number; batch?: number; log?: Pick<Console, 'warn'> } = {}) {
  const started = Date.now()
  const budget = opts.budgetMs ?? 45_000
  let erased = 0
  let late = 0
  const failed = new Set<string>()
  for (;;) {
    const due = await db
      .select({ id: deletionRequests.id })
      .from(deletionRequests)
      .where(and(isNull(deletionRequests.completedAt), isNull(deletionRequests.cancelledAt), lte(deletionRequests.eraseAfter, now())))
      .orderBy(asc(deletionRequests.dueAt))
      .limit(opts.batch ?? 200)
    const todo = due.filter((d) => !failed.has(d.id))
    if (!todo.length) break
    let progressed = false
    for (const { id } of todo) {
      try {
        const out = await runDeletion(db, id)
        if (out.status === 'erased') {
          erased++
          progressed = true
          if (out.late) late++
        } else if (out.reason === 'busy') failed.add(id)
      } catch (e) {
        failed.add(id)
        opts.log?.warn(`[erasure] request ${id} failed: ${e instanceof Error ? e.message : e}`)
      }
      if (Date.now() - started > budget) return { erased, late, failed: failed.size }
    }
    if (!progressed) break
  }
  return { erased, late, failed: failed.size }
}

export async function sweepErasures(db: Db, log: Pick<Console, 'warn'> = console) {
  const takenOver = await takeOverRightsRequests(db)
  const overdue = await flagOverdue(db)
  const drained = await drainDue(db, { log })
  return { takenOver, overdue, ...drained }
}

// Restriction of processing (GDPR Art. 18) as a real state: while a subject_restrictions row
// is active, the subject's data is kept but not processed —
//   - a restricted child cannot log in: every login path calls isRestricted() (the child-login
//     hook childLoginBlockReason() and the password login);
//   - lists, views and exports leave the subject out (notRestrictedSql()), the DPO's workspace
//     and the rights-request access package excepted.
import { and, eq, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import { subjectRestrictions } from '../../drizzle/schema'
import { now } from '../clock.server'
import type { DbOrTx } from '../db.server'
import { Conflict } from '../errors.server'

/** True when the subject's processing is restricted (in `orgId`, or in any organization). */
export async function isRestricted(db: DbOrTx, subjectId: string, orgId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: subjectRestrictions.id })
    .from(subjectRestrictions)
    .where(and(eq(subjectRestrictions.subjectId, subjectId), isNull(subjectRestrictions.liftedAt), orgId ? eq(subjectRestrictions.orgId, orgId) : undefined))
    .limit(1)
  return !!row
}

/** Restricted subjects of an organization (for filtering lists in memory when a query can't). */
export async function restrictedSubjectIds(db: DbOrTx, orgId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: subjectRestrictions.subjectId })
    .from(subjectRestrictions)
    .where(and(eq(subjectRestrictions.orgId, orgId), isNull(subjectRestrictions.liftedAt)))
  return new Set(rows.map((r) => r.id))
}

/** WHERE fragment for lists and exports: `column` (a subject id) is not restricted in `orgId`. */
export function notRestrictedSql(column: AnyColumn | SQL, orgId: string | AnyColumn): SQL {
  return sql`not exists (select 1 from ${subjectRestrictions} where ${subjectRestrictions.subjectId} = ${column} and ${subjectRestrictions.orgId} = ${orgId} and ${subjectRestrictions.liftedAt} is null)`
}

export async function restrictSubject(db: DbOrTx, a: { orgId: string; subjectId: string; requestId: string | null; actorId: string; reason: string | null }) {
  if (await isRestricted(db, a.subjectId, a.orgId)) throw new Conflict('dsr.restrict.already')
  const [row] = await db
    .insert(subjectRestrictions)
    .values({ orgId: a.orgId, subjectId: a.subjectId, requestId: a.requestId, restrictedAt: now(), restrictedBy: a.actorId, reason: a.reason })
    .returning()
  return row!
}

export async function liftRestriction(db: DbOrTx, a: { orgId: string; subjectId: string; actorId: string }) {
  const rows = await db
    .update(subjectRestrictions)
    .set({ liftedAt: now(), liftedBy: a.actorId })
    .where(and(eq(subjectRestrictions.orgId, a.orgId), eq(subjectRestrictions.subjectId, a.subjectId), isNull(subjectRestrictions.liftedAt)))
    .returning()
  if (!rows.length) throw new Conflict('dsr.restrict.not_restricted')
  return rows[0]!
}

export async function activeRestriction(db: DbOrTx, orgId: string, subjectId: string) {
  const [row] = await db
    .select()
    .from(subjectRestrictions)
    .where(and(eq(subjectRestrictions.orgId, orgId), eq(subjectRestrictions.subjectId, subjectId), isNull(subjectRestrictions.liftedAt)))
  return row ?? null
}

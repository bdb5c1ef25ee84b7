// Deletion requests (DESIGN §3.2; Annex B: "Deletion of an account results in deletion of the
// associated data within 24 hours"). Asked by the person, by a linked guardian with consent
// rights for a child, by the organization's admin for its members, or by an erasure rights
// request; the account is deactivated at once (sessions ended, login refused, hidden from
// lists) and erased by the erasure job as soon as the organization's grace period (none by
// default) has passed — at the latest 24 hours after the request.
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm'
import { deletionRequests, erasureTombstones, guardianLinks, memberships, orgPrivacySettings, organizations, users, type DeletionRequester, type DeletionScope } from '../../../drizzle/schema'
import { invalidateUserSessions } from '../../auth/session.server'
import { DAY, HOUR, now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { can, defineAbilityFor, type Principal } from '../../permissions/abilities'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { belongsElsewhere } from './engine.server'
import { enqueueErasure } from './jobs.server'
import { erasureCancelled } from '../rights-requests/handling.server'
import { isAdministratorRole } from '../../roles'
import { MAX_GRACE_HOURS } from './requests.schema'

export const DELETION_DEADLINE = DAY
/** A grace period must leave the erasure time to run before the 24-hour deadline. */
export { MAX_GRACE_HOURS }

export type DeletionRequest = typeof deletionRequests.$inferSelect

export async function graceHours(db: DbOrTx, orgId: string | null): Promise<number> {
  if (!orgId) return 0
  const [s] = await db.select({ h: orgPrivacySettings.deletionGraceHours }).from(orgPrivacySettings).where(eq(orgPrivacySettings.orgId, orgId))
  return Math.min(Math.max(s?.h ?? 0, 0), MAX_GRACE_HOURS)
}

/**
 * A person as the subject of a deletion asked from `orgId` (the policy's 'Account'): a member of
 * the organization (any status), with the guardians whose link gives consent rights for them
 * there (started, not suspended, not ended). null: not a member.
 */
export async function accountForDeletion(db: DbOrTx, a: { orgId: string; userId: string }) {
  const at = now()
  const [person] = await db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      kind: users.kind,
      deactivatedAt: users.deactivatedAt,
      orgKind: sql<string>`(select o.kind from ${organizations} o where o.id = ${a.orgId})`,
      consentGuardianIds: sql<string[]>`coalesce((select array_agg(gl.guardian_id::text) from ${guardianLinks} gl
        where gl.org_id = ${a.orgId} and gl.child_id = "users"."id" and gl.can_give_consent
          and gl.ended_at is null and gl.suspended_at is null and gl.started_at <= ${at.toISOString()}::timestamptz), '{}'::text[])`,
    })
    .from(users)
    .where(and(eq(users.id, a.userId), sql`exists (select 1 from ${memberships} m where m.org_id = ${a.orgId} and m.user_id = "users"."id")`))
  return person ? { ...person, orgId: a.orgId } : null
}

/**
 * The children whose account this guardian may delete — or, for a school's pupil, ask the
 * school to erase (the account page's list): the same link as the policy's 'Account' rules for
 * guardians (accountForDeletion) — an active link with consent rights — for children not
 * already being deleted.
 */
export async function deletableChildrenOf(db: DbOrTx, { guardianId }: { guardianId: string }) {
  return db
    .select({ orgId: guardianLinks.orgId, orgKind: organizations.kind, childId: guardianLinks.childId, firstName: users.firstName, lastName: users.lastName })
    .from(guardianLinks)
    .innerJoin(users, and(eq(users.id, guardianLinks.childId), isNull(users.deactivatedAt)))
    .innerJoin(organizations, eq(organizations.id, guardianLinks.orgId))
    .where(and(eq(guardianLinks.guardianId, guardianId), eq(guardianLinks.canGiveConsent, true), isNull(guardianLinks.endedAt), isNull(guardianLinks.suspendedAt), lte(guardianLinks.startedAt, now())))
}

export type RequestDeletionInput = {
  subjectId: string
  /** The organization acting (guardian, admin, rights request); null for a person's own request. */
  orgId: string | null
  requestedBy: string | null
  role: DeletionRequester
  reason: string
  rightsRequestId?: string | null
  /** When the instruction was given (an erasure rights request: when it was marked pending). */
  requestedAt?: Date
  origin?: RequestOrigin
}

/** Creates (or returns the open) deletion request and deactivates at once. */
export async function requestDeletion(db: Db, a: RequestDeletionInput): Promise<DeletionRequest> {
  return db.transaction(async (tx) => {
    const [subject] = await tx.select({ id: users.id, kind: users.kind }).from(users).where(eq(users.id, a.subjectId)).for('update')
    if (!subject) throw new NotFound('user')
    const scope: DeletionScope = a.role === 'self' || !a.orgId ? 'account' : (await belongsElsewhere(tx, a.subjectId, a.orgId)) ? 'membership' : 'account'
    const orgId = scope === 'account' && a.role === 'self' ? null : a.orgId
    const [open] = await tx
      .select()
      .from(deletionRequests)
      .where(
        and(
          eq(deletionRequests.subjectId, a.subjectId),
          isNull(deletionRequests.completedAt),
          isNull(deletionRequests.cancelledAt),
          or(eq(deletionRequests.scope, 'account'), orgId ? eq(deletionRequests.orgId, orgId) : sql`false`),
        ),
      )
      .limit(1)
    if (open) return open
    const requestedAt = a.requestedAt ?? now()
    const grace = await graceHours(tx, a.orgId)
    const [row] = await tx
      .insert(deletionRequests)
      .values({
        scope,
        subjectId: a.subjectId,
        orgId,
        requestedBy: a.requestedBy,
        requestedByRole: a.role,
        reason: a.reason,
        rightsRequestId: a.rightsRequestId ?? null,
        requestedAt,
        eraseAfter: new Date(requestedAt.getTime() + grace * HOUR),
        dueAt: new Date(requestedAt.getTime() + DELETION_DEADLINE),
      })
      .returning()
    await deactivate(tx, row!)
    await recordAudit(tx, {
      action: 'deletion.requested',
      orgId: a.orgId,
      actorId: a.requestedBy,
      targetType: 'user',
      targetId: a.subjectId,
      ...(a.origin ?? {}),
      details: { requestId: row!.id, scope, role: a.role, reason: a.reason, graceHours: grace },
    })
    return row!
  })
}

/** At once: an account's sessions end and login is refused; a membership stops counting. */
async function deactivate(tx: DbOrTx, r: DeletionRequest) {
  if (!r.subjectId) return
  if (r.scope === 'account') {
    await tx
      .update(users)
      .set({ deactivatedAt: r.requestedAt })
      .where(and(eq(users.id, r.subjectId), isNull(users.deactivatedAt)))
    await invalidateUserSessions(tx, r.subjectId)
  } else if (r.scope === 'membership' && r.orgId) {
    await tx
      .update(memberships)
      .set({ status: 'archived' })
      .where(and(eq(memberships.orgId, r.orgId), eq(memberships.userId, r.subjectId)))
  }
}

export type OrganizationDeletionInput = { orgId: string; requestedBy: string | null; role: 'admin' | 'operator' | 'contract_end'; reason: string; origin?: RequestOrigin }

/** The organization's deletion: early, on the admin's request, or at the end of the retention period. */
export async function requestOrganizationDeletion(db: Db, a: OrganizationDeletionInput): Promise<DeletionRequest> {
  return db.transaction(async (tx) => {
    const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, a.orgId)).for('update')
    if (!org) throw new NotFound('organization')
    const [open] = await tx
      .select()
      .from(deletionRequests)
      .where(and(eq(deletionRequests.scope, 'organization'), eq(deletionRequests.orgId, a.orgId), isNull(deletionRequests.completedAt), isNull(deletionRequests.cancelledAt)))
    if (open) return open
    const requestedAt = now()
    const grace = isAdministratorRole(a.role) ? await graceHours(tx, a.orgId) : 0
    const [row] = await tx
      .insert(deletionRequests)
      .values({
        scope: 'organization',
        subjectId: null,
        orgId: a.orgId,
        requestedBy: a.requestedBy,
        requestedByRole: a.role,
        reason: a.reason,
        requestedAt,
        eraseAfter: new Date(requestedAt.getTime() + grace * HOUR),
        dueAt: new Date(requestedAt.getTime() + DELETION_DEADLINE),
      })
      .returning()
    await recordAudit(tx, {
      action: 'deletion.org_requested',
      orgId: a.orgId,
      actorId: a.requestedBy,
      targetType: 'organization',
      targetId: a.orgId,
      ...(a.origin ?? {}),
      details: { requestId: row!.id, role: a.role, graceHours: grace },
    })
    return row!
  })
}

/** A person (their account, or what one organization holds about them) or a whole organization. */
export type ErasureInput = ({ of: 'person' } & RequestDeletionInput) | ({ of: 'organization' } & OrganizationDeletionInput)

/**
 * The one way a person asks for an erasure (themself, a guardian, an admin): the request is
 * recorded (and the account deactivated) in its own transaction, then, once committed, its
 * erasure job is enqueued. Never fails because the queue is down: the per-minute erasure sweep
 * erases every request that is due. Call it with the database handle, not inside a
 * transaction, so the job never runs before the request is visible.
 */
export async function requestErasure(db: Db, a: ErasureInput, log: Pick<Console, 'warn'> = console): Promise<DeletionRequest> {
  const r = a.of === 'organization' ? await requestOrganizationDeletion(db, a) : await requestDeletion(db, a)
  await enqueueErasure(r, log)
  return r
}

/**
 * Cancels within the grace period only (none by default: then a request cannot be undone).
 * The person, whoever asked, or an admin of the organization may cancel.
 */
export async function cancelDeletion(db: Db, a: { requestId: string; principal: Principal; origin?: RequestOrigin }) {
  return db.transaction(async (tx) => {
    const [r] = await tx.select().from(deletionRequests).where(eq(deletionRequests.id, a.requestId)).for('update')
    if (!r) throw new NotFound('deletion_request')
    const p = a.principal
    // Whoever asked, the person, or an admin of the organization (the policy's rule).
    if (!can(defineAbilityFor(p), 'cancel', 'DeletionRequest', r)) throw new NotFound('deletion_request')
    if (r.completedAt) throw new Conflict('retention.cancel.done')
    if (r.cancelledAt) return r
    if (now() >= r.eraseAfter) throw new Conflict('retention.cancel.no_grace')
    const [row] = await tx.update(deletionRequests).set({ cancelledAt: now(), cancelledBy: p.userId }).where(eq(deletionRequests.id, r.id)).returning()
    if (r.subjectId && r.scope === 'account') await tx.update(users).set({ deactivatedAt: null }).where(eq(users.id, r.subjectId))
    if (r.subjectId && r.scope === 'membership' && r.orgId)
      await tx
        .update(memberships)
        .set({ status: 'active' })
        .where(and(eq(memberships.orgId, r.orgId), eq(memberships.userId, r.subjectId)))
    if (r.rightsRequestId) await erasureCancelled(tx, { requestId: r.rightsRequestId, actorId: p.userId, deletionRequestId: r.id })
    await recordAudit(tx, { action: 'deletion.cancelled', orgId: r.orgId, actorId: p.userId, targetType: 'user', targetId: r.subjectId, ...(a.origin ?? {}), details: { requestId: r.id } })
    return row!
  })
}

/** Open requests an organization's admin sees (members being deleted, the organization itself). */
export async function openRequestsFor(db: DbOrTx, orgId: string) {
  return db
    .select()
    .from(deletionRequests)
    .where(and(eq(deletionRequests.orgId, orgId), isNull(deletionRequests.completedAt), isNull(deletionRequests.cancelledAt)))
    .orderBy(deletionRequests.dueAt)
}

export async function setGraceHours(db: DbOrTx, a: { orgId: string; hours: number; by: string }) {
  if (!Number.isInteger(a.hours) || a.hours < 0 || a.hours > MAX_GRACE_HOURS) throw new Invalid('retention.grace.invalid', { max: MAX_GRACE_HOURS })
  await db
    .insert(orgPrivacySettings)
    .values({ orgId: a.orgId, deletionGraceHours: a.hours, updatedAt: now(), updatedBy: a.by })
    .onConflictDoUpdate({ target: orgPrivacySettings.orgId, set: { deletionGraceHours: a.hours, updatedAt: now(), updatedBy: a.by } })
  await recordAudit(db, { action: 'privacy.grace_set', orgId: a.orgId, actorId: a.by, targetType: 'organization', targetId: a.orgId, details: { hours: a.hours } })
}

/** What a rights request shows of its erased subject: the tombstone's reference and date (ISO), nothing else. */
export async function erasureOfSubject(db: DbOrTx, tombstoneId: string) {
  const [tb] = await db.select({ id: erasureTombstones.id, completedAt: erasureTombstones.completedAt }).from(erasureTombstones).where(eq(erasureTombstones.id, tombstoneId))
  return tb ? { reference: tb.id, at: tb.completedAt.toISOString() } : { reference: tombstoneId, at: null }
}

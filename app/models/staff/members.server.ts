// The access review: every adult member of an organization with their roles, the classes
// they teach and their last login; "mark reviewed" records who reviewed and when (the DPA
// promises regular access reviews). Administrators may remove a staff membership.
import { and, count, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm'
import { accessReviews, classTeachers, memberships, organizations, STAFF_ROLES, users, type Role } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit } from '../../compliance/audit.server'
import type { AppAbility } from '../../permissions/abilities'
import { accessibleWhere } from '../../permissions/sql.server'
import type { Actor } from './invitations.server'
import { isAdministratorRole, isTeacherRole } from '../../roles'

export type MemberListItem = {
  userId: string
  firstName: string
  lastName: string
  email: string | null
  roles: Role[]
  lastLoginAt: Date | null
  deactivatedAt: Date | null
  since: Date
  classes: { id: string; name: string; role: 'lead' | 'co' }[]
}

/**
 * Adult members (staff and guardians) the person may read, one row per person with every
 * role — one query, filtered by the policy's conditions on 'read Member'.
 */
export async function listMembers(db: DbOrTx, ability: AppAbility, { orgId }: { orgId: string }): Promise<MemberListItem[]> {
  const allowed = accessibleWhere(ability, 'read', 'Member', { orgId: memberships.orgId, userId: memberships.userId, id: memberships.id })
  if (!allowed) return []
  const classesTaught = sql<MemberListItem['classes']>`coalesce((
    select json_agg(json_build_object('id', c.id, 'name', c.name, 'role', ct.role) order by c.name)
    from class_teachers ct join classes c on c.id = ct.class_id
    where ct.user_id = "users"."id" and ct.org_id = ${orgId}
  ), '[]'::json)`
  const rows = await db
    .select({
      userId: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      email: users.email,
      roles: sql<Role[]>`array_agg(${memberships.role} order by ${memberships.role})`,
      lastLoginAt: users.lastLoginAt,
      deactivatedAt: users.deactivatedAt,
      since: sql<Date>`min(${memberships.createdAt})`,
      classes: classesTaught,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.status, 'active'), ne(memberships.role, 'child'), isNull(users.deactivatedAt), allowed))
    .groupBy(users.id)
    .orderBy(users.lastName, users.firstName)
  // min() over a timestamp comes back as text through postgres.js.
  return rows.map((r) => ({ ...r, since: new Date(r.since) }))
}

/** How many active members of each role: for the review record and the org home. */
export async function memberCounts(db: DbOrTx, { orgId }: { orgId: string }) {
  const rows = await db
    .select({ role: memberships.role, n: count(memberships.id) })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.status, 'active')))
    .groupBy(memberships.role)
  const byRole = Object.fromEntries(rows.map((r) => [r.role, Number(r.n)])) as Partial<Record<Role, number>>
  const [{ staff }] = (await db
    .select({ staff: sql<number>`count(distinct ${memberships.userId})::int` })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.status, 'active'), inArray(memberships.role, [...STAFF_ROLES])))) as [{ staff: number }]
  return { byRole, staff }
}

export async function lastReviews(db: DbOrTx, { orgId, limit = 5 }: { orgId: string; limit?: number }) {
  return db
    .select({ id: accessReviews.id, reviewedAt: accessReviews.reviewedAt, membersCount: accessReviews.membersCount, firstName: users.firstName, lastName: users.lastName })
    .from(accessReviews)
    .leftJoin(users, eq(users.id, accessReviews.reviewedBy))
    .where(eq(accessReviews.orgId, orgId))
    .orderBy(desc(accessReviews.reviewedAt))
    .limit(limit)
}

/** Records that an administrator reviewed every access of the organization now. */
export async function markReviewed(db: Db, a: { orgId: string; by: Actor }) {
  return db.transaction(async (tx) => {
    const [{ n }] = (await tx
      .select({ n: sql<number>`count(distinct ${memberships.userId})::int` })
      .from(memberships)
      .where(and(eq(memberships.orgId, a.orgId), eq(memberships.status, 'active'), ne(memberships.role, 'child')))) as [{ n: number }]
    const at = now()
    const [review] = await tx.insert(accessReviews).values({ orgId: a.orgId, reviewedBy: a.by.actorId, reviewedAt: at, membersCount: n }).returning()
    await tx.update(organizations).set({ lastAccessReviewAt: at, lastAccessReviewBy: a.by.actorId }).where(eq(organizations.id, a.orgId))
    await recordAudit(tx, {
      action: 'access.review',
      orgId: a.orgId,
      actorId: a.by.actorId,
      targetType: 'organization',
      targetId: a.orgId,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      details: { membersCount: n, reviewId: review!.id },
    })
    return review!
  })
}

/**
 * Removes one staff role of a person (admin, teacher or DPO). Removing the teacher role also
 * removes them from the classes they taught. The last administrator cannot be removed: the
 * organization would be left without anyone to manage it.
 */
export async function removeStaffMembership(db: Db, a: { orgId: string; userId: string; role: Role; by: Actor }) {
  if (!(STAFF_ROLES as readonly string[]).includes(a.role)) throw new Invalid('staff.remove_not_staff')
  return db.transaction(async (tx) => {
    // Serialize removals in one organization so two admins cannot remove each other at once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`members:${a.orgId}`}))`)
    const [m] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, a.orgId), eq(memberships.userId, a.userId), eq(memberships.role, a.role), eq(memberships.status, 'active')))
    if (!m) throw new NotFound('membership')
    if (isAdministratorRole(a.role)) {
      const [{ n }] = (await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, a.orgId), eq(memberships.role, 'admin'), eq(memberships.status, 'active'), isNull(users.deactivatedAt)))) as [{ n: number }]
      if (n <= 1) throw new Conflict(a.userId === a.by.actorId ? 'staff.remove_self_last_admin' : 'staff.remove_last_admin')
    }
    await tx.delete(memberships).where(eq(memberships.id, m.id))
    let classesLeft = 0
    if (isTeacherRole(a.role)) {
      const gone = await tx
        .delete(classTeachers)
        .where(and(eq(classTeachers.orgId, a.orgId), eq(classTeachers.userId, a.userId)))
        .returning({ classId: classTeachers.classId })
      classesLeft = gone.length
    }
    await recordAudit(tx, {
      action: 'member.remove',
      orgId: a.orgId,
      actorId: a.by.actorId,
      targetType: 'user',
      targetId: a.userId,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      details: { role: a.role, classesLeft },
    })
    return { classesLeft }
  })
}

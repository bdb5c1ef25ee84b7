// Lists of children, filtered in SQL by the same conditions the policy holds for
// 'read Child' ({ orgId, classIds: { $in: taught } } for a teacher, { orgId } for an admin
// or the DPO, { id } for a guardian or the child): one query, never "load all and filter".
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm'
import { childProfiles, classes, enrolments, groups, memberships, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import type { AppAbility } from '../../permissions/abilities'
import { accessibleWhere } from '../../permissions/sql.server'

export type ChildListItem = {
  id: string
  firstName: string
  lastName: string
  classId: string
  className: string
  groupId: string | null
  groupName: string | null
  cardIssuedAt: Date | null
}

/** The field map that turns the policy's Child conditions into columns of this query. */
export const childFields = { orgId: enrolments.orgId, classIds: enrolments.classId, id: users.id }

export function childrenWhere(ability: AppAbility, action: 'read' | 'update' = 'read'): SQL | null {
  return accessibleWhere(ability, action, 'Child', childFields)
}

/**
 * The active children someone may read in one organization (optionally one class), with
 * their class, group and login-card status. One row per enrolment.
 */
export async function listChildren(db: DbOrTx, ability: AppAbility, { orgId, classId }: { orgId: string; classId?: string }): Promise<ChildListItem[]> {
  const allowed = childrenWhere(ability)
  if (!allowed) return []
  return db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      classId: classes.id,
      className: classes.name,
      groupId: groups.id,
      groupName: groups.name,
      cardIssuedAt: childProfiles.cardIssuedAt,
    })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.childId))
    .innerJoin(classes, and(eq(classes.id, enrolments.classId), eq(classes.orgId, enrolments.orgId)))
    .innerJoin(memberships, and(eq(memberships.userId, enrolments.childId), eq(memberships.orgId, enrolments.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .leftJoin(groups, eq(groups.id, enrolments.groupId))
    .leftJoin(childProfiles, eq(childProfiles.childId, enrolments.childId))
    .where(and(eq(enrolments.orgId, orgId), classId ? eq(enrolments.classId, classId) : undefined, isNull(users.deactivatedAt), allowed))
    .orderBy(asc(classes.name), asc(users.lastName), asc(users.firstName))
}

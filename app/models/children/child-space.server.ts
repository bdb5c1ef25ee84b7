// What a signed-in child sees about themselves on /me: their first name and their classes.
// Nothing about any other child is read here.
import { and, asc, eq, isNull } from 'drizzle-orm'
import { classes, enrolments, memberships, organizations, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'

export async function getChildSpace(db: DbOrTx, childId: string) {
  const [child] = await db
    .select({ id: users.id, firstName: users.firstName })
    .from(users)
    .where(and(eq(users.id, childId), eq(users.kind, 'child')))
  if (!child) throw new NotFound('child')
  const rows = await db
    .select({ orgId: organizations.id, orgName: organizations.name, classId: classes.id, className: classes.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(enrolments, and(eq(enrolments.childId, memberships.userId), eq(enrolments.orgId, memberships.orgId)))
    .innerJoin(classes, and(eq(classes.id, enrolments.classId), eq(classes.orgId, memberships.orgId), isNull(classes.archivedAt)))
    .where(and(eq(memberships.userId, childId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .orderBy(asc(organizations.name), asc(classes.name))
  return { id: child.id, firstName: child.firstName, classes: rows }
}

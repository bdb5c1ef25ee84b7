// What an organization already holds that a roster import compares against: children,
// classes, groups, enrolments, invitations and teachers, each loaded in ONE query (no per-row
// lookups), plus a digest of it all so the commit can tell whether the plan went stale.
import { createHash } from 'node:crypto'
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { childProfiles, classes, classTeachers, enrolments, groups, invitationChildren, invitations, memberships, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'

export type ExistingChild = {
  id: string
  firstName: string
  lastName: string
  birthDate: string | null
  status: 'active' | 'archived'
  externalId: string | null
}
export type ExistingClass = { id: string; name: string; schoolYear: string; level: string | null }
export type ExistingEnrolment = { childId: string; classId: string; groupId: string | null }
export type ExistingGroup = { id: string; classId: string; name: string }
export type ExistingInvitation = {
  id: string
  email: string
  role: string
  pending: boolean
  childIds: string[]
}
export type ExistingTeacher = { userId: string; email: string }

export type OrgState = {
  children: ExistingChild[]
  classes: ExistingClass[]
  enrolments: ExistingEnrolment[]
  groups: ExistingGroup[]
  invitations: ExistingInvitation[]
  teachers: ExistingTeacher[]
  classTeachers: { classId: string; userId: string }[]
  digest: string
}

export async function loadOrgState(db: DbOrTx, orgId: string): Promise<OrgState> {
  const [childRows, classRows, enrolmentRows, groupRows, invitationRows, teacherRows, classTeacherRows] = await Promise.all([
    db
      .select({
        id: users.id,
        firstName: users.firstName,
        lastName: users.lastName,
        birthDate: users.birthDate,
        status: memberships.status,
        externalId: childProfiles.externalId,
      })
      .from(memberships)
      .innerJoin(users, and(eq(users.id, memberships.userId), eq(users.kind, 'child'), isNull(users.deactivatedAt)))
      .leftJoin(childProfiles, and(eq(childProfiles.childId, users.id), eq(childProfiles.orgId, orgId)))
      .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'child')))
      .orderBy(asc(users.id)),
    db.select({ id: classes.id, name: classes.name, schoolYear: classes.schoolYear, level: classes.level }).from(classes).where(eq(classes.orgId, orgId)).orderBy(asc(classes.id)),
    db
      .select({ childId: enrolments.childId, classId: enrolments.classId, groupId: enrolments.groupId })
      .from(enrolments)
      .where(eq(enrolments.orgId, orgId))
      .orderBy(asc(enrolments.childId), asc(enrolments.classId)),
    db.select({ id: groups.id, classId: groups.classId, name: groups.name }).from(groups).where(eq(groups.orgId, orgId)).orderBy(asc(groups.id)),
    // Guardian and teacher invitations that still count (not revoked), with the children they cover.
    db
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        pending: sql<boolean>`${invitations.acceptedAt} is null`,
        childIds: sql<string[]>`coalesce((select array_agg(ic.child_id::text order by ic.child_id) from ${invitationChildren} ic where ic.invitation_id = ${invitations.id}), '{}')`,
      })
      .from(invitations)
      .where(and(eq(invitations.orgId, orgId), isNull(invitations.revokedAt), sql`${invitations.role} in ('guardian', 'teacher')`))
      .orderBy(asc(invitations.createdAt), asc(invitations.id)),
    db
      .select({ userId: users.id, email: sql<string>`lower(${users.email})` })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'teacher'), eq(memberships.status, 'active'), sql`${users.email} is not null`))
      .orderBy(asc(users.id)),
    db
      .select({ classId: classTeachers.classId, userId: classTeachers.userId })
      .from(classTeachers)
      .where(eq(classTeachers.orgId, orgId))
      .orderBy(asc(classTeachers.classId), asc(classTeachers.userId)),
  ])
  const state = {
    children: childRows.map((c) => ({ ...c, birthDate: c.birthDate ?? null, externalId: c.externalId ?? null })),
    classes: classRows,
    enrolments: enrolmentRows,
    groups: groupRows,
    invitations: invitationRows.map((i) => ({ ...i, email: i.email.toLowerCase(), childIds: i.childIds ?? [] })),
    teachers: teacherRows,
    classTeachers: classTeacherRows,
  }
  const digest = createHash('sha256').update(JSON.stringify(state)).digest('hex')
  return { ...state, digest }
}

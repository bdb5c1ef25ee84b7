// Classes of an organization: listing (filtered in SQL by the policy), creation, edition,
// deletion and the teachers of each class. Authorization is the route's job (`authorize`);
// these functions only ever touch rows of the organization they are given.
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { classes, classTeachers, enrolments, memberships, users } from '../../../drizzle/schema'
import { shortCode } from '../../crypto.server'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import type { AppAbility } from '../../permissions/abilities'
import { accessibleWhere } from '../../permissions/sql.server'

/** Who acts, for the audit log. */
export type Actor = { actorId: string } & RequestOrigin

export type ClassRow = typeof classes.$inferSelect
export type TeacherRole = 'lead' | 'co'

export type ClassListItem = {
  id: string
  name: string
  level: string | null
  schoolYear: string
  loginCode: string
  archivedAt: Date | null
  childCount: number
  teachers: { userId: string; firstName: string; lastName: string; role: TeacherRole }[]
}

/**
 * The classes a person may read in one organization, with their number of children and
 * their teachers — one query. The policy's conditions for 'read Class' become the WHERE
 * clause, so an administrator gets every class and a teacher only the classes they teach.
 */
export async function listClasses(db: DbOrTx, { ability, orgId }: { ability: AppAbility; orgId: string }): Promise<ClassListItem[]> {
  const allowed = accessibleWhere(ability, 'read', 'Class', { orgId: classes.orgId, id: classes.id })
  if (!allowed) return []
  // Correlated subqueries name their tables explicitly: drizzle leaves columns unqualified
  // in the select list of a single-table query.
  const childCount = sql<number>`(
    select count(distinct e.child_id)::int
    from enrolments e
    join memberships m on m.user_id = e.child_id and m.org_id = e.org_id and m.role = 'child' and m.status = 'active'
    join users u on u.id = e.child_id and u.deactivated_at is null
    where e.class_id = "classes"."id"
  )`
  const teachers = sql<ClassListItem['teachers']>`coalesce((
    select json_agg(json_build_object('userId', u.id, 'firstName', u.first_name, 'lastName', u.last_name, 'role', ct.role)
                    order by ct.role desc, u.last_name, u.first_name)
    from class_teachers ct join users u on u.id = ct.user_id
    where ct.class_id = "classes"."id"
  ), '[]'::json)`
  return db
    .select({
      id: classes.id,
      name: classes.name,
      level: classes.level,
      schoolYear: classes.schoolYear,
      loginCode: classes.loginCode,
      archivedAt: classes.archivedAt,
      childCount,
      teachers,
    })
    .from(classes)
    .where(and(eq(classes.orgId, orgId), allowed))
    .orderBy(sql`${classes.archivedAt} is not null`, asc(classes.schoolYear), asc(classes.name))
}

export async function getClass(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }): Promise<ClassRow> {
  if (!isUuid(classId)) throw new NotFound('class')
  const [row] = await db
    .select()
    .from(classes)
    .where(and(eq(classes.id, classId), eq(classes.orgId, orgId)))
  if (!row) throw new NotFound('class')
  return row
}

export type ClassInput = { name: string; level?: string | null; schoolYear: string }

export function currentSchoolYear(at = now()): string {
  // A French school year starts at the end of August.
  const y = at.getUTCFullYear()
  const start = at.getUTCMonth() >= 7 ? y : y - 1
  return `${start}-${start + 1}`
}

export async function createClass(db: DbOrTx, a: ClassInput & { orgId: string; leadTeacherId?: string | null; by: Actor }): Promise<ClassRow> {
  const values = clean(a)
  await ensureNameFree(db, a.orgId, values.name, values.schoolYear)
  if (a.leadTeacherId) await ensureTeacher(db, a.orgId, a.leadTeacherId)
  // The login code is unique across the platform; retry on the (rare) collision.
  for (let attempt = 0; ; attempt++) {
    const [row] = await db
      .insert(classes)
      .values({ orgId: a.orgId, ...values, loginCode: shortCode(6), createdAt: now() })
      .onConflictDoNothing()
      .returning()
    if (row) {
      if (a.leadTeacherId) await db.insert(classTeachers).values({ orgId: a.orgId, classId: row.id, userId: a.leadTeacherId, role: 'lead' })
      await recordAudit(db, { action: 'class.create', orgId: a.orgId, actorId: a.by.actorId, targetType: 'class', targetId: row.id, ip: a.by.ip, userAgent: a.by.userAgent })
      return row
    }
    if (attempt >= 5) throw new Conflict('classes.create_failed')
    await ensureNameFree(db, a.orgId, values.name, values.schoolYear)
  }
}

export async function updateClass(db: DbOrTx, a: ClassInput & { orgId: string; classId: string; by: Actor }): Promise<ClassRow> {
  const current = await getClass(db, a)
  const values = clean(a)
  if (values.name !== current.name || values.schoolYear !== current.schoolYear) await ensureNameFree(db, a.orgId, values.name, values.schoolYear, a.classId)
  const [row] = await db
    .update(classes)
    .set(values)
    .where(and(eq(classes.id, a.classId), eq(classes.orgId, a.orgId)))
    .returning()
  await recordAudit(db, { action: 'class.update', orgId: a.orgId, actorId: a.by.actorId, targetType: 'class', targetId: a.classId, ip: a.by.ip, userAgent: a.by.userAgent })
  return row!
}

/**
 * Deletes a class with its groups, teacher assignments and enrolments. The children stay
 * members of the school (they can be enrolled elsewhere or archived by the admin).
 */
export async function deleteClass(db: DbOrTx, a: { orgId: string; classId: string; by: Actor }) {
  await getClass(db, a)
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)::int` })
    .from(enrolments)
    .where(and(eq(enrolments.classId, a.classId), eq(enrolments.orgId, a.orgId)))) as [{ n: number }]
  await db.delete(classes).where(and(eq(classes.id, a.classId), eq(classes.orgId, a.orgId)))
  await recordAudit(db, {
    action: 'class.delete',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'class',
    targetId: a.classId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { enrolmentsRemoved: n },
  })
  return { enrolmentsRemoved: n }
}

// ---- Teachers of a class -------------------------------------------------------------

export async function classTeachersOf(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  return db
    .select({ userId: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email, role: classTeachers.role })
    .from(classTeachers)
    .innerJoin(users, eq(users.id, classTeachers.userId))
    .where(and(eq(classTeachers.classId, classId), eq(classTeachers.orgId, orgId)))
    .orderBy(sql`${classTeachers.role} = 'co'`, asc(users.lastName), asc(users.firstName))
}

/** Active teachers of the organization (to pick who teaches a class). */
export async function orgTeachers(db: DbOrTx, { orgId }: { orgId: string }) {
  return db
    .select({ userId: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'teacher'), eq(memberships.status, 'active'), isNull(users.deactivatedAt)))
    .orderBy(asc(users.lastName), asc(users.firstName))
}

/**
 * Adds a teacher to a class, or changes their role in it. Making someone lead turns the
 * previous lead into a co-teacher (a class has one lead): that is the "transfer".
 */
export async function assignTeacher(db: DbOrTx, a: { orgId: string; classId: string; userId: string; role: TeacherRole; by: Actor }) {
  await getClass(db, a)
  await ensureTeacher(db, a.orgId, a.userId)
  if (a.role === 'lead') {
    await db
      .update(classTeachers)
      .set({ role: 'co' })
      .where(and(eq(classTeachers.classId, a.classId), eq(classTeachers.orgId, a.orgId), eq(classTeachers.role, 'lead')))
  }
  await db
    .insert(classTeachers)
    .values({ orgId: a.orgId, classId: a.classId, userId: a.userId, role: a.role })
    .onConflictDoUpdate({ target: [classTeachers.classId, classTeachers.userId], set: { role: a.role } })
  await recordAudit(db, {
    action: a.role === 'lead' ? 'class.transfer' : 'class.teacher_assign',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'class',
    targetId: a.classId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { teacherId: a.userId, role: a.role },
  })
}

export async function removeTeacher(db: DbOrTx, a: { orgId: string; classId: string; userId: string; by: Actor }) {
  await getClass(db, a)
  const removed = await db
    .delete(classTeachers)
    .where(and(eq(classTeachers.classId, a.classId), eq(classTeachers.orgId, a.orgId), eq(classTeachers.userId, a.userId)))
    .returning()
  if (!removed.length) throw new NotFound('teacher')
  await recordAudit(db, {
    action: 'class.teacher_remove',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'class',
    targetId: a.classId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { teacherId: a.userId },
  })
}

// ---- helpers -------------------------------------------------------------------------

function clean(a: ClassInput) {
  const name = a.name.trim()
  const schoolYear = a.schoolYear.trim()
  const level = a.level?.trim() || null
  if (!name) throw new Invalid('classes.name_required')
  if (!/^\d{4}-\d{4}$/.test(schoolYear) || Number(schoolYear.slice(5)) !== Number(schoolYear.slice(0, 4)) + 1) throw new Invalid('classes.school_year_invalid')
  return { name, schoolYear, level }
}

async function ensureNameFree(db: DbOrTx, orgId: string, name: string, schoolYear: string, exceptId?: string) {
  const rows = await db
    .select({ id: classes.id })
    .from(classes)
    .where(and(eq(classes.orgId, orgId), eq(classes.name, name), eq(classes.schoolYear, schoolYear)))
  if (rows.some((r) => r.id !== exceptId)) throw new Conflict('classes.name_taken', { name, year: schoolYear })
}

async function ensureTeacher(db: DbOrTx, orgId: string, userId: string) {
  if (!isUuid(userId)) throw new Invalid('classes.teacher_unknown')
  const [m] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), eq(memberships.role, 'teacher'), eq(memberships.status, 'active')))
  if (!m) throw new Invalid('classes.teacher_unknown')
}

export function isUuid(v: string) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
}

// Groups inside a class (reading groups, half-classes…). Every lookup is scoped by the
// organization and the class.
import { and, asc, eq, sql } from 'drizzle-orm'
import { enrolments, groups } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit } from '../../compliance/audit.server'
import { isUuid, type Actor } from './classes.server'

export type GroupRow = typeof groups.$inferSelect

/** The groups of a class with how many children each holds. */
export async function listGroups(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  return db
    .select({
      id: groups.id,
      name: groups.name,
      childCount: sql<number>`(select count(*)::int from enrolments e where e.group_id = "groups"."id")`,
    })
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.classId, classId)))
    .orderBy(asc(groups.name))
}

export async function getGroup(db: DbOrTx, { orgId, classId, groupId }: { orgId: string; classId: string; groupId: string }) {
  if (!isUuid(groupId)) throw new NotFound('group')
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.id, groupId), eq(groups.orgId, orgId), eq(groups.classId, classId)))
  if (!row) throw new NotFound('group')
  return row
}

export async function createGroup(db: DbOrTx, a: { orgId: string; classId: string; name: string; by: Actor }) {
  const name = a.name.trim()
  if (!name) throw new Invalid('classes.group_name_required')
  const [row] = await db.insert(groups).values({ orgId: a.orgId, classId: a.classId, name }).onConflictDoNothing().returning()
  if (!row) throw new Conflict('classes.group_name_taken', { name })
  await recordAudit(db, {
    action: 'group.create',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'group',
    targetId: row.id,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { classId: a.classId },
  })
  return row
}

export async function renameGroup(db: DbOrTx, a: { orgId: string; classId: string; groupId: string; name: string; by: Actor }) {
  await getGroup(db, a)
  const name = a.name.trim()
  if (!name) throw new Invalid('classes.group_name_required')
  const [clash] = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.classId, a.classId), eq(groups.name, name)))
  if (clash && clash.id !== a.groupId) throw new Conflict('classes.group_name_taken', { name })
  await db
    .update(groups)
    .set({ name })
    .where(and(eq(groups.id, a.groupId), eq(groups.orgId, a.orgId)))
  await recordAudit(db, { action: 'group.update', orgId: a.orgId, actorId: a.by.actorId, targetType: 'group', targetId: a.groupId, ip: a.by.ip, userAgent: a.by.userAgent })
}

/** Children of a deleted group stay in the class, without a group. */
export async function deleteGroup(db: DbOrTx, a: { orgId: string; classId: string; groupId: string; by: Actor }) {
  await getGroup(db, a)
  await db.delete(groups).where(and(eq(groups.id, a.groupId), eq(groups.orgId, a.orgId)))
  await recordAudit(db, { action: 'group.delete', orgId: a.orgId, actorId: a.by.actorId, targetType: 'group', targetId: a.groupId, ip: a.by.ip, userAgent: a.by.userAgent })
}

/** Puts an enrolled child in a group of the same class (or in none with groupId null). */
export async function setChildGroup(db: DbOrTx, a: { orgId: string; classId: string; childId: string; groupId: string | null; by: Actor }) {
  if (a.groupId) await getGroup(db, { orgId: a.orgId, classId: a.classId, groupId: a.groupId })
  if (!isUuid(a.childId)) throw new NotFound('child')
  const updated = await db
    .update(enrolments)
    .set({ groupId: a.groupId })
    .where(and(eq(enrolments.orgId, a.orgId), eq(enrolments.classId, a.classId), eq(enrolments.childId, a.childId)))
    .returning({ id: enrolments.id })
  if (!updated.length) throw new NotFound('child')
  await recordAudit(db, {
    action: 'child.group_change',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'child',
    targetId: a.childId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { classId: a.classId, groupId: a.groupId },
  })
}

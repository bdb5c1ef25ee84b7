// Learning records: the results and observations of one or many children, in two queries
// whatever the number of children (the record page, the PDFs and the ZIP exports share it).
// Given `visibleTo`, only the items the policy lets that ability act on are read: the policy's
// 'LearningRecord' conditions become the SQL filter (a guardian: published items only).
import { and, asc, eq, gte, inArray, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import { activities, activitySkills, classes, enrolments, observations, organizations, results, skills, users } from '../../../drizzle/schema'
import type { Level } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { NotFound, notFound } from '../../errors.server'
import { can, type Action, type AppAbility } from '../../permissions/abilities'
import { authorize, type UserCtx } from '../../permissions/request.server'
import { accessibleWhere } from '../../permissions/sql.server'
import { getClass } from '../classes/classes.server'
import { isUuid } from './activities.server'
import { classWithGridVersion } from './grid-cache.server'

export type Period = { from?: string | null; to?: string | null }
/** Read only what this ability may do `action` (default 'read') on. */
export type VisibleTo = { ability: AppAbility; action?: Action }

/** The policy's LearningRecord fields → this item table's columns; null when nothing is allowed. */
function visibleWhere(v: VisibleTo | undefined, cols: { orgId: AnyColumn; childId: AnyColumn; classId: AnyColumn; publishedAt: AnyColumn }): SQL | undefined | null {
  if (!v) return undefined
  const at = now().toISOString()
  return accessibleWhere(v.ability, v.action ?? 'read', 'LearningRecord', {
    orgId: cols.orgId,
    childId: cols.childId,
    classIds: cols.classId,
    published: sql`(${cols.publishedAt} is not null and ${cols.publishedAt} <= ${at}::timestamptz)`,
  })
}

export type ResultItem = {
  type: 'result'
  id: string
  childId: string
  classId: string
  activityId: string
  title: string
  skillCodes: string[]
  score: number
  max: number
  durationMs: number | null
  completedAt: Date
  publishedAt: Date | null
}
export type ObservationItem = {
  type: 'observation'
  id: string
  childId: string
  classId: string
  activityId: string | null
  skillId: string
  skillCode: string
  skillLabel: string
  domain: string
  level: Level
  note: string | null
  observedOn: string
  publishedAt: Date | null
}
export type RecordItem = ResultItem | ObservationItem

const DAY = /^\d{4}-\d{2}-\d{2}$/
export function cleanPeriod(p: Period): { from: string | null; to: string | null } {
  const from = p.from && DAY.test(p.from) ? p.from : null
  const to = p.to && DAY.test(p.to) ? p.to : null
  return from && to && from > to ? { from: to, to: from } : { from, to }
}
/** The day after `to`, as an exclusive bound. */
export function dayAfter(d: string) {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/** Results of these children (optionally one class, one period), oldest first. */
export async function loadResults(db: DbOrTx, a: { orgId: string; childIds: string[]; classId?: string | null; period?: Period; visibleTo?: VisibleTo }): Promise<ResultItem[]> {
  if (!a.childIds.length) return []
  const visible = visibleWhere(a.visibleTo, { orgId: results.orgId, childId: results.childId, classId: activities.classId, publishedAt: results.publishedAt })
  if (visible === null) return []
  const { from, to } = cleanPeriod(a.period ?? {})
  const where: (SQL | undefined)[] = [eq(results.orgId, a.orgId), inArray(results.childId, a.childIds), visible]
  if (a.classId) where.push(eq(activities.classId, a.classId))
  if (from) where.push(gte(results.completedAt, new Date(`${from}T00:00:00Z`)))
  if (to) where.push(lt(results.completedAt, new Date(`${dayAfter(to)}T00:00:00Z`)))
  const rows = await db
    .select({
      id: results.id,
      childId: results.childId,
      classId: activities.classId,
      activityId: results.activityId,
      title: activities.title,
      skillCodes: sql<
        string[]
      >`coalesce((select array_agg(${skills.code} order by ${skills.code}) from ${activitySkills} join ${skills} on ${skills.id} = ${activitySkills.skillId} where ${activitySkills.activityId} = ${activities.id}), '{}')`,
      score: results.score,
      max: results.max,
      durationMs: results.durationMs,
      completedAt: results.completedAt,
      publishedAt: results.publishedAt,
    })
    .from(results)
    .innerJoin(activities, eq(activities.id, results.activityId))
    .where(and(...where))
    .orderBy(asc(results.childId), asc(results.completedAt))
  return rows.map((r) => ({ type: 'result' as const, ...r }))
}

export async function loadObservations(db: DbOrTx, a: { orgId: string; childIds: string[]; classId?: string | null; period?: Period; visibleTo?: VisibleTo }): Promise<ObservationItem[]> {
  if (!a.childIds.length) return []
  const visible = visibleWhere(a.visibleTo, { orgId: observations.orgId, childId: observations.childId, classId: observations.classId, publishedAt: observations.publishedAt })
  if (visible === null) return []
  const { from, to } = cleanPeriod(a.period ?? {})
  const where: (SQL | undefined)[] = [eq(observations.orgId, a.orgId), inArray(observations.childId, a.childIds), visible]
  if (a.classId) where.push(eq(observations.classId, a.classId))
  if (from) where.push(gte(observations.observedOn, from))
  if (to) where.push(lt(observations.observedOn, dayAfter(to)))
  const rows = await db
    .select({
      id: observations.id,
      childId: observations.childId,
      classId: observations.classId,
      activityId: observations.activityId,
      skillId: observations.skillId,
      skillCode: skills.code,
      skillLabel: skills.label,
      domain: skills.domain,
      level: observations.level,
      note: observations.note,
      observedOn: observations.observedOn,
      publishedAt: observations.publishedAt,
    })
    .from(observations)
    .innerJoin(skills, eq(skills.id, observations.skillId))
    .where(and(...where))
    .orderBy(asc(observations.childId), asc(observations.observedOn), asc(observations.createdAt))
  return rows.map((r) => ({ type: 'observation' as const, ...r }))
}

export type SkillProgress = {
  skillId: string
  code: string
  label: string
  domain: string
  latest: Level
  history: { on: string; level: Level }[]
  notes: { on: string; note: string }[]
}

/** Per skill: the levels over time (oldest first) and the latest one. */
export function skillProgress(obs: ObservationItem[]): SkillProgress[] {
  const by = new Map<string, SkillProgress>()
  for (const o of [...obs].sort((a, b) => a.observedOn.localeCompare(b.observedOn))) {
    let p = by.get(o.skillId)
    if (!p) {
      p = { skillId: o.skillId, code: o.skillCode, label: o.skillLabel, domain: o.domain, latest: o.level, history: [], notes: [] }
      by.set(o.skillId, p)
    }
    p.history.push({ on: o.observedOn, level: o.level })
    p.latest = o.level
    if (o.note) p.notes.push({ on: o.observedOn, note: o.note })
  }
  return [...by.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.code.localeCompare(b.code))
}

export type ChildHeader = { id: string; firstName: string; lastName: string; orgName: string; classes: { id: string; name: string; schoolYear: string }[] }

/** The child as seen from one organization: name, school, classes. 404 when not a child of it. */
export async function childHeader(db: DbOrTx, { orgId, childId }: { orgId: string; childId: string }): Promise<ChildHeader> {
  if (!isUuid(orgId) || !isUuid(childId)) throw new NotFound('child')
  const rows = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, orgName: organizations.name, classId: classes.id, className: classes.name, schoolYear: classes.schoolYear })
    .from(enrolments)
    .innerJoin(users, and(eq(users.id, enrolments.childId), eq(users.kind, 'child')))
    .innerJoin(organizations, eq(organizations.id, enrolments.orgId))
    .innerJoin(classes, and(eq(classes.id, enrolments.classId), eq(classes.orgId, enrolments.orgId)))
    .where(and(eq(enrolments.orgId, orgId), eq(enrolments.childId, childId)))
    .orderBy(asc(classes.name))
  const first = rows[0]
  if (!first) throw new NotFound('child')
  return { id: first.id, firstName: first.firstName, lastName: first.lastName, orgName: first.orgName, classes: rows.map((r) => ({ id: r.classId, name: r.className, schoolYear: r.schoolYear })) }
}

/**
 * A class's learning pages: the organization's staff area, then the class (404 when not of this
 * organization), then the policy's right on the class's learning records.
 */
export async function classForLearning(ctx: UserCtx, orgId: string, classId: string, action: Action = 'read') {
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const klass = await getClass(ctx.db, { orgId, classId }).catch(notFound)
  await authorize(ctx, action, 'LearningRecord', { orgId, classIds: [klass.id] })
  return klass
}

/** classForLearning, with the class grid's cache version read in the same statement (grid-cache.server.ts). */
export async function classForGrid(ctx: UserCtx, orgId: string, classId: string, action: Action = 'read') {
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const klass = await classWithGridVersion(ctx.db, { orgId, classId }).catch(notFound)
  await authorize(ctx, action, 'LearningRecord', { orgId, classIds: [klass.id] })
  return klass
}

/**
 * One child's record page: the policy's 'ChildRecord' (the child's teachers, the admins, a
 * guardian whose link lets them see it), checked once; `staff` when the person may publish
 * (the items themselves are filtered in SQL: loadResults/loadObservations with `visibleTo`).
 */
export async function childForRecord(ctx: UserCtx, orgId: string, childId: string) {
  const child = await childHeader(ctx.db, { orgId, childId }).catch(() => null)
  const classIds = child?.classes.map((c) => c.id) ?? []
  await authorize(ctx, 'read', 'ChildRecord', { orgId, childId, classIds })
  if (!child) throw new Response('Not found', { status: 404 })
  return { child, staff: can(ctx.ability, 'update', 'LearningRecord', { orgId, childId, classIds }) }
}

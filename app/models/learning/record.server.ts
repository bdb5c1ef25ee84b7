// Learning records: the results and observations of one or many children, in two queries
// whatever the number of children (the record page, the PDFs and the ZIP exports share it).
// Who may see which item is decided by the caller with the policy (see `visibleItems`).
import { subject } from '@casl/ability'
import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { activities, activitySkills, classes, enrolments, observations, organizations, results, skills, users } from '../../../drizzle/schema'
import type { Level } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import type { Action, AppAbility } from '../../permissions/abilities'
import { isUuid } from './activities.server'

export type Period = { from?: string | null; to?: string | null }

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
export async function loadResults(db: DbOrTx, a: { orgId: string; childIds: string[]; classId?: string | null; period?: Period }): Promise<ResultItem[]> {
  if (!a.childIds.length) return []
  const { from, to } = cleanPeriod(a.period ?? {})
  const where: (SQL | undefined)[] = [eq(results.orgId, a.orgId), inArray(results.childId, a.childIds)]
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

export async function loadObservations(db: DbOrTx, a: { orgId: string; childIds: string[]; classId?: string | null; period?: Period }): Promise<ObservationItem[]> {
  if (!a.childIds.length) return []
  const { from, to } = cleanPeriod(a.period ?? {})
  const where: (SQL | undefined)[] = [eq(observations.orgId, a.orgId), inArray(observations.childId, a.childIds)]
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

/**
 * Keeps the items `ability` may act on: each item is checked as the policy's LearningRecord
 * ({ orgId, childId, classIds: [its class], published }), so a guardian sees published items
 * only, and a teacher only the items of the classes they teach.
 */
export function visibleItems<T extends RecordItem>(ability: AppAbility, action: Action, orgId: string, items: T[], at = now()): T[] {
  return items.filter((i) =>
    ability.can(action, subject('LearningRecord', { orgId, childId: i.childId, classIds: [i.classId], published: !!i.publishedAt && i.publishedAt.getTime() <= at.getTime() }) as never),
  )
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

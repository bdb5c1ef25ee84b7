// The class grid: children × activities (or × skills). One SQL statement whatever the size of
// the class, returning the children, activities, results, observations and skills as JSON —
// results and observations packed as one short string per child — so 30 children × 60
// activities is one round trip and a few tens of kilobytes.
// The page caches what this returns per class (grid-cache.server.ts) until the class's grid
// version moves: a table newly read here needs its trigger (see the class_grid_versions
// migrations), or the page shows its changes late.
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { activities, activitySkills, enrolments, groups, memberships, observations, quizQuestions, results, skills, users } from '../../../drizzle/schema'
import type { ActivityKind, Level } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { isUuid } from './activities.server'
import { cleanPeriod, dayAfter, type Period } from './record.server'

export type GridFilters = { groupId?: string | null; skillId?: string | null } & Period
export type Pub = 0 | 1 | 2 // 0 not published, 1 published (visible now), 2 scheduled (release date ahead)

export type GridChild = { id: string; firstName: string; lastName: string; groupId: string | null; groupName: string | null }
export type GridActivity = {
  id: string
  kind: ActivityKind
  title: string
  groupId: string | null
  createdAt: string
  published: Pub
  releaseAt: string | null
  skills: { id: string; code: string }[]
  questions: number
}
export type GridSkill = { id: string; code: string; label: string; domain: string }
/** A quiz result: [score, max, pub]. */
export type ResultCell = [number, number, Pub]
/** The latest observation of one child on one skill of the activity: [level, observedOn, pub]. */
export type ObsCell = [Level, string, Pub]

export type ClassGrid = {
  children: GridChild[]
  groups: { id: string; name: string }[]
  activities: GridActivity[]
  /** Skills used in the class (by its activities or observations), whatever the filters. */
  skills: GridSkill[]
  /** results[childId][activityId] */
  results: Record<string, Record<string, ResultCell>>
  /** observations by activity: obsByActivity[childId][activityId] = latest per skill of that activity */
  obsByActivity: Record<string, Record<string, ObsCell[]>>
  /** latest level per skill (observations) and average quiz percentage per skill */
  bySkill: Record<string, Record<string, { level: Level | null; on: string | null; quizPct: number | null; pub: Pub }>>
  /** The next moment a scheduled publication in this grid comes due (its cells change then), or null. */
  nextChangeAt: string | null
}

/** The active children of a class (or of one of its groups), by name. */
export function classChildren(db: DbOrTx, a: { orgId: string; classId: string; groupId?: string | null }) {
  return db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, groupId: enrolments.groupId, groupName: groups.name })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.childId))
    .innerJoin(memberships, and(eq(memberships.userId, enrolments.childId), eq(memberships.orgId, enrolments.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .leftJoin(groups, eq(groups.id, enrolments.groupId))
    .where(and(eq(enrolments.orgId, a.orgId), eq(enrolments.classId, a.classId), isNull(users.deactivatedAt), a.groupId ? eq(enrolments.groupId, a.groupId) : undefined))
    .orderBy(asc(users.lastName), asc(users.firstName))
}

export async function classGrid(db: DbOrTx, a: { orgId: string; classId: string; filters?: GridFilters; view?: 'activities' | 'skills' | 'both' }): Promise<ClassGrid> {
  const bySkill = (a.view ?? 'both') !== 'activities'
  const f = a.filters ?? {}
  const groupId = isUuid(f.groupId) ? f.groupId : null
  const skillId = isUuid(f.skillId) ? f.skillId : null
  const { from, to } = cleanPeriod(f)
  const fromTs = from ? `${from}T00:00:00Z` : null
  const toTs = to ? `${dayAfter(to)}T00:00:00Z` : null

  // One statement: the activities in view, their results, the class's observations, the skills involved.
  const at = now()
  // Compact rows (no ids, publication state as 0/1/2): 1,800 of them per 30 × 60 grid.
  const pub = (col: SQL) => sql`case when ${col} is null then 0 when ${col} <= ${at.toISOString()}::timestamptz then 1 else 2 end`
  const [row] = await db.execute<{
    children: GridChild[]
    activities: GridActivityRow[]
    /** Per child: "activityIndex,score,max,pub;…" — 1,500 results in a few kilobytes. */
    results: Record<string, string>
    /** Per child, oldest first: "activityIndex (empty when none or out of view),skillIndex,level,observedOn,pub;…" */
    observations: Record<string, string>
    skills: GridSkill[]
    groups: { id: string; name: string }[]
    next_change: string | Date | null
  }>(sql`
    with kids as (${classChildren(db, { orgId: a.orgId, classId: a.classId, groupId })}),
    acts as (
      select a.id, a.kind, a.title, a.group_id, a.created_at, a.published_at, a.release_at
      from ${activities} a
      where a.org_id = ${a.orgId} and a.class_id = ${a.classId}
        ${groupId ? sql`and (a.group_id is null or a.group_id = ${groupId})` : sql``}
        ${skillId ? sql`and exists (select 1 from ${activitySkills} x where x.activity_id = a.id and x.skill_id = ${skillId})` : sql``}
        ${fromTs ? sql`and a.created_at >= ${fromTs}::timestamptz` : sql``}
        ${toTs ? sql`and a.created_at < ${toTs}::timestamptz` : sql``}
      order by a.created_at, a.id
      limit 200
    ),
    ix as (select id, (row_number() over (order by created_at, id) - 1)::int as i from acts),
    act_skills as (
      select x.activity_id as id, json_agg(json_build_object('id', s.id, 'code', s.code) order by s.code) as skills
      from ${activitySkills} x join ${skills} s on s.id = x.skill_id
      where x.activity_id in (select id from acts)
      group by x.activity_id
    ),
    act_questions as (
      select q.activity_id as id, count(*)::int as questions from ${quizQuestions} q where q.activity_id in (select id from acts) group by q.activity_id
    ),
    sk as (
      select s.id, s.code, s.label, s.domain, (row_number() over (order by s.cycle, s.position, s.code) - 1)::int as i
      from ${skills} s where s.org_id = ${a.orgId}
        and (s.id in (select o.skill_id from ${observations} o where o.org_id = ${a.orgId} and o.class_id = ${a.classId})
          or s.id in (select x.skill_id from ${activitySkills} x join ${activities} a on a.id = x.activity_id where a.org_id = ${a.orgId} and a.class_id = ${a.classId}))
    ),
    res as (
      select r.child_id, ix.i, r.score, r.max, ${pub(sql`r.published_at`)} as pub, r.published_at
      from ${results} r join ix on ix.id = r.activity_id
      where r.org_id = ${a.orgId}
    ),
    obs as (
      select o.child_id, ix.i as ai, sk.i as si, o.level, o.observed_on, ${pub(sql`o.published_at`)} as pub, o.created_at, o.published_at
      from ${observations} o join sk on sk.id = o.skill_id left join ix on ix.id = o.activity_id
      where o.org_id = ${a.orgId} and o.class_id = ${a.classId}
        ${skillId ? sql`and o.skill_id = ${skillId}` : sql``}
        ${from ? sql`and o.observed_on >= ${from}::date` : sql``}
        ${to ? sql`and o.observed_on <= ${to}::date` : sql``}
    )
    select
      (select coalesce(json_agg(json_build_object('id', id, 'firstName', first_name, 'lastName', last_name, 'groupId', group_id, 'groupName', name)
         order by last_name, first_name), '[]'::json) from kids) as children,
      (select coalesce(json_agg(json_build_object('id', acts.id, 'kind', kind, 'title', title, 'group_id', group_id, 'created_at', created_at,
         'published_at', published_at, 'release_at', release_at, 'skills', coalesce(act_skills.skills, '[]'::json), 'questions', coalesce(act_questions.questions, 0))
         order by created_at, acts.id), '[]'::json)
         from acts left join act_skills on act_skills.id = acts.id left join act_questions on act_questions.id = acts.id) as activities,
      (select coalesce(json_object_agg(child_id, cells), '{}'::json)
         from (select child_id, string_agg(i || ',' || score || ',' || max || ',' || pub, ';') as cells from res group by child_id) per_child) as results,
      (select coalesce(json_object_agg(child_id, cells), '{}'::json)
         from (select child_id, string_agg(coalesce(ai::text, '') || ',' || si || ',' || level || ',' || observed_on || ',' || pub, ';' order by observed_on, created_at) as cells
               from obs group by child_id) per_child) as observations,
      (select coalesce(json_agg(json_build_object('id', id, 'code', code, 'label', label, 'domain', domain) order by i), '[]'::json) from sk) as skills,
      (select coalesce(json_agg(json_build_object('id', g.id, 'name', g.name) order by g.name), '[]'::json)
         from ${groups} g where g.org_id = ${a.orgId} and g.class_id = ${a.classId}) as groups,
      least((select min(published_at) from res where pub = 2), (select min(published_at) from obs where pub = 2),
        (select min(release_at) from acts where published_at is not null and release_at > ${at.toISOString()}::timestamptz)) as next_change
  `)

  const children = row.children
  const acts: GridActivity[] = row.activities.map((x) => ({
    id: x.id,
    kind: x.kind,
    title: x.title,
    groupId: x.group_id,
    createdAt: x.created_at,
    published: x.published_at ? (x.release_at && Date.parse(x.release_at) > at.getTime() ? 2 : 1) : 0,
    releaseAt: x.release_at,
    skills: x.skills,
    questions: x.questions,
  }))
  const nextChangeAt = row.next_change === null ? null : new Date(row.next_change).toISOString()
  const grid: ClassGrid = { children, groups: row.groups, activities: acts, skills: row.skills, results: {}, obsByActivity: {}, bySkill: {}, nextChangeAt }

  const quizSkills = new Map(acts.map((x) => [x.id, x.skills.map((s) => s.id)]))
  const pct = new Map<string, { sum: number; n: number }>() // child:skill
  for (const [childId, cells] of Object.entries(row.results)) {
    const mine = (grid.results[childId] = {} as Record<string, ResultCell>)
    for (const cell of cells.split(';')) {
      const [i, score, max, pub] = cell.split(',').map(Number) as [number, number, number, Pub]
      const activityId = acts[i]!.id
      mine[activityId] = [score, max, pub]
      if (bySkill)
        for (const s of quizSkills.get(activityId) ?? []) {
          const k = `${childId}:${s}`
          const p = pct.get(k) ?? { sum: 0, n: 0 }
          p.sum += max ? score / max : 0
          p.n++
          pct.set(k, p)
        }
    }
  }
  const slot = new Map<string, number>() // child:activity:skill → index in its cell list
  for (const [childId, cells] of Object.entries(row.observations)) {
    for (const cell of cells.split(';')) {
      const [ai, si, level, on, p] = cell.split(',') as [string, string, Level, string, string]
      const skill = row.skills[Number(si)]!.id
      const pub = Number(p) as Pub
      if (ai !== '') {
        const activityId = acts[Number(ai)]!.id
        const list = ((grid.obsByActivity[childId] ??= {})[activityId] ??= [])
        // Latest per skill: observations come oldest first, so a later one replaces.
        const key = `${childId}:${activityId}:${skill}`
        const i = slot.get(key)
        if (i === undefined) slot.set(key, list.push([level, on, pub]) - 1)
        else list[i] = [level, on, pub]
      }
      if (bySkill) (grid.bySkill[childId] ??= {})[skill] = { level, on, quizPct: null, pub }
    }
  }
  for (const [k, p] of pct) {
    const [childId, skill] = k.split(':') as [string, string]
    const cell = ((grid.bySkill[childId] ??= {})[skill] ??= { level: null, on: null, quizPct: null, pub: 0 })
    cell.quizPct = Math.round((100 * p.sum) / p.n)
  }
  return grid
}

type GridActivityRow = {
  id: string
  kind: ActivityKind
  title: string
  group_id: string | null
  created_at: string
  published_at: string | null
  release_at: string | null
  skills: { id: string; code: string }[]
  questions: number
}

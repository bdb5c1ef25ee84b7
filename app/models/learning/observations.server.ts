// Observations: a teacher records, per child and skill, a level and a dated note —
// for one child or for several at once (same skill, same day).
import { and, eq, inArray } from 'drizzle-orm'
import { activities, activitySkills, enrolments, observations, skills } from '../../../drizzle/schema'
import { LEVELS, type Level } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Invalid, NotFound } from '../../errors.server'
import { recordAudit } from '../../compliance/audit.server'
import { isUuid } from './activities.server'
import type { By } from './skills.server'

export type ObservationEntry = { childId: string; level: Level; note?: string | null }
export const isLevel = (v: unknown): v is Level => typeof v === 'string' && (LEVELS as readonly string[]).includes(v)
const DAY = /^\d{4}-\d{2}-\d{2}$/

export async function recordObservations(db: DbOrTx, a: { orgId: string; classId: string; activityId?: string | null; skillId: string; observedOn: string; entries: ObservationEntry[]; by: By }) {
  if (!DAY.test(a.observedOn) || Number.isNaN(Date.parse(`${a.observedOn}T00:00:00Z`))) throw new Invalid('learning.observe.date_invalid')
  if (a.observedOn > new Date(now().getTime() + 86_400_000).toISOString().slice(0, 10)) throw new Invalid('learning.observe.date_future')
  const entries = a.entries.filter((e) => isUuid(e.childId) && isLevel(e.level))
  if (!entries.length) throw new Invalid('learning.observe.nobody')
  for (const e of entries) if ((e.note ?? '').length > 2000) throw new Invalid('learning.observe.note_too_long')
  if (!isUuid(a.skillId)) throw new NotFound('skill')
  const [skill] = await db
    .select({ id: skills.id, archivedAt: skills.archivedAt })
    .from(skills)
    .where(and(eq(skills.id, a.skillId), eq(skills.orgId, a.orgId)))
  if (!skill || skill.archivedAt) throw new NotFound('skill')
  let publishedAt: Date | null = null
  let publishedBy: string | null = null
  if (a.activityId) {
    const [act] = await db
      .select()
      .from(activities)
      .where(and(eq(activities.id, a.activityId), eq(activities.orgId, a.orgId), eq(activities.classId, a.classId), eq(activities.kind, 'observation')))
    if (!act) throw new NotFound('activity')
    const [linked] = await db
      .select()
      .from(activitySkills)
      .where(and(eq(activitySkills.activityId, act.id), eq(activitySkills.skillId, a.skillId)))
    if (!linked) throw new Invalid('learning.observe.skill_not_in_activity')
    if (act.publishedAt) {
      publishedAt = act.releaseAt ?? act.publishedAt
      publishedBy = act.publishedBy
    }
  }
  const childIds = [...new Set(entries.map((e) => e.childId))]
  const enrolled = await db
    .select({ childId: enrolments.childId })
    .from(enrolments)
    .where(and(eq(enrolments.orgId, a.orgId), eq(enrolments.classId, a.classId), inArray(enrolments.childId, childIds)))
  if (enrolled.length !== childIds.length) throw new NotFound('child')
  const at = now()
  const rows = await db
    .insert(observations)
    .values(
      entries.map((e) => ({
        orgId: a.orgId,
        classId: a.classId,
        activityId: a.activityId || null,
        childId: e.childId,
        skillId: a.skillId,
        level: e.level,
        note: e.note?.trim() || null,
        observedOn: a.observedOn,
        teacherId: a.by.actorId,
        createdAt: at,
        publishedAt,
        publishedBy,
      })),
    )
    .returning({ id: observations.id, childId: observations.childId })
  for (const r of rows) {
    await recordAudit(db, {
      action: 'observation.create',
      orgId: a.orgId,
      actorId: a.by.actorId,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      targetType: 'observation',
      targetId: r.id,
      details: { childId: r.childId, skillId: a.skillId },
    })
  }
  return rows
}

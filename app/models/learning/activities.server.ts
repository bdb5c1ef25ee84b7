// Activities of a class (or of one of its groups): quizzes the children answer and
// observation sessions the teacher records. Every lookup is scoped by organization and class.
import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { activities, activitySkills, groups, observations, quizQuestions, results, skills } from '../../../drizzle/schema'
import type { ActivityKind } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Invalid, NotFound } from '../../errors.server'
import { recordAudit } from '../../compliance/audit.server'
import { MAX_CHOICES, MAX_PICTURE_BYTES, MAX_QUESTIONS } from './constants'
import type { By } from './skills.server'

export type Activity = typeof activities.$inferSelect
export type QuestionInput = { text: string; choices: string[]; correctIndex: number; pictureUrl?: string | null }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v)

export { MAX_CHOICES, MAX_PICTURE_BYTES, MAX_QUESTIONS }
const PICTURE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/

export function validPicture(url: string | null | undefined): string | null {
  if (!url) return null
  const u = url.trim()
  if (!u) return null
  if (u.startsWith('/') && !u.startsWith('//') && !/[\s"'<>]/.test(u) && u.length < 500) return u
  if (PICTURE.test(u) && u.length <= Math.ceil((MAX_PICTURE_BYTES * 4) / 3) + 40) return u
  throw new Invalid('learning.quiz.picture_invalid')
}

export function validateQuestions(qs: QuestionInput[]): QuestionInput[] {
  const out: QuestionInput[] = []
  for (const q of qs) {
    const text = q.text.trim()
    const choices = q.choices.map((c) => c.trim())
    // A question left completely empty in the form is simply skipped.
    if (!text && choices.every((c) => !c)) continue
    const n = out.length + 1
    if (!text || text.length > 500) throw new Invalid('learning.quiz.question_text_required', { n })
    const kept = choices.filter(Boolean)
    if (kept.length < 2) throw new Invalid('learning.quiz.two_choices', { n })
    if (kept.length > MAX_CHOICES || kept.some((c) => c.length > 200)) throw new Invalid('learning.quiz.choices_too_many', { n, max: MAX_CHOICES })
    // The correct index refers to the typed positions; re-map it once blanks are dropped.
    const correct = choices[q.correctIndex]
    if (q.correctIndex < 0 || !correct) throw new Invalid('learning.quiz.correct_required', { n })
    const correctIndex = choices.slice(0, q.correctIndex).filter(Boolean).length
    out.push({ text, choices: kept, correctIndex, pictureUrl: validPicture(q.pictureUrl) })
  }
  if (!out.length) throw new Invalid('learning.quiz.no_question')
  if (out.length > MAX_QUESTIONS) throw new Invalid('learning.quiz.too_many', { max: MAX_QUESTIONS })
  return out
}

export async function createActivity(
  db: DbOrTx,
  a: { orgId: string; classId: string; groupId?: string | null; kind: ActivityKind; title: string; instructions?: string | null; skillIds: string[]; questions?: QuestionInput[]; by: By },
): Promise<Activity> {
  const title = a.title.trim()
  if (!title || title.length > 120) throw new Invalid('learning.activity.title_required')
  const questions = a.kind === 'quiz' ? validateQuestions(a.questions ?? []) : []
  if (a.kind === 'observation' && !a.skillIds.length) throw new Invalid('learning.activity.skill_required')
  if (a.groupId) {
    const [g] = await db
      .select({ id: groups.id })
      .from(groups)
      .where(and(eq(groups.id, a.groupId), eq(groups.classId, a.classId), eq(groups.orgId, a.orgId)))
    if (!g) throw new NotFound('group')
  }
  const skillIds = [...new Set(a.skillIds.filter(isUuid))]
  if (skillIds.length) {
    const found = await db
      .select({ id: skills.id, archivedAt: skills.archivedAt })
      .from(skills)
      .where(and(eq(skills.orgId, a.orgId), inArray(skills.id, skillIds)))
    if (found.length !== skillIds.length || found.some((s) => s.archivedAt)) throw new NotFound('skill')
  }
  const [row] = await db
    .insert(activities)
    .values({ orgId: a.orgId, classId: a.classId, groupId: a.groupId || null, kind: a.kind, title, instructions: a.instructions?.trim() || null, createdBy: a.by.actorId, createdAt: now() })
    .returning()
  if (skillIds.length) await db.insert(activitySkills).values(skillIds.map((skillId) => ({ orgId: a.orgId, activityId: row!.id, skillId })))
  if (questions.length) {
    await db
      .insert(quizQuestions)
      .values(questions.map((q, i) => ({ orgId: a.orgId, activityId: row!.id, position: i + 1, text: q.text, choices: q.choices, correctIndex: q.correctIndex, pictureUrl: q.pictureUrl ?? null })))
  }
  await recordAudit(db, {
    action: 'activity.create',
    orgId: a.orgId,
    actorId: a.by.actorId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    targetType: 'activity',
    targetId: row!.id,
    details: { kind: a.kind, classId: a.classId, questions: questions.length },
  })
  return row!
}

export async function getActivity(db: DbOrTx, { orgId, activityId, classId }: { orgId: string; activityId: string; classId?: string }): Promise<Activity> {
  if (!isUuid(activityId) || !isUuid(orgId)) throw new NotFound('activity')
  const [row] = await db
    .select()
    .from(activities)
    .where(and(eq(activities.id, activityId), eq(activities.orgId, orgId), classId ? eq(activities.classId, classId) : undefined))
  if (!row) throw new NotFound('activity')
  return row
}

export async function activitySkillList(db: DbOrTx, { orgId, activityId }: { orgId: string; activityId: string }) {
  return db
    .select({ id: skills.id, code: skills.code, label: skills.label, domain: skills.domain })
    .from(activitySkills)
    .innerJoin(skills, eq(skills.id, activitySkills.skillId))
    .where(and(eq(activitySkills.activityId, activityId), eq(activitySkills.orgId, orgId)))
    .orderBy(asc(skills.cycle), asc(skills.position), asc(skills.code))
}

/** The questions WITH their correct answers: for staff and for scoring, never sent to a child. */
export async function quizQuestionsOf(db: DbOrTx, { orgId, activityId }: { orgId: string; activityId: string }) {
  return db
    .select()
    .from(quizQuestions)
    .where(and(eq(quizQuestions.activityId, activityId), eq(quizQuestions.orgId, orgId)))
    .orderBy(asc(quizQuestions.position))
}

export async function listClassActivities(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  return db
    .select({
      id: activities.id,
      kind: activities.kind,
      title: activities.title,
      groupId: activities.groupId,
      createdAt: activities.createdAt,
      publishedAt: activities.publishedAt,
      releaseAt: activities.releaseAt,
    })
    .from(activities)
    .where(and(eq(activities.orgId, orgId), eq(activities.classId, classId)))
    .orderBy(desc(activities.createdAt))
}

export async function deleteActivity(db: DbOrTx, a: { orgId: string; classId: string; activityId: string; by: By }) {
  const rows = await db
    .delete(activities)
    .where(and(eq(activities.orgId, a.orgId), eq(activities.classId, a.classId), eq(activities.id, a.activityId)))
    .returning({ id: activities.id })
  if (!rows.length) throw new NotFound('activity')
  await recordAudit(db, { action: 'activity.delete', orgId: a.orgId, actorId: a.by.actorId, ip: a.by.ip, userAgent: a.by.userAgent, targetType: 'activity', targetId: a.activityId })
}

/** The results and observations recorded for one activity (staff view). */
export async function activityItems(db: DbOrTx, { orgId, activityId }: { orgId: string; activityId: string }) {
  const [res, obs] = await Promise.all([
    db
      .select()
      .from(results)
      .where(and(eq(results.orgId, orgId), eq(results.activityId, activityId))),
    db
      .select({
        id: observations.id,
        childId: observations.childId,
        level: observations.level,
        note: observations.note,
        observedOn: observations.observedOn,
        publishedAt: observations.publishedAt,
        code: skills.code,
      })
      .from(observations)
      .innerJoin(skills, eq(skills.id, observations.skillId))
      .where(and(eq(observations.orgId, orgId), eq(observations.activityId, activityId)))
      .orderBy(asc(observations.observedOn), asc(observations.createdAt)),
  ])
  return { results: res, observations: obs }
}

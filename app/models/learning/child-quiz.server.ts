// The child's side: the quizzes assigned to them (their classes, and their group when the
// quiz is for a group), one quiz without its answers, and the submission, scored here.
import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm'
import { activities, classes, enrolments, memberships, quizQuestions, results } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { isUuid } from './activities.server'

/** Activities assigned to the child: class-wide ones, and their own group's. */
function assignedTo(childId: string) {
  return and(
    eq(enrolments.childId, childId),
    eq(activities.classId, enrolments.classId),
    eq(activities.orgId, enrolments.orgId),
    or(isNull(activities.groupId), eq(activities.groupId, enrolments.groupId)),
  )
}

const activeChild = (childId: string) => and(eq(memberships.userId, childId), eq(memberships.orgId, enrolments.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active'))

export type ChildActivity = { id: string; orgId: string; title: string; className: string; questions: number; done: boolean; score: number | null; max: number | null }

export async function childActivities(db: DbOrTx, childId: string): Promise<ChildActivity[]> {
  const rows = await db
    .select({
      id: activities.id,
      orgId: activities.orgId,
      title: activities.title,
      className: classes.name,
      questions: sql<number>`(select count(*)::int from ${quizQuestions} where ${quizQuestions.activityId} = ${activities.id})`,
      score: results.score,
      max: results.max,
    })
    .from(enrolments)
    .innerJoin(memberships, activeChild(childId))
    .innerJoin(classes, and(eq(classes.id, enrolments.classId), isNull(classes.archivedAt)))
    .innerJoin(activities, assignedTo(childId))
    .leftJoin(results, and(eq(results.activityId, activities.id), eq(results.childId, childId)))
    .where(and(eq(enrolments.childId, childId), eq(activities.kind, 'quiz')))
    .orderBy(sql`${results.id} is not null`, desc(activities.createdAt))
  return rows.map((r) => ({ ...r, done: r.score !== null }))
}

async function assignedQuiz(db: DbOrTx, childId: string, activityId: string) {
  if (!isUuid(activityId) || !isUuid(childId)) throw new NotFound('activity')
  const [row] = await db
    .select({ activity: activities, className: classes.name })
    .from(enrolments)
    .innerJoin(memberships, activeChild(childId))
    .innerJoin(classes, and(eq(classes.id, enrolments.classId), isNull(classes.archivedAt)))
    .innerJoin(activities, assignedTo(childId))
    .where(and(eq(enrolments.childId, childId), eq(activities.id, activityId), eq(activities.kind, 'quiz')))
    .limit(1)
  if (!row) throw new NotFound('activity')
  return row
}

export type ChildQuiz = {
  id: string
  orgId: string
  title: string
  instructions: string | null
  className: string
  questions: { position: number; text: string; choices: string[]; pictureUrl: string | null }[]
  result: null | { score: number; max: number; review: { chosen: number | null; correct: number }[] }
}

/** The quiz as the child sees it: questions and choices, never the answers (until they are done). */
export async function quizForChild(db: DbOrTx, { childId, activityId }: { childId: string; activityId: string }): Promise<ChildQuiz> {
  const { activity, className } = await assignedQuiz(db, childId, activityId)
  const qs = await db
    .select()
    .from(quizQuestions)
    .where(and(eq(quizQuestions.activityId, activity.id), eq(quizQuestions.orgId, activity.orgId)))
    .orderBy(asc(quizQuestions.position))
  const [done] = await db
    .select()
    .from(results)
    .where(and(eq(results.activityId, activity.id), eq(results.childId, childId), eq(results.orgId, activity.orgId)))
  return {
    id: activity.id,
    orgId: activity.orgId,
    title: activity.title,
    instructions: activity.instructions,
    className,
    questions: qs.map((q) => ({ position: q.position, text: q.text, choices: q.choices, pictureUrl: q.pictureUrl })),
    result: done ? { score: done.score, max: done.max, review: qs.map((q, i) => ({ chosen: done.answers[i] ?? null, correct: q.correctIndex })) } : null,
  }
}

/**
 * Scores and saves the child's answers. The first submission counts (a double tap or a
 * resubmitted form does not replace it). If the teacher already published the activity to
 * families, the result is published with it (at the same release date).
 */
export async function submitQuiz(
  db: DbOrTx,
  a: { childId: string; activityId: string; answers: (number | null)[]; durationMs?: number | null; origin: RequestOrigin },
): Promise<{ score: number; max: number; alreadyDone: boolean }> {
  const { activity } = await assignedQuiz(db, a.childId, a.activityId)
  const qs = await db
    .select()
    .from(quizQuestions)
    .where(and(eq(quizQuestions.activityId, activity.id), eq(quizQuestions.orgId, activity.orgId)))
    .orderBy(asc(quizQuestions.position))
  const answers = qs.map((q, i) => {
    const v = a.answers[i]
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < q.choices.length ? v : null
  })
  const score = qs.reduce((n, q, i) => n + (answers[i] === q.correctIndex ? 1 : 0), 0)
  const duration = typeof a.durationMs === 'number' && Number.isFinite(a.durationMs) ? Math.max(0, Math.min(Math.round(a.durationMs), 24 * 3600 * 1000)) : null
  const publishedAt = activity.publishedAt ? (activity.releaseAt ?? activity.publishedAt) : null
  const inserted = await db
    .insert(results)
    .values({
      orgId: activity.orgId,
      childId: a.childId,
      activityId: activity.id,
      score,
      max: qs.length,
      answers,
      durationMs: duration,
      completedAt: now(),
      publishedAt,
      publishedBy: publishedAt ? activity.publishedBy : null,
    })
    .onConflictDoNothing()
    .returning({ id: results.id })
  if (!inserted.length) {
    const [done] = await db
      .select({ score: results.score, max: results.max })
      .from(results)
      .where(and(eq(results.activityId, activity.id), eq(results.childId, a.childId)))
    return { score: done!.score, max: done!.max, alreadyDone: true }
  }
  await recordAudit(db, {
    action: 'result.create',
    orgId: activity.orgId,
    actorId: a.childId,
    ip: a.origin.ip,
    userAgent: a.origin.userAgent,
    targetType: 'result',
    targetId: inserted[0]!.id,
    details: { activityId: activity.id },
  })
  return { score, max: qs.length, alreadyDone: false }
}

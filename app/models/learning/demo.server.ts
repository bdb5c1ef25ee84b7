// The demo's learning record for CM1 A: the starter skills, a published quiz with results
// for most children, an observation activity and a few observations (not yet published), so a
// newcomer opening the class grid sees it filled in.
import { and, asc, eq } from 'drizzle-orm'
import { enrolments, skills, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { createActivity } from './activities.server'
import { submitQuiz } from './child-quiz.server'
import { recordObservations } from './observations.server'
import { setActivitiesPublished } from './publish.server'
import { ensureStarterSkills } from './skills.server'

export async function seedLearningDemo(db: DbOrTx, a: { orgId: string; classId: string; teacherId: string }) {
  await ensureStarterSkills(db, a.orgId)
  const by = { actorId: a.teacherId, ip: null, userAgent: null }
  const skill = async (code: string) =>
    (
      await db
        .select({ id: skills.id })
        .from(skills)
        .where(and(eq(skills.orgId, a.orgId), eq(skills.code, code)))
    )[0]!.id
  const fractions = await skill('C3-MA-NOMB-1')
  const reading = await skill('C3-FR-LIRE-1')
  const kids = await db
    .select({ id: users.id, firstName: users.firstName })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.childId))
    .where(and(eq(enrolments.orgId, a.orgId), eq(enrolments.classId, a.classId)))
    .orderBy(asc(users.lastName))
  const quiz = await createActivity(db, {
    orgId: a.orgId,
    classId: a.classId,
    kind: 'quiz',
    title: 'Les fractions simples',
    instructions: 'Lis chaque question, puis touche la bonne réponse.',
    skillIds: [fractions],
    questions: [
      { text: 'Combien font un demi plus un demi ?', choices: ['Un', 'Deux', 'Un quart'], correctIndex: 0 },
      { text: 'Quelle fraction est la plus grande ?', choices: ['Un tiers', 'Un demi', 'Un quart'], correctIndex: 1 },
      { text: 'Dans une pizza coupée en 4, je mange 1 part. Quelle fraction ai-je mangée ?', choices: ['Un demi', 'Un tiers', 'Un quart'], correctIndex: 2 },
    ],
    by,
  })
  const answers = [
    [0, 1, 2],
    [0, 0, 2],
    [1, 1, 2],
    [0, 1, 0],
  ]
  // Everyone but the first child (Zoé, who the tour lets take a quiz herself) has done it.
  for (const [i, kid] of kids.filter((k) => k.firstName !== 'Zoé').entries()) {
    await submitQuiz(db, { childId: kid.id, activityId: quiz.id, answers: answers[i % answers.length]!, durationMs: 90_000 + i * 20_000, origin: { ip: null, userAgent: null } })
  }
  await setActivitiesPublished(db, { orgId: a.orgId, classId: a.classId, activityIds: [quiz.id], publish: true, by })
  const reading1 = await createActivity(db, { orgId: a.orgId, classId: a.classId, kind: 'observation', title: 'Lecture à voix haute', skillIds: [reading], by })
  const day = now().toISOString().slice(0, 10)
  const levels = ['acquired', 'in_progress', 'in_progress', 'not_yet', 'acquired'] as const
  await recordObservations(db, {
    orgId: a.orgId,
    classId: a.classId,
    activityId: reading1.id,
    skillId: reading,
    observedOn: day,
    entries: kids.filter((k) => k.firstName !== 'Zoé').map((k, i) => ({ childId: k.id, level: levels[i % levels.length]!, note: i === 0 ? 'Lit avec aisance, bonne intonation.' : null })),
    by,
  })
}

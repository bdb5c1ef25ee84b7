// What an activity's page shows; its parts take their data type from here, so no part imports
// the route module (the layout check counts a type import as a loop).
import { type LoaderFunctionArgs } from '@remix-run/node'
import { activityItems, activitySkillList, getActivity, quizQuestionsOf } from '~/models/learning/activities.server'
import { classChildren } from '~/models/learning/grid.server'
import { classForLearning } from '~/models/learning/record.server'
import { notFound } from '~/errors.server'
import { can } from '~/permissions/abilities'
import { isPublished } from '~/models/learning/publish.server'
import { requireAbility } from '~/permissions/request.server'

export async function load(request: Request, params: LoaderFunctionArgs['params'], action: 'read' | 'update') {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, action)
  const activity = await getActivity(ctx.db, { orgId, classId: klass.id, activityId: params.activityId ?? '' }).catch(notFound)
  return { ctx, orgId, klass, activity }
}

export async function activityPage({ request, params }: LoaderFunctionArgs) {
  const { ctx, orgId, klass, activity } = await load(request, params, 'read')
  const [skillList, questions, children, items] = await Promise.all([
    activitySkillList(ctx.db, { orgId, activityId: activity.id }),
    activity.kind === 'quiz' ? quizQuestionsOf(ctx.db, { orgId, activityId: activity.id }) : [],
    classChildren(ctx.db, { orgId, classId: klass.id, groupId: activity.groupId }),
    activityItems(ctx.db, { orgId, activityId: activity.id }),
  ])
  const { results: res, observations: obs } = items
  const pub = (d: Date | null): 'published' | 'scheduled' | 'not_published' => (d ? (isPublished(d) ? 'published' : 'scheduled') : 'not_published')
  return {
    orgId,
    klass: { id: klass.id, name: klass.name },
    activity: {
      id: activity.id,
      kind: activity.kind,
      title: activity.title,
      instructions: activity.instructions,
      group: activity.groupId ? (children[0]?.groupName ?? '') : null,
      createdAt: activity.createdAt.toISOString(),
      state: (activity.publishedAt ? (activity.releaseAt && !isPublished(activity.releaseAt) ? 'scheduled' : 'published') : 'not_published') as 'published' | 'scheduled' | 'not_published',
      releaseAt: activity.releaseAt?.toISOString() ?? null,
    },
    skills: skillList,
    questions: questions.map((q) => ({ position: q.position, text: q.text, choices: q.choices, correctIndex: q.correctIndex, pictureUrl: q.pictureUrl })),
    rows: children.map((c) => {
      const r = res.find((x) => x.childId === c.id)
      return {
        childId: c.id,
        name: `${c.firstName} ${c.lastName}`,
        result: r ? { id: r.id, score: r.score, max: r.max, durationMs: r.durationMs, completedAt: r.completedAt.toISOString(), state: pub(r.publishedAt) } : null,
        observations: obs.filter((o) => o.childId === c.id).map((o) => ({ ...o, publishedAt: undefined, state: pub(o.publishedAt) })),
      }
    }),
    may: { update: can(ctx.ability, 'update', 'LearningRecord', { orgId, classIds: [klass.id] }), create: can(ctx.ability, 'create', 'LearningRecord', { orgId, classIds: [klass.id] }) },
  }
}

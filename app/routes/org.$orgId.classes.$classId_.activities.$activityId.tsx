import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { t as translate, formatDate, useT, type MessageKey } from '~/i18n'
import { activityItems, activitySkillList, deleteActivity, getActivity, quizQuestionsOf } from '~/models/learning/activities.server'
import { classChildren } from '~/models/learning/grid.server'
import { classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { notFound } from '~/errors.server'
import { can } from '~/permissions/abilities'
import { isPublished, parseReleaseDate, setActivitiesPublished, setItemsPublished } from '~/models/learning/publish.server'
import { learningCss } from '~/ui/learning/styles'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Carnet — ${data.activity.title}` : 'Carnet' }]
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher'],
    params: { orgId: 'orgA', classId: 'classA1', activityId: 'token' },
    note: '404 for an unknown activity once the class is allowed',
  } satisfies RouteAccess,
}

async function load(request: Request, params: LoaderFunctionArgs['params'], action: 'read' | 'update') {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, action)
  const activity = await getActivity(ctx.db, { orgId, classId: klass.id, activityId: params.activityId ?? '' }).catch(notFound)
  return { ctx, orgId, klass, activity }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
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

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, orgId, klass, activity } = await load(request, params, 'update')
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const by = actorOf(ctx)
  const msg = (key: MessageKey, vars?: Record<string, string | number>) => successReply(translate(ctx.lang, key, vars))
  try {
    const releaseAt = parseReleaseDate(String(form.get('releaseOn') ?? '') || null)
    switch (intent) {
      case 'publish-items':
      case 'unpublish-items': {
        const r = await setItemsPublished(ctx.db, {
          orgId,
          classId: klass.id,
          resultIds: form.getAll('resultId').map(String),
          observationIds: form.getAll('observationId').map(String),
          publish: intent === 'publish-items',
          releaseAt,
          by,
        })
        return msg(intent === 'publish-items' ? 'learning.publish.done' : 'learning.publish.undone', { results: r.results, observations: r.observations })
      }
      case 'publish-activity':
      case 'unpublish-activity': {
        const r = await ctx.db.transaction((tx) => setActivitiesPublished(tx, { orgId, classId: klass.id, activityIds: [activity.id], publish: intent === 'publish-activity', releaseAt, by }))
        return msg(intent === 'publish-activity' ? 'learning.publish.done' : 'learning.publish.undone', { results: r.results, observations: r.observations })
      }
      case 'delete': {
        if (form.get('confirm') !== 'on') return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'learning.activity.delete_confirm_required') } satisfies FormReply
        await ctx.db.transaction((tx) => deleteActivity(tx, { orgId, classId: klass.id, activityId: activity.id, by }))
        return redirect(`/org/${orgId}/classes/${klass.id}/learning`)
      }
      default:
        return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'learning.unknown_action') } satisfies FormReply
    }
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

const badge = (state: string) => (state === 'published' ? 'badge ok' : state === 'scheduled' ? 'badge warn' : 'badge')

export default function ActivityPage() {
  const t = useT()
  const { orgId, klass, activity, skills: skillList, questions, rows, may } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${orgId}/classes/${klass.id}`
  const done = rows.filter((r) => r.result).length
  return (
    <div className="container">
      <style dangerouslySetInnerHTML={{ __html: learningCss }} />
      <p>
        <Link to={`${base}/learning`}>← {t('learning.grid.title', { name: klass.name })}</Link>
      </p>
      <h1>{activity.title}</h1>
      <p className="muted">
        {t(`learning.kind.${activity.kind}`)} · {activity.group ? t('learning.activity.group', { name: activity.group }) : t('learning.activity.whole_class', { name: klass.name })} ·{' '}
        {formatDate(t.lang, activity.createdAt)} · <span className={badge(activity.state)}>{t(`learning.pub.${activity.state}`)}</span>
        {activity.releaseAt && activity.state === 'scheduled' && <> {t('learning.pub.release_on', { date: formatDate(t.lang, activity.releaseAt) })}</>}
      </p>
      {params.get('created') && <Notice kind="success">{t('learning.activity.created')}</Notice>}
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {activity.instructions && <p>{activity.instructions}</p>}
      {skillList.length > 0 && (
        <p>
          {t('learning.activity.skills')} :{' '}
          {skillList.map((s) => (
            <span key={s.id} className="badge" title={s.label} style={{ marginRight: '.3rem' }}>
              {s.code} — {s.label}
            </span>
          ))}
        </p>
      )}
      {activity.kind === 'observation' && may.create && (
        <p>
          <Link className="button" to={`${base}/learning/observe?activity=${activity.id}`}>
            {t('learning.activity.observe_now')}
          </Link>
        </p>
      )}

      <section aria-labelledby="children-title">
        <h2 id="children-title">{activity.kind === 'quiz' ? t('learning.activity.results_title', { done, total: rows.length }) : t('learning.activity.observations_title')}</h2>
        <Form method="post">
          <div className="table-wrap">
            <table className="lg-rows">
              <thead>
                <tr>
                  {may.update && (
                    <th scope="col">
                      <span className="sr-only">{t('learning.publish.select')}</span>
                    </th>
                  )}
                  <th scope="col">{t('learning.grid.child')}</th>
                  {activity.kind === 'quiz' ? (
                    <>
                      <th scope="col">{t('learning.pdf.col_score')}</th>
                      <th scope="col">{t('learning.activity.duration')}</th>
                      <th scope="col">{t('learning.activity.completed_at')}</th>
                    </>
                  ) : (
                    <th scope="col">{t('learning.activity.levels')}</th>
                  )}
                  <th scope="col">{t('learning.activity.families')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.childId}>
                    {may.update && (
                      <td>
                        {r.result && <input className="lg-check" type="checkbox" name="resultId" value={r.result.id} aria-label={t('learning.publish.select_of', { name: r.name })} />}
                        {r.observations.map((o) => (
                          <input key={o.id} className="lg-check" type="checkbox" name="observationId" value={o.id} aria-label={t('learning.publish.select_obs_of', { name: r.name, skill: o.code })} />
                        ))}
                      </td>
                    )}
                    <th scope="row">
                      <Link to={`/org/${orgId}/children/${r.childId}/record`}>{r.name}</Link>
                    </th>
                    {activity.kind === 'quiz' ? (
                      <>
                        <td>
                          {r.result ? (
                            <strong>
                              {r.result.score}/{r.result.max}
                            </strong>
                          ) : (
                            <span className="muted">{t('learning.activity.not_done')}</span>
                          )}
                        </td>
                        <td>{r.result?.durationMs != null ? t('learning.activity.minutes', { n: Math.max(1, Math.round(r.result.durationMs / 60000)) }) : '—'}</td>
                        <td>{r.result ? formatDate(t.lang, r.result.completedAt, true) : '—'}</td>
                        <td>{r.result ? <span className={badge(r.result.state)}>{t(`learning.pub.${r.result.state}`)}</span> : '—'}</td>
                      </>
                    ) : (
                      <>
                        <td>
                          {r.observations.length
                            ? r.observations.map((o) => (
                                <div key={o.id}>
                                  <span className={`lvl ${o.level}`}>{t(`learning.level.${o.level}`)}</span> {o.code} · {formatDate(t.lang, `${o.observedOn}T12:00:00Z`)}
                                  {o.note && <span className="muted"> — {o.note}</span>}
                                </div>
                              ))
                            : '—'}
                        </td>
                        <td>
                          {r.observations.map((o) => (
                            <div key={o.id}>
                              <span className={badge(o.state)}>{t(`learning.pub.${o.state}`)}</span>
                            </div>
                          ))}
                        </td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {may.update && (
            <div className="card">
              <h2>{t('learning.publish.title')}</h2>
              <p className="hint">{t('learning.publish.activity_hint')}</p>
              <div className="field" style={{ maxWidth: '16rem' }}>
                <label htmlFor="f-release">{t('learning.publish.release_on')}</label>
                <input id="f-release" type="date" name="releaseOn" />
              </div>
              <div className="actions">
                <button type="submit" name="intent" value="publish-activity" disabled={busy}>
                  {t('learning.publish.activity_submit')}
                </button>
                <button type="submit" name="intent" value="publish-items" className="secondary" disabled={busy}>
                  {t('learning.publish.selected_submit')}
                </button>
                <button type="submit" name="intent" value="unpublish-items" className="secondary" disabled={busy}>
                  {t('learning.publish.selected_unpublish')}
                </button>
                <button type="submit" name="intent" value="unpublish-activity" className="secondary" disabled={busy}>
                  {t('learning.publish.activity_unpublish')}
                </button>
              </div>
            </div>
          )}
        </Form>
      </section>

      {questions.length > 0 && (
        <section className="card" aria-labelledby="questions-title">
          <h2 id="questions-title">{t('learning.quiz.questions')}</h2>
          <ol>
            {questions.map((q) => (
              <li key={q.position} style={{ marginBottom: '.8rem' }}>
                <strong>{q.text}</strong>
                {q.pictureUrl && <img src={q.pictureUrl} alt="" style={{ display: 'block', maxWidth: '12rem', margin: '.3rem 0' }} />}
                <ul>
                  {q.choices.map((c, j) => (
                    <li key={j}>
                      {c} {j === q.correctIndex && <span className="badge ok">{t('learning.quiz.correct_answer')}</span>}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </section>
      )}

      {may.update && (
        <section className="card" aria-labelledby="delete-title">
          <h2 id="delete-title">{t('learning.activity.delete_title')}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="delete" />
            <div className="checkbox">
              <input id="f-confirm" type="checkbox" name="confirm" />
              <label htmlFor="f-confirm">{t('learning.activity.delete_confirm', { done })}</label>
            </div>
            <button type="submit" className="danger" disabled={busy}>
              {t('learning.activity.delete_submit')}
            </button>
          </Form>
        </section>
      )}
    </div>
  )
}

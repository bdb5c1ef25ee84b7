import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { formatDate, t as translate, useT } from '~/i18n'
import { actorOf } from '~/ui/http.server'
import { isPublished, parseReleaseDate, setItemsPublished } from '~/models/learning/publish.server'
import { childForRecord, cleanPeriod, loadObservations, loadResults, skillProgress } from '~/models/learning/record.server'
import { learningCss } from '~/ui/learning/styles'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Carnet — ${data.child.firstName} ${data.child.lastName}` : 'Carnet' }]
// One child's learning record: the teachers of the child's classes and the school's admins
// (everything, with publishing), and the child's guardians (published items only). Children
// see their own record in their space (/me); the DPO exports, never browses.
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher'],
    params: { orgId: 'orgA', childId: 'childA1' },
    note: 'also a guardian actively linked to the child (published items only); the matrix guardian has no link',
  } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  const { child, staff: isStaffView } = await childForRecord(ctx, orgId, params.childId ?? '')
  const q = new URL(request.url).searchParams
  const period = cleanPeriod({ from: q.get('from'), to: q.get('to') })
  // Only what the policy lets this person read, filtered in SQL (a guardian: published items).
  const visibleTo = { ability: ctx.ability }
  const [results, observations] = await Promise.all([
    loadResults(ctx.db, { orgId, childIds: [child.id], period, visibleTo }),
    loadObservations(ctx.db, { orgId, childIds: [child.id], period, visibleTo }),
  ])
  const canPublish = (classId: string) => can(ctx.ability, 'update', 'LearningRecord', { orgId, childId: child.id, classIds: [classId] })
  const state = (d: Date | null): 'published' | 'scheduled' | 'not_published' => (d ? (isPublished(d) ? 'published' : 'scheduled') : 'not_published')
  return {
    orgId,
    child: { id: child.id, firstName: child.firstName, lastName: child.lastName, orgName: child.orgName, classes: child.classes },
    period,
    staff: isStaffView,
    progress: skillProgress(observations),
    results: results.map((r) => ({
      id: r.id,
      title: r.title,
      skills: r.skillCodes,
      score: r.score,
      max: r.max,
      completedAt: r.completedAt.toISOString(),
      state: state(r.publishedAt),
      publish: canPublish(r.classId),
    })),
    observations: [...observations]
      .reverse()
      .map((o) => ({ id: o.id, skill: `${o.skillLabel} (${o.skillCode})`, level: o.level, note: o.note, on: o.observedOn, state: state(o.publishedAt), publish: canPublish(o.classId) })),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  const { child } = await childForRecord(ctx, orgId, params.childId ?? '')
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  try {
    if (intent !== 'publish' && intent !== 'unpublish') return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'learning.unknown_action') } satisfies FormReply
    const releaseAt = parseReleaseDate(String(form.get('releaseOn') ?? '') || null)
    const resultIds = new Set(form.getAll('resultId').map(String))
    const observationIds = new Set(form.getAll('observationId').map(String))
    const [rs, os] = await Promise.all([loadResults(ctx.db, { orgId, childIds: [child.id] }), loadObservations(ctx.db, { orgId, childIds: [child.id] })])
    // Publishing is per class: each chosen item is checked against the policy for its own class.
    const classIds = new Set([...rs.filter((r) => resultIds.has(r.id)), ...os.filter((o) => observationIds.has(o.id))].map((i) => i.classId))
    if (!classIds.size) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'learning.publish.nothing') } satisfies FormReply
    let nr = 0
    let no = 0
    for (const classId of classIds) {
      await authorize(ctx, 'update', 'LearningRecord', { orgId, childId: child.id, classIds: [classId] })
      const r = await setItemsPublished(ctx.db, {
        orgId,
        classId,
        resultIds: rs.filter((x) => x.classId === classId && resultIds.has(x.id)).map((x) => x.id),
        observationIds: os.filter((x) => x.classId === classId && observationIds.has(x.id)).map((x) => x.id),
        publish: intent === 'publish',
        releaseAt,
        by: actorOf(ctx),
      })
      nr += r.results
      no += r.observations
    }
    return successReply(translate(ctx.lang, intent === 'publish' ? 'learning.publish.done' : 'learning.publish.undone', { results: nr, observations: no }))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

const badge = (state: string) => (state === 'published' ? 'badge ok' : state === 'scheduled' ? 'badge warn' : 'badge')

export default function ChildRecord() {
  const t = useT()
  const { orgId, child, period, staff, progress, results, observations } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const day = (d: string) => formatDate(t.lang, `${d}T12:00:00Z`)
  const anyPublish = results.some((r) => r.publish) || observations.some((o) => o.publish)
  const pdfQuery = new URLSearchParams(Object.entries({ from: period.from ?? '', to: period.to ?? '' }).filter(([, v]) => v)).toString()
  return (
    <div className="container">
      <style dangerouslySetInnerHTML={{ __html: learningCss }} />
      {staff && (
        <p>
          {child.classes.map((c) => (
            <Link key={c.id} to={`/org/${orgId}/classes/${c.id}/learning`} style={{ marginRight: '1rem' }}>
              ← {t('learning.grid.title', { name: c.name })}
            </Link>
          ))}
        </p>
      )}
      <h1>{t('learning.record.title', { name: `${child.firstName} ${child.lastName}` })}</h1>
      <p className="muted">
        {child.orgName} · {child.classes.map((c) => `${c.name} (${c.schoolYear})`).join(', ')}
      </p>
      {!staff && <Notice>{t('learning.record.guardian_intro')}</Notice>}
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}

      <Form method="get" className="lg-filters card" aria-label={t('learning.grid.filters')}>
        <div className="field">
          <label htmlFor="f-from">{t('learning.grid.from')}</label>
          <input id="f-from" type="date" name="from" defaultValue={period.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t('learning.grid.to')}</label>
          <input id="f-to" type="date" name="to" defaultValue={period.to ?? ''} />
        </div>
        <button type="submit" className="secondary">
          {t('learning.grid.apply')}
        </button>
        <a className="button secondary" href={`/org/${orgId}/children/${child.id}/record/pdf${pdfQuery ? `?${pdfQuery}` : ''}`}>
          {t('learning.record.pdf')}
        </a>
      </Form>

      <section aria-labelledby="progress-title">
        <h2 id="progress-title">{t('learning.record.progress')}</h2>
        {progress.length === 0 ? (
          <p className="muted">{t('learning.pdf.no_skills')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('learning.pdf.col_skill')}</th>
                  <th scope="col">{t('learning.pdf.col_level')}</th>
                  <th scope="col">{t('learning.pdf.col_history')}</th>
                </tr>
              </thead>
              <tbody>
                {progress.map((p) => (
                  <tr key={p.skillId}>
                    <th scope="row">
                      {p.label}{' '}
                      <span className="muted">
                        ({p.code} · {p.domain})
                      </span>
                    </th>
                    <td>
                      <span className={`lvl ${p.latest}`}>{t(`learning.level.${p.latest}`)}</span>
                    </td>
                    <td>
                      {p.history.map((h, i) => (
                        <span key={i} style={{ marginRight: '.35rem' }}>
                          {i > 0 && <span aria-hidden="true">→ </span>}
                          <span className={`lvl ${h.level}`} title={day(h.on)}>
                            {t(`learning.level.${h.level}`)}
                          </span>{' '}
                          <span className="muted">{day(h.on)}</span>
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <Form method="post">
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t('learning.pdf.results')}</h2>
          {results.length === 0 ? (
            <p className="muted">{t('learning.pdf.no_results')}</p>
          ) : (
            <div className="table-wrap">
              <table className="lg-rows">
                <thead>
                  <tr>
                    {anyPublish && (
                      <th scope="col">
                        <span className="sr-only">{t('learning.publish.select')}</span>
                      </th>
                    )}
                    <th scope="col">{t('learning.pdf.col_activity')}</th>
                    <th scope="col">{t('learning.pdf.col_date')}</th>
                    <th scope="col">{t('learning.pdf.col_skills')}</th>
                    <th scope="col">{t('learning.pdf.col_score')}</th>
                    {staff && <th scope="col">{t('learning.activity.families')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {results.map((r) => (
                    <tr key={r.id}>
                      {anyPublish && (
                        <td>{r.publish && <input className="lg-check" type="checkbox" name="resultId" value={r.id} aria-label={t('learning.publish.select_item', { item: r.title })} />}</td>
                      )}
                      <th scope="row">{r.title}</th>
                      <td>{formatDate(t.lang, r.completedAt)}</td>
                      <td>{r.skills.join(', ') || '—'}</td>
                      <td>
                        <strong>
                          {r.score}/{r.max}
                        </strong>
                      </td>
                      {staff && (
                        <td>
                          <span className={badge(r.state)}>{t(`learning.pub.${r.state}`)}</span>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section aria-labelledby="obs-title">
          <h2 id="obs-title">{t('learning.record.observations')}</h2>
          {observations.length === 0 ? (
            <p className="muted">{t('learning.record.no_observations')}</p>
          ) : (
            <div className="table-wrap">
              <table className="lg-rows">
                <thead>
                  <tr>
                    {anyPublish && (
                      <th scope="col">
                        <span className="sr-only">{t('learning.publish.select')}</span>
                      </th>
                    )}
                    <th scope="col">{t('learning.pdf.col_date')}</th>
                    <th scope="col">{t('learning.pdf.col_skill')}</th>
                    <th scope="col">{t('learning.pdf.col_level')}</th>
                    <th scope="col">{t('learning.pdf.col_note')}</th>
                    {staff && <th scope="col">{t('learning.activity.families')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {observations.map((o) => (
                    <tr key={o.id}>
                      {anyPublish && (
                        <td>
                          {o.publish && (
                            <input className="lg-check" type="checkbox" name="observationId" value={o.id} aria-label={t('learning.publish.select_item', { item: `${o.skill} — ${day(o.on)}` })} />
                          )}
                        </td>
                      )}
                      <td>{day(o.on)}</td>
                      <th scope="row">{o.skill}</th>
                      <td>
                        <span className={`lvl ${o.level}`}>{t(`learning.level.${o.level}`)}</span>
                      </td>
                      <td>{o.note ?? '—'}</td>
                      {staff && (
                        <td>
                          <span className={badge(o.state)}>{t(`learning.pub.${o.state}`)}</span>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        {anyPublish && (
          <section className="card" aria-labelledby="publish-title">
            <h2 id="publish-title">{t('learning.publish.title')}</h2>
            <p className="hint">{t('learning.publish.items_hint')}</p>
            <div className="field" style={{ maxWidth: '16rem' }}>
              <label htmlFor="f-release">{t('learning.publish.release_on')}</label>
              <input id="f-release" type="date" name="releaseOn" />
            </div>
            <div className="actions">
              <button type="submit" name="intent" value="publish" disabled={busy}>
                {t('learning.publish.selected_submit')}
              </button>
              <button type="submit" name="intent" value="unpublish" className="secondary" disabled={busy}>
                {t('learning.publish.selected_unpublish')}
              </button>
            </div>
          </section>
        )}
      </Form>
    </div>
  )
}

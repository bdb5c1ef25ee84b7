import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useMemo } from 'react'
import { t as translate, useT } from '~/i18n'
import { classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { can } from '~/permissions/abilities'
import { classGrid } from '~/models/learning/grid.server'
import { gridTableHtml, gridView, packView } from '~/ui/learning/grid-view'
import { parseReleaseDate, setActivitiesPublished } from '~/models/learning/publish.server'
import { learningCss } from '~/ui/learning/styles'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Carnet — ${data.klass.name} — suivi` : 'Carnet' }]
// The class grid: the class's teachers and the school's admins (who may read every record of the class).
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher'], params: { orgId: 'orgA', classId: 'classA1' } } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'read')
  const q = new URL(request.url).searchParams
  const filters = { groupId: q.get('group') || null, skillId: q.get('skill') || null, from: q.get('from') || null, to: q.get('to') || null }
  const view: 'activities' | 'skills' = q.get('view') === 'skills' ? 'skills' : 'activities'
  const grid = await classGrid(ctx.db, { orgId, classId: klass.id, filters, view })
  const cells = gridView(grid, view, (l) => translate(ctx.lang, `learning.level.${l}`))
  return {
    orgId,
    klass: { id: klass.id, name: klass.name, level: klass.level, schoolYear: klass.schoolYear },
    filters,
    view,
    grid: {
      view: packView(cells),
      columns: cells.columns.length,
      children: grid.children.length,
      groups: grid.groups,
      skills: grid.skills.map((s) => ({ id: s.id, code: s.code, label: s.label })),
      activities: grid.activities.map((a) => ({ id: a.id, title: a.title, published: a.published })),
    },
    may: {
      update: can(ctx.ability, 'update', 'LearningRecord', { orgId, classIds: [klass.id] }),
      create: can(ctx.ability, 'create', 'LearningRecord', { orgId, classIds: [klass.id] }),
      export: can(ctx.ability, 'export', 'LearningRecord', { orgId, classIds: [klass.id] }),
    },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'update')
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  try {
    if (intent !== 'publish' && intent !== 'unpublish') return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'learning.unknown_action') } satisfies FormReply
    const activityIds = form.getAll('activityId').map(String)
    const releaseAt = parseReleaseDate(String(form.get('releaseOn') ?? '') || null)
    const r = await ctx.db.transaction((tx) => setActivitiesPublished(tx, { orgId, classId: klass.id, activityIds, publish: intent === 'publish', releaseAt, by: actorOf(ctx) }))
    return successReply(translate(ctx.lang, intent === 'publish' ? 'learning.publish.done' : 'learning.publish.undone', { results: r.results, observations: r.observations }))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function LearningGrid() {
  const t = useT()
  const { orgId, klass, filters, view, grid, may } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${orgId}/classes/${klass.id}`
  const columns = grid.columns
  // The same pure function on the server and in the browser: identical HTML, nothing to reconcile.
  const tableHtml = useMemo(
    () =>
      gridTableHtml(grid.view, {
        caption: t('learning.grid.table', { name: klass.name }),
        childHeader: t('learning.grid.child'),
        kindLabel: (k) => t(`learning.kind.${k}`),
        pubLabel: (p) => t(p === 1 ? 'learning.pub.published' : 'learning.pub.scheduled'),
        activityHref: (id) => `${base}/activities/${id}`,
        childHref: (id) => `/org/${orgId}/children/${id}/record`,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [grid.view, t.lang],
  )
  return (
    <div className="container">
      <style dangerouslySetInnerHTML={{ __html: learningCss }} />
      <p>
        <Link to={base}>← {klass.name}</Link>
      </p>
      <h1>{t('learning.grid.title', { name: klass.name })}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <div className="actions" style={{ marginBottom: '1rem' }}>
        {may.create && (
          <>
            <Link className="button" to={`${base}/activities/new`}>
              {t('learning.grid.new_activity')}
            </Link>
            <Link className="button secondary" to={`${base}/learning/observe`}>
              {t('learning.grid.observe')}
            </Link>
          </>
        )}
        <Link className="button secondary" to={`${base}/learning/skills`}>
          {t('learning.grid.skills')}
        </Link>
        {may.export && (
          <>
            <a className="button secondary" href={`${base}/learning/pdf?${new URLSearchParams(Object.entries({ from: filters.from ?? '', to: filters.to ?? '' }).filter(([, v]) => v))}`}>
              {t('learning.grid.class_pdf')}
            </a>
            <Form method="post" action={`/org/${orgId}/exports/zip`} reloadDocument className="inline">
              <input type="hidden" name="kind" value="class" />
              <input type="hidden" name="classId" value={klass.id} />
              {filters.from && <input type="hidden" name="from" value={filters.from} />}
              {filters.to && <input type="hidden" name="to" value={filters.to} />}
              <button type="submit" className="secondary">
                {t('learning.grid.class_zip')}
              </button>
            </Form>
            <Link className="button secondary" to={`/org/${orgId}/exports`}>
              {t('learning.grid.exports')}
            </Link>
          </>
        )}
      </div>

      <Form method="get" className="lg-filters card" aria-label={t('learning.grid.filters')}>
        <div className="field">
          <label htmlFor="f-view">{t('learning.grid.view')}</label>
          <select id="f-view" name="view" defaultValue={view}>
            <option value="activities">{t('learning.grid.view_activities')}</option>
            <option value="skills">{t('learning.grid.view_skills')}</option>
          </select>
        </div>
        {grid.groups.length > 0 && (
          <div className="field">
            <label htmlFor="f-group">{t('learning.grid.group')}</label>
            <select id="f-group" name="group" defaultValue={filters.groupId ?? ''}>
              <option value="">{t('learning.grid.all_class')}</option>
              {grid.groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="f-skill">{t('learning.grid.skill')}</label>
          <select id="f-skill" name="skill" defaultValue={filters.skillId ?? ''}>
            <option value="">{t('learning.grid.all_skills')}</option>
            {grid.skills.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} — {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">{t('learning.grid.from')}</label>
          <input id="f-from" type="date" name="from" defaultValue={filters.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t('learning.grid.to')}</label>
          <input id="f-to" type="date" name="to" defaultValue={filters.to ?? ''} />
        </div>
        <button type="submit" className="secondary">
          {t('learning.grid.apply')}
        </button>
      </Form>

      {grid.children === 0 ? (
        <p>{t('learning.grid.no_children')}</p>
      ) : columns === 0 ? (
        <p>{t(view === 'skills' ? 'learning.grid.no_skills' : 'learning.grid.no_activities')}</p>
      ) : (
        <>
          <div className="lg-legend" aria-hidden="true">
            <span className="lvl acquired">{t('learning.level.acquired')}</span>
            <span className="lvl in_progress">{t('learning.level.in_progress')}</span>
            <span className="lvl not_yet">{t('learning.level.not_yet')}</span>
            <span>✓ {t('learning.pub.published')}</span>
            <span>◔ {t('learning.pub.scheduled')}</span>
            <span>· {t('learning.grid.empty')}</span>
          </div>
          {/* Built as one HTML string on the server (1,800 cells): see gridTableHtml. */}
          <div className="table-wrap" style={{ maxHeight: '75vh' }} dangerouslySetInnerHTML={{ __html: tableHtml }} />
        </>
      )}

      {may.update && grid.activities.length > 0 && (
        <section className="card" aria-labelledby="publish-title">
          <h2 id="publish-title">{t('learning.publish.title')}</h2>
          <p className="hint">{t('learning.publish.hint')}</p>
          <Form method="post">
            <fieldset style={{ border: 0, padding: 0 }}>
              <legend className="sr-only">{t('learning.publish.choose')}</legend>
              {grid.activities.map((a) => (
                <label key={a.id} className="checkbox" style={{ marginBottom: '.3rem' }}>
                  <input type="checkbox" name="activityId" value={a.id} />
                  <span>
                    {a.title}{' '}
                    <span className={`badge${a.published === 1 ? ' ok' : a.published === 2 ? ' warn' : ''}`}>
                      {t(a.published === 1 ? 'learning.pub.published' : a.published === 2 ? 'learning.pub.scheduled' : 'learning.pub.not_published')}
                    </span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="field" style={{ maxWidth: '16rem' }}>
              <label htmlFor="f-release">{t('learning.publish.release_on')}</label>
              <p className="hint" id="f-release-hint">
                {t('learning.publish.release_hint')}
              </p>
              <input id="f-release" type="date" name="releaseOn" aria-describedby="f-release-hint" />
            </div>
            <div className="actions">
              <button type="submit" name="intent" value="publish" disabled={busy}>
                {t('learning.publish.submit')}
              </button>
              <button type="submit" name="intent" value="unpublish" className="secondary" disabled={busy}>
                {t('learning.publish.unpublish')}
              </button>
            </div>
          </Form>
        </section>
      )}
    </div>
  )
}

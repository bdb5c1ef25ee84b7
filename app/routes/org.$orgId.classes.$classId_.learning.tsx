import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useMemo } from 'react'
import { z } from 'zod'
import { DomainError } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import { classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { can } from '~/permissions/abilities'
import { classGrid } from '~/models/learning/grid.server'
import { gridTableHtml, gridView, packView } from '~/ui/learning/grid-view'
import { parseReleaseDate, setActivitiesPublished } from '~/models/learning/publish.server'
import { publishActivitiesSchema } from '~/models/learning/publish.schema'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ChoiceField, Field, FilterBar, FormNotice, PageHeader, Section, SelectField, StatusBadge, plainField, useCarnetForm } from '~/ui/kit'

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

// The page's one form: publish or withdraw the ticked activities.
const schema = z.discriminatedUnion('intent', [publishActivitiesSchema.extend({ intent: z.enum(['publish', 'unpublish']) })])

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'update')
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    const releaseAt = parseReleaseDate(v.releaseOn)
    const publish = v.intent === 'publish'
    const r = await ctx.db.transaction((tx) => setActivitiesPublished(tx, { orgId, classId: klass.id, activityIds: v.activityId, publish, releaseAt, by: actorOf(ctx) }))
    return form.success(translate(ctx.lang, publish ? 'learning.publish.done' : 'learning.publish.undone', { results: r.results, observations: r.observations }))
  } catch (e) {
    return form.error(e, e instanceof DomainError && e.code === 'learning.publish.release_invalid' ? 'releaseOn' : undefined)
  }
}

const PUB_TONE = { 0: 'neutral', 1: 'ok', 2: 'warn' } as const
const PUB_LABEL = { 0: 'learning.pub.not_published', 1: 'learning.pub.published', 2: 'learning.pub.scheduled' } as const

export default function LearningGrid() {
  const t = useT()
  const { orgId, klass, filters, view, grid, may } = useLoaderData<typeof loader>()
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
      <p>
        <Link to={base}>← {klass.name}</Link>
      </p>
      <PageHeader title={t('learning.grid.title', { name: klass.name })} />
      <FormNotice />
      <div className="actions toolbar">
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

      <div className="card">
        <FilterBar resetTo={`${base}/learning`} label={t('learning.grid.filters')}>
          <SelectField meta={plainField('view', { defaultValue: view })} label={t('learning.grid.view')}>
            <option value="activities">{t('learning.grid.view_activities')}</option>
            <option value="skills">{t('learning.grid.view_skills')}</option>
          </SelectField>
          {grid.groups.length > 0 && (
            <SelectField meta={plainField('group', { defaultValue: filters.groupId })} label={t('learning.grid.group')}>
              <option value="">{t('learning.grid.all_class')}</option>
              {grid.groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </SelectField>
          )}
          <SelectField meta={plainField('skill', { defaultValue: filters.skillId })} label={t('learning.grid.skill')}>
            <option value="">{t('learning.grid.all_skills')}</option>
            {grid.skills.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} — {s.label}
              </option>
            ))}
          </SelectField>
          <Field meta={plainField('from', { defaultValue: filters.from })} type="date" label={t('learning.grid.from')} />
          <Field meta={plainField('to', { defaultValue: filters.to })} type="date" label={t('learning.grid.to')} />
        </FilterBar>
      </div>

      {grid.children === 0 ? (
        <p className="empty">{t('learning.grid.no_children')}</p>
      ) : columns === 0 ? (
        <p className="empty">{t(view === 'skills' ? 'learning.grid.no_skills' : 'learning.grid.no_activities')}</p>
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
          <div className="table-wrap grid-wrap" dangerouslySetInnerHTML={{ __html: tableHtml }} />
        </>
      )}

      {may.update && grid.activities.length > 0 && <PublishSection activities={grid.activities} busy={busy} />}
    </div>
  )
}

/** Publish (or withdraw) the ticked activities for the families, now or on a given day. */
function PublishSection({ activities, busy }: { activities: { id: string; title: string; published: 0 | 1 | 2 }[]; busy: boolean }) {
  const t = useT()
  const [form, fields] = useCarnetForm(schema, { id: 'publish' })
  return (
    <Section title={t('learning.publish.title')}>
      <p className="hint">{t('learning.publish.hint')}</p>
      <Form method="post" {...getFormProps(form)}>
        <ChoiceField
          meta={fields.activityId}
          type="checkbox"
          legend={<span className="visually-hidden">{t('learning.publish.choose')}</span>}
          options={activities.map((a) => ({
            value: a.id,
            label: (
              <>
                {a.title} <StatusBadge tone={PUB_TONE[a.published]}>{t(PUB_LABEL[a.published])}</StatusBadge>
              </>
            ),
          }))}
        />
        <Field meta={fields.releaseOn} type="date" label={t('learning.publish.release_on')} hint={t('learning.publish.release_hint')} className="narrow-field" />
        <div className="actions">
          <button type="submit" name="intent" value="publish" disabled={busy}>
            {t('learning.publish.submit')}
          </button>
          <button type="submit" name="intent" value="unpublish" className="secondary" disabled={busy}>
            {t('learning.publish.unpublish')}
          </button>
        </div>
      </Form>
    </Section>
  )
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useMemo } from 'react'
import { z } from 'zod'
import { DomainError } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import { classForGrid, classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { can } from '~/permissions/abilities'
import { classGridPage } from '~/ui/learning/grid-page.server'
import { gridTableHtml, gridTableOptions } from '~/ui/learning/grid-view'
import { Island, islandsOf, useIsland } from '~/ui/server-island'
import { parseReleaseDate, setActivitiesPublished } from '~/models/learning/publish.server'
import { publishActivitiesSchema } from '~/models/learning/publish.schema'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ChoiceField, Field, FilterBar, FormNotice, PageHeader, Section, SelectField, StatusBadge, plainField, useCarnetForm } from '~/ui/kit'
import { pageTitleFrom } from '~/ui/meta'

export const meta = pageTitleFrom<typeof loader>((d, tr) => tr('title.learning', { name: d.klass.name }), 'title.learning_plain')
// The class grid: the class's teachers and the school's admins (who may read every record of the class).
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher'], params: { orgId: 'orgA', classId: 'classA1' } } satisfies RouteAccess,
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  // Authorized on every request; the grid's version comes with the class row.
  const klass = await classForGrid(ctx, orgId, params.classId!, 'read')
  const q = new URL(request.url).searchParams
  const filters = { groupId: q.get('group') || null, skillId: q.get('skill') || null, from: q.get('from') || null, to: q.get('to') || null }
  const view: 'activities' | 'skills' = q.get('view') === 'skills' ? 'skills' : 'activities'
  // Cached per class while nothing it shows has changed (grid-page.server.ts).
  const page = await classGridPage(ctx.db, { orgId, klass, filters, view, lang: ctx.lang })
  // One representation of the cells: a document gets the table's HTML (an island, not data);
  // a client navigation gets the packed cells and builds the table in the browser.
  const islands = islandsOf(context)
  islands?.set(GRID_ISLAND, page.html)
  return {
    orgId,
    klass: { id: klass.id, name: klass.name, level: klass.level, schoolYear: klass.schoolYear },
    filters,
    view,
    grid: {
      view: islands ? null : page.packed,
      columns: page.columns,
      children: page.children,
      groups: page.groups,
      skills: page.skills,
      activities: page.activities,
    },
    may: {
      update: can(ctx.ability, 'update', 'LearningRecord', { orgId, classIds: [klass.id] }),
      create: can(ctx.ability, 'create', 'LearningRecord', { orgId, classIds: [klass.id] }),
      export: can(ctx.ability, 'export', 'LearningRecord', { orgId, classIds: [klass.id] }),
    },
  }
}

const GRID_ISLAND = 'class-grid'

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
  // The document came with the table (a server island); a client navigation brings the packed
  // cells, and the same pure function builds the same table here.
  const island = useIsland(GRID_ISLAND)
  const tableHtml = useMemo(
    () => island ?? (grid.view ? gridTableHtml(grid.view, gridTableOptions(t, { orgId, classId: klass.id, className: klass.name })) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [island, grid.view, t.lang],
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
          {/* One HTML string (1,800 cells), cached on the server: see gridTableHtml and server-island. */}
          <Island className="table-wrap grid-wrap" html={tableHtml} />
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

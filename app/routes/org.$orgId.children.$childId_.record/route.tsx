import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import { actorOf } from '~/ui/http.server'
import { isPublished, parseReleaseDate, setItemsPublished } from '~/models/learning/publish.server'
import { childForRecord, cleanPeriod, loadObservations, loadResults, skillProgress } from '~/models/learning/record.server'
import { learningCss } from '~/ui/learning/styles'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FilterBar, FormNotice, Notice, PageHeader, Section, plainField, useCarnetForm } from '~/ui/kit'
import { schema } from './intents'
import { ObservationsTable, ProgressTable, ResultsTable } from './tables'
import { pageTitleFrom } from '~/ui/meta'

export const meta = pageTitleFrom<typeof loader>((d, tr) => tr('title.child_record', { name: `${d.child.firstName} ${d.child.lastName}` }), 'title.child_record_plain')
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
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    const releaseAt = parseReleaseDate(v.releaseOn ?? null)
    const resultIds = new Set(v.resultId)
    const observationIds = new Set(v.observationId)
    const [rs, os] = await Promise.all([loadResults(ctx.db, { orgId, childIds: [child.id] }), loadObservations(ctx.db, { orgId, childIds: [child.id] })])
    // Publishing is per class: each chosen item is checked against the policy for its own class.
    const classIds = new Set([...rs.filter((r) => resultIds.has(r.id)), ...os.filter((o) => observationIds.has(o.id))].map((i) => i.classId))
    if (!classIds.size) return form.error(new DomainError('learning.publish.nothing'))
    let nr = 0
    let no = 0
    for (const classId of classIds) {
      await authorize(ctx, 'update', 'LearningRecord', { orgId, childId: child.id, classIds: [classId] })
      const r = await setItemsPublished(ctx.db, {
        orgId,
        classId,
        resultIds: rs.filter((x) => x.classId === classId && resultIds.has(x.id)).map((x) => x.id),
        observationIds: os.filter((x) => x.classId === classId && observationIds.has(x.id)).map((x) => x.id),
        publish: v.intent === 'publish',
        releaseAt,
        by: actorOf(ctx),
      })
      nr += r.results
      no += r.observations
    }
    return form.success(translate(ctx.lang, v.intent === 'publish' ? 'learning.publish.done' : 'learning.publish.undone', { results: nr, observations: no }))
  } catch (e) {
    return form.error(e, e instanceof DomainError && e.code === 'learning.publish.release_invalid' ? 'releaseOn' : undefined)
  }
}

export default function ChildRecord() {
  const t = useT()
  const { orgId, child, period, staff, progress, results, observations } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { id: 'publish' })
  const anyPublish = results.some((r) => r.publish) || observations.some((o) => o.publish)
  const pdfQuery = new URLSearchParams(Object.entries({ from: period.from ?? '', to: period.to ?? '' }).filter(([, v]) => v)).toString()
  const here = `/org/${orgId}/children/${child.id}/record`
  return (
    <div className="container">
      <style dangerouslySetInnerHTML={{ __html: learningCss }} />
      {staff && (
        <p className="actions">
          {child.classes.map((c) => (
            <Link key={c.id} to={`/org/${orgId}/classes/${c.id}/learning`}>
              ← {t('learning.grid.title', { name: c.name })}
            </Link>
          ))}
        </p>
      )}
      <PageHeader
        title={t('learning.record.title', { name: `${child.firstName} ${child.lastName}` })}
        subtitle={`${child.orgName} · ${child.classes.map((c) => `${c.name} (${c.schoolYear})`).join(', ')}`}
      />
      {!staff && <Notice>{t('learning.record.guardian_intro')}</Notice>}
      <FormNotice />

      <FilterBar resetTo={here} label={t('learning.grid.filters')}>
        <Field meta={plainField('from', { defaultValue: period.from })} type="date" label={t('learning.grid.from')} />
        <Field meta={plainField('to', { defaultValue: period.to })} type="date" label={t('learning.grid.to')} />
      </FilterBar>
      <p>
        <a className="button secondary" href={`${here}/pdf${pdfQuery ? `?${pdfQuery}` : ''}`}>
          {t('learning.record.pdf')}
        </a>
      </p>

      <Section title={t('learning.record.progress')} card={false}>
        <ProgressTable progress={progress} />
      </Section>

      <Form method="post" {...getFormProps(form)}>
        <Section title={t('learning.pdf.results')} card={false}>
          <ResultsTable results={results} staff={staff} anyPublish={anyPublish} />
        </Section>

        <Section title={t('learning.record.observations')} card={false}>
          <ObservationsTable observations={observations} staff={staff} anyPublish={anyPublish} />
        </Section>

        {anyPublish && (
          <Section title={t('learning.publish.title')}>
            <p className="hint">{t('learning.publish.items_hint')}</p>
            <Field meta={fields.releaseOn} type="date" label={t('learning.publish.release_on')} className="short" />
            <div className="actions">
              <button type="submit" name="intent" value="publish" disabled={busy}>
                {t('learning.publish.selected_submit')}
              </button>
              <button type="submit" name="intent" value="unpublish" className="secondary" disabled={busy}>
                {t('learning.publish.selected_unpublish')}
              </button>
            </div>
          </Section>
        )}
      </Form>
    </div>
  )
}

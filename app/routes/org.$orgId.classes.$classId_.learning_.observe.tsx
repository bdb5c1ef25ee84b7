import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { LEVEL_VALUES as LEVELS } from '~/models/learning/constants'
import { useT } from '~/i18n'
import { now } from '~/clock.server'
import { activitySkillList, getActivity } from '~/models/learning/activities.server'
import { classChildren } from '~/models/learning/grid.server'
import { classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { DomainError, notFound } from '~/errors.server'
import { isLevel, recordObservations, type ObservationEntry } from '~/models/learning/observations.server'
import { listSkills } from '~/models/learning/skills.server'
import { NOTE_MAX, observeSchema } from '~/models/learning/observations.schema'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, Notice, PageHeader, SelectField, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.observe')
// Recording observations: per child and skill, a level and a dated note, for one child or
// several at once. The class's teachers and the school's admins.
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher'], params: { orgId: 'orgA', classId: 'classA1' } } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'create')
  const activityId = new URL(request.url).searchParams.get('activity')
  const activity = activityId ? await getActivity(ctx.db, { orgId, classId: klass.id, activityId }).catch(notFound) : null
  if (activity && activity.kind !== 'observation') throw new Response('Not found', { status: 404 })
  const [skills, children] = await Promise.all([
    activity ? activitySkillList(ctx.db, { orgId, activityId: activity.id }) : listSkills(ctx.db, { orgId }),
    classChildren(ctx.db, { orgId, classId: klass.id, groupId: activity?.groupId ?? null }),
  ])
  return {
    orgId,
    klass: { id: klass.id, name: klass.name },
    activity: activity ? { id: activity.id, title: activity.title } : null,
    skills: skills.map((s) => ({ id: s.id, code: s.code, label: s.label, domain: s.domain })),
    children: children.map((c) => ({ id: c.id, name: `${c.firstName} ${c.lastName}` })),
    today: now().toISOString().slice(0, 10),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'create')
  const form = await readForm(request, observeSchema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    // A level on the child's row wins; otherwise a ticked child gets the level above the table.
    const picked = new Set(v.pick)
    const childIds = new Set([...Object.keys(v.level), ...picked])
    const entries: ObservationEntry[] = []
    for (const childId of childIds) {
      const level = v.level[childId] ?? ''
      const note = v.note[childId] ?? ''
      if (isLevel(level)) entries.push({ childId, level, note })
      else if (picked.has(childId) && v.bulkLevel) entries.push({ childId, level: v.bulkLevel, note: note || (v.bulkNote ?? '') })
    }
    const rows = await ctx.db.transaction((tx) =>
      recordObservations(tx, { orgId, classId: klass.id, activityId: v.activityId ?? null, skillId: v.skillId, observedOn: v.observedOn, entries, by: actorOf(ctx) }),
    )
    const back = new URLSearchParams({ saved: String(rows.length) })
    if (v.activityId) back.set('activity', v.activityId)
    return redirect(`/org/${orgId}/classes/${klass.id}/learning/observe?${back}`)
  } catch (e) {
    const code = e instanceof DomainError ? e.code : ''
    return form.error(e, code.startsWith('learning.observe.date_') ? 'observedOn' : code === 'learning.observe.skill_not_in_activity' ? 'skillId' : undefined)
  }
}

export default function Observe() {
  const t = useT()
  const { orgId, klass, activity, skills, children, today } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(observeSchema, { id: 'observe', defaultValue: { skillId: skills.length === 1 ? skills[0]!.id : '', observedOn: today } })
  const base = `/org/${orgId}/classes/${klass.id}`
  const domains = [...new Set(skills.map((s) => s.domain))]
  const levels = LEVELS.map((l) => (
    <option key={l} value={l}>
      {t(`learning.level.${l}`)}
    </option>
  ))
  return (
    <div className="container">
      <p>
        <Link to={activity ? `${base}/activities/${activity.id}` : `${base}/learning`}>← {activity ? activity.title : t('learning.grid.title', { name: klass.name })}</Link>
      </p>
      <PageHeader title={activity ? t('learning.observe.title_activity', { title: activity.title }) : t('learning.observe.title', { name: klass.name })} />
      {params.get('saved') && <Notice kind="success">{t('learning.observe.saved', { n: Number(params.get('saved')) })}</Notice>}
      <FormNotice />
      <Form method="post" {...getFormProps(form)}>
        {activity && <input type="hidden" name="activityId" value={activity.id} />}
        <div className="lg-filters">
          <SelectField meta={fields.skillId} label={t('learning.observe.skill')} className="wide-field">
            <option value="" disabled>
              {t('learning.observe.choose_skill')}
            </option>
            {domains.map((d) => (
              <optgroup key={d} label={d}>
                {skills
                  .filter((s) => s.domain === d)
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.label} ({s.code})
                    </option>
                  ))}
              </optgroup>
            ))}
          </SelectField>
          <Field meta={fields.observedOn} type="date" label={t('learning.observe.date')} max={today} />
        </div>

        <fieldset className="card">
          <legend>{t('learning.observe.bulk_title')}</legend>
          <p className="hint">{t('learning.observe.bulk_hint')}</p>
          <div className="lg-filters">
            <SelectField meta={fields.bulkLevel} label={t('learning.observe.level')}>
              <option value="">—</option>
              {levels}
            </SelectField>
            <Field meta={fields.bulkNote} label={t('learning.observe.note')} className="grow-field" />
          </div>
        </fieldset>

        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a region that scrolls must be reachable by keyboard */}
        <div className="table-wrap" role="region" aria-label={t('learning.grid.child')} tabIndex={0}>
          <table className="lg-rows">
            <thead>
              <tr>
                <th scope="col">{t('learning.observe.pick')}</th>
                <th scope="col">{t('learning.grid.child')}</th>
                <th scope="col">{t('learning.observe.level')}</th>
                <th scope="col">{t('learning.observe.note')}</th>
              </tr>
            </thead>
            <tbody>
              {children.map((c) => (
                <tr key={c.id}>
                  <td>
                    <input className="lg-check" type="checkbox" name="pick" value={c.id} aria-label={t('learning.observe.pick_of', { name: c.name })} />
                  </td>
                  <th scope="row">{c.name}</th>
                  <td>
                    <select name={`level.${c.id}`} defaultValue="" aria-label={t('learning.observe.level_of', { name: c.name })}>
                      <option value="">—</option>
                      {levels}
                    </select>
                  </td>
                  <td>
                    <input type="text" name={`note.${c.id}`} maxLength={NOTE_MAX} aria-label={t('learning.observe.note_of', { name: c.name })} className="full-width" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <button type="submit" disabled={busy}>
          {t('learning.observe.submit')}
        </button>
      </Form>
    </div>
  )
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { LEVEL_VALUES as LEVELS } from '~/models/learning/constants'
import { useT } from '~/i18n'
import { now } from '~/clock.server'
import { activitySkillList, getActivity } from '~/models/learning/activities.server'
import { classChildren } from '~/models/learning/grid.server'
import { classForLearning } from '~/models/learning/record.server'
import { actorOf } from '~/ui/http.server'
import { notFound } from '~/errors.server'
import { isLevel, recordObservations, type ObservationEntry } from '~/models/learning/observations.server'
import { listSkills } from '~/models/learning/skills.server'
import { learningCss } from '~/ui/learning/styles'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { errorReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — observer' }]
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
  const form = await request.formData()
  const activityId = String(form.get('activityId') ?? '') || null
  try {
    const picked = new Set(form.getAll('pick').map(String))
    const bulkLevel = String(form.get('bulkLevel') ?? '')
    const bulkNote = String(form.get('bulkNote') ?? '')
    const entries: ObservationEntry[] = []
    for (const [key, value] of form.entries()) {
      if (!key.startsWith('level.')) continue
      const childId = key.slice('level.'.length)
      const level = String(value)
      const note = String(form.get(`note.${childId}`) ?? '')
      if (isLevel(level)) entries.push({ childId, level, note })
      else if (picked.has(childId) && isLevel(bulkLevel)) entries.push({ childId, level: bulkLevel, note: note || bulkNote })
    }
    const rows = await ctx.db.transaction((tx) =>
      recordObservations(tx, { orgId, classId: klass.id, activityId, skillId: String(form.get('skillId') ?? ''), observedOn: String(form.get('observedOn') ?? ''), entries, by: actorOf(ctx) }),
    )
    const back = new URLSearchParams({ saved: String(rows.length) })
    if (activityId) back.set('activity', activityId)
    return redirect(`/org/${orgId}/classes/${klass.id}/learning/observe?${back}`)
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function Observe() {
  const t = useT()
  const { orgId, klass, activity, skills, children, today } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${orgId}/classes/${klass.id}`
  const domains = [...new Set(skills.map((s) => s.domain))]
  return (
    <div className="container">
      <style dangerouslySetInnerHTML={{ __html: learningCss }} />
      <p>
        <Link to={activity ? `${base}/activities/${activity.id}` : `${base}/learning`}>← {activity ? activity.title : t('learning.grid.title', { name: klass.name })}</Link>
      </p>
      <h1>{activity ? t('learning.observe.title_activity', { title: activity.title }) : t('learning.observe.title', { name: klass.name })}</h1>
      {params.get('saved') && <Notice kind="success">{t('learning.observe.saved', { n: Number(params.get('saved')) })}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <Form method="post">
        {activity && <input type="hidden" name="activityId" value={activity.id} />}
        <div className="lg-filters">
          <div className="field" style={{ minWidth: '22rem' }}>
            <label htmlFor="f-skill">{t('learning.observe.skill')}</label>
            <select id="f-skill" name="skillId" required defaultValue={skills.length === 1 ? skills[0]!.id : ''}>
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
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-on">{t('learning.observe.date')}</label>
            <input id="f-on" type="date" name="observedOn" defaultValue={today} max={today} required />
          </div>
        </div>

        <fieldset className="card">
          <legend>{t('learning.observe.bulk_title')}</legend>
          <p className="hint">{t('learning.observe.bulk_hint')}</p>
          <div className="lg-filters">
            <div className="field">
              <label htmlFor="f-bulk-level">{t('learning.observe.level')}</label>
              <select id="f-bulk-level" name="bulkLevel" defaultValue="">
                <option value="">—</option>
                {LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`learning.level.${l}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field" style={{ flex: 1, minWidth: '16rem' }}>
              <label htmlFor="f-bulk-note">{t('learning.observe.note')}</label>
              <input id="f-bulk-note" type="text" name="bulkNote" maxLength={2000} />
            </div>
          </div>
        </fieldset>

        <div className="table-wrap">
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
                      {LEVELS.map((l) => (
                        <option key={l} value={l}>
                          {t(`learning.level.${l}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input type="text" name={`note.${c.id}`} maxLength={2000} aria-label={t('learning.observe.note_of', { name: c.name })} style={{ width: '100%' }} />
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

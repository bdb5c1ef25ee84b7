import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { isMessageKey, useT } from '~/i18n'
import { classForLearning } from '~/models/learning/record.server'
import { listSkills } from '~/models/learning/skills.server'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility, type UserCtx } from '~/permissions/request.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — compétences' }]
// The school's skills, reached from a class's grid: its teachers read them, the school's
// administrators edit them (they belong to the school, not to one class) through
// learning/skills/edit.
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher'], params: { orgId: 'orgA', classId: 'classA1' } } satisfies RouteAccess,
}

const mayEdit = (ctx: UserCtx, orgId: string) => can(ctx.ability, 'update', 'Organization', { id: orgId, orgId })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await classForLearning(ctx, orgId, params.classId!, 'read')
  const skills = await listSkills(ctx.db, { orgId, includeArchived: true })
  return {
    orgId,
    klass: { id: klass.id, name: klass.name },
    skills: skills.map((s) => ({ id: s.id, code: s.code, label: s.label, domain: s.domain, cycle: s.cycle, archived: !!s.archivedAt })),
    edit: mayEdit(ctx, orgId),
  }
}

export default function Skills() {
  const t = useT()
  const { orgId, klass, skills, edit } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const done = `learning.skills.${params.get('done')}`
  const busy = useNavigation().state !== 'idle'
  const action = `/org/${orgId}/classes/${klass.id}/learning/skills/edit`
  return (
    <div className="container">
      <p>
        <Link to={`/org/${orgId}/classes/${klass.id}/learning`}>← {t('learning.grid.title', { name: klass.name })}</Link>
      </p>
      <h1>{t('learning.skills.title')}</h1>
      <p className="muted">{t(edit ? 'learning.skills.intro_admin' : 'learning.skills.intro')}</p>
      {isMessageKey(done) && <Notice kind="success">{t(done)}</Notice>}
      {params.get('error') && <Notice kind="error">{t.or(params.get('error'), t('form.invalid_field'), { code: params.get('code') ?? '' })}</Notice>}
      <div className="table-wrap">
        <table>
          <thead>
            {edit ? (
              <tr>
                <th scope="col">
                  {t('learning.skills.cycle')} · {t('learning.skills.code')} · {t('learning.skills.domain')} · {t('learning.skills.label')}
                </th>
              </tr>
            ) : (
              <tr>
                <th scope="col">{t('learning.skills.cycle')}</th>
                <th scope="col">{t('learning.skills.code')}</th>
                <th scope="col">{t('learning.skills.domain')}</th>
                <th scope="col">{t('learning.skills.label')}</th>
              </tr>
            )}
          </thead>
          <tbody>
            {skills.map((s) =>
              edit ? (
                <tr key={s.id}>
                  <td>
                    <Form method="post" action={action} className="actions">
                      <input type="hidden" name="skillId" value={s.id} />
                      <select name="cycle" defaultValue={s.cycle} aria-label={t('learning.skills.cycle_of', { code: s.code })}>
                        {[1, 2, 3, 4].map((c) => (
                          <option key={c} value={c}>
                            {t('learning.skills.cycle_n', { n: c })}
                          </option>
                        ))}
                      </select>
                      <input name="code" defaultValue={s.code} size={14} aria-label={t('learning.skills.code_of', { code: s.code })} />
                      <input name="domain" defaultValue={s.domain} size={16} aria-label={t('learning.skills.domain_of', { code: s.code })} />
                      <input name="label" defaultValue={s.label} style={{ flex: '1 1 18rem' }} aria-label={t('learning.skills.label_of', { code: s.code })} />
                      <button type="submit" name="intent" value="update" className="secondary" disabled={busy}>
                        {t('common.save')}
                      </button>
                      <button type="submit" name="intent" value={s.archived ? 'restore' : 'archive'} className="secondary" disabled={busy}>
                        {t(s.archived ? 'learning.skills.restore' : 'learning.skills.archive')}
                      </button>
                      {s.archived && <span className="badge warn">{t('learning.skills.is_archived')}</span>}
                    </Form>
                  </td>
                </tr>
              ) : (
                <tr key={s.id}>
                  <td>{s.cycle}</td>
                  <td>{s.code}</td>
                  <td>{s.domain}</td>
                  <td>
                    {s.label} {s.archived && <span className="badge warn">{t('learning.skills.is_archived')}</span>}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {edit && (
        <section className="card" aria-labelledby="new-skill">
          <h2 id="new-skill">{t('learning.skills.new')}</h2>
          <Form method="post" action={action} className="lg-filters" style={{ display: 'flex', flexWrap: 'wrap', gap: '.8rem', alignItems: 'flex-end' }}>
            <input type="hidden" name="intent" value="create" />
            <div className="field">
              <label htmlFor="n-cycle">{t('learning.skills.cycle')}</label>
              <select id="n-cycle" name="cycle" defaultValue="3">
                {[1, 2, 3, 4].map((c) => (
                  <option key={c} value={c}>
                    {t('learning.skills.cycle_n', { n: c })}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="n-code">{t('learning.skills.code')}</label>
              <input id="n-code" name="code" required />
            </div>
            <div className="field">
              <label htmlFor="n-domain">{t('learning.skills.domain')}</label>
              <input id="n-domain" name="domain" required />
            </div>
            <div className="field" style={{ flex: 1, minWidth: '16rem' }}>
              <label htmlFor="n-label">{t('learning.skills.label')}</label>
              <input id="n-label" name="label" required />
            </div>
            <button type="submit" disabled={busy}>
              {t('learning.skills.add')}
            </button>
          </Form>
        </section>
      )}
    </div>
  )
}

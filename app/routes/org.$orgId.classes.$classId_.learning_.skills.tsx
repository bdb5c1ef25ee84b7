import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { isMessageKey, useT } from '~/i18n'
import { classForLearning } from '~/models/learning/record.server'
import { listSkills } from '~/models/learning/skills.server'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility, type UserCtx } from '~/permissions/request.server'
import { DataTable, Field, Notice, PageHeader, Section, SelectField, StatusBadge, plainField, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.skills')
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
  // The forms post to learning/skills/edit, which comes back here saying what was done (or why not).
  const action = `/org/${orgId}/classes/${klass.id}/learning/skills/edit`
  type Skill = (typeof skills)[number]
  const archived = (s: Skill) => s.archived && <StatusBadge tone="warn">{t('learning.skills.is_archived')}</StatusBadge>
  const cycles = [1, 2, 3, 4].map((c) => (
    <option key={c} value={c}>
      {t('learning.skills.cycle_n', { n: c })}
    </option>
  ))
  const readColumns: Column<Skill>[] = [
    { header: t('learning.skills.cycle'), cell: (s) => s.cycle },
    { header: t('learning.skills.code'), cell: (s) => s.code },
    { header: t('learning.skills.domain'), cell: (s) => s.domain },
    {
      header: t('learning.skills.label'),
      cell: (s) => (
        <>
          {s.label} {archived(s)}
        </>
      ),
    },
  ]
  // One row, one form: the skill's four fields side by side, saved or archived on their own.
  const editColumns: Column<Skill>[] = [
    {
      header: `${t('learning.skills.cycle')} · ${t('learning.skills.code')} · ${t('learning.skills.domain')} · ${t('learning.skills.label')}`,
      cell: (s) => (
        <Form method="post" action={action} className="actions">
          <input type="hidden" name="skillId" value={s.id} />
          <select name="cycle" defaultValue={s.cycle} aria-label={t('learning.skills.cycle_of', { code: s.code })}>
            {cycles}
          </select>
          <input name="code" defaultValue={s.code} size={14} required aria-label={t('learning.skills.code_of', { code: s.code })} />
          <input name="domain" defaultValue={s.domain} size={16} required aria-label={t('learning.skills.domain_of', { code: s.code })} />
          <input name="label" defaultValue={s.label} required className="grow-wide" aria-label={t('learning.skills.label_of', { code: s.code })} />
          <button type="submit" name="intent" value="update" className="secondary" disabled={busy}>
            {t('common.save')}
          </button>
          <button type="submit" name="intent" value={s.archived ? 'restore' : 'archive'} className="secondary" disabled={busy} formNoValidate>
            {t(s.archived ? 'learning.skills.restore' : 'learning.skills.archive')}
          </button>
          {archived(s)}
        </Form>
      ),
    },
  ]
  return (
    <div className="container">
      <p>
        <Link to={`/org/${orgId}/classes/${klass.id}/learning`}>← {t('learning.grid.title', { name: klass.name })}</Link>
      </p>
      <PageHeader title={t('learning.skills.title')} subtitle={t(edit ? 'learning.skills.intro_admin' : 'learning.skills.intro')} />
      {isMessageKey(done) && <Notice kind="success">{t(done)}</Notice>}
      {params.get('error') && <Notice kind="error">{t.or(params.get('error'), t('form.invalid_field'), { code: params.get('code') ?? '' })}</Notice>}
      <DataTable label={t('learning.skills.title')} columns={edit ? editColumns : readColumns} rows={skills} rowKey={(s) => s.id} empty={t('learning.grid.no_skills')} />
      {edit && (
        <Section title={t('learning.skills.new')}>
          <Form method="post" action={action} className="lg-filters">
            <input type="hidden" name="intent" value="create" />
            <SelectField meta={plainField('cycle', { id: 'n-cycle', defaultValue: '3' })} label={t('learning.skills.cycle')}>
              {cycles}
            </SelectField>
            <Field meta={plainField('code', { id: 'n-code', required: true })} label={t('learning.skills.code')} />
            <Field meta={plainField('domain', { id: 'n-domain', required: true })} label={t('learning.skills.domain')} />
            <Field meta={plainField('label', { id: 'n-label', required: true })} label={t('learning.skills.label')} className="grow-field" />
            <button type="submit" disabled={busy}>
              {t('learning.skills.add')}
            </button>
          </Form>
        </Section>
      )}
    </div>
  )
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { createClassSchema } from '~/models/classes/classes.schema'
import { createClass, currentSchoolYear, listClasses, orgTeachers } from '~/models/classes/classes.server'
import { getOrganization } from '~/models/staff/org-home.server'
import { useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { DataTable, Field, FormNotice, Notice, PageHeader, Section, SelectField, StatusBadge, useCarnetForm, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.classes')
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher', 'otherTeacher'], params: { orgId: 'orgA' } } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  await authorize(ctx, 'list', 'Class', { orgId })
  const org = await getOrganization(ctx.db, { orgId })
  const canCreate = can(ctx.ability, 'create', 'Class', { orgId })
  const [classes, teachers] = await Promise.all([listClasses(ctx.db, { ability: ctx.ability, orgId }), canCreate ? orgTeachers(ctx.db, { orgId }) : []])
  return {
    org: { id: org.id, name: org.name },
    classes,
    canCreate,
    teachers: teachers.map((x) => ({ id: x.userId, name: `${x.firstName} ${x.lastName}` })),
    defaultYear: currentSchoolYear(),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  await authorize(ctx, 'list', 'Class', { orgId })
  // Members of the organization only; then the form is checked, then the right to create.
  const form = await readForm(request, createClassSchema, ctx.lang)
  if (!form.ok) return form.reply
  await authorize(ctx, 'create', 'Class', { orgId })
  try {
    const row = await ctx.db.transaction((tx) => createClass(tx, { orgId, ...form.value, leadTeacherId: form.value.leadTeacherId ?? null, by: { actorId: ctx.user.id, ...ctx.origin } }))
    return redirect(`/org/${orgId}/classes/${row.id}?created=1`)
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    return form.error(e, code === 'classes.name_taken' ? 'name' : code.startsWith('classes.school_year') ? 'schoolYear' : undefined)
  }
}

export default function ClassesIndex() {
  const t = useT()
  const { org, classes, canCreate, teachers, defaultYear } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(createClassSchema, { id: 'create-class', defaultValue: { schoolYear: defaultYear } })
  const base = `/org/${org.id}`
  type Row = (typeof classes)[number]
  const columns: Column<Row>[] = [
    {
      header: t('classes.name'),
      cell: (c) => (
        <>
          <Link to={`${base}/classes/${c.id}`}>{c.name}</Link>
          {c.archivedAt && (
            <>
              {' '}
              <StatusBadge>{t('classes.archived')}</StatusBadge>
            </>
          )}
        </>
      ),
    },
    { header: t('classes.level'), cell: (c) => c.level ?? '—' },
    { header: t('classes.school_year'), cell: (c) => c.schoolYear },
    { header: t('classes.children'), cell: (c) => c.childCount },
    {
      header: t('classes.teachers'),
      cell: (c) =>
        c.teachers.length === 0 ? (
          <StatusBadge tone="warn">{t('classes.no_teacher')}</StatusBadge>
        ) : (
          c.teachers.map((x, i) => (
            <span key={x.userId}>
              {i > 0 && ', '}
              {x.firstName} {x.lastName}
              {x.role === 'co' && <span className="muted"> ({t('classes.teacher_role_co')})</span>}
            </span>
          ))
        ),
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('classes.title')} subtitle={org.name} />
      {params.get('deleted') && <Notice kind="success">{t('classes.deleted')}</Notice>}
      <DataTable
        label={t('classes.title')}
        caption={<span className="visually-hidden">{t('classes.title')}</span>}
        columns={columns}
        rows={classes}
        rowKey={(c) => c.id}
        empty={canCreate ? t('classes.empty_admin') : t('classes.empty_teacher')}
      />

      {canCreate && (
        <Section title={t('classes.create_title')}>
          <FormNotice />
          {/* noValidate: each error is said on its field in the teacher's language, not in a browser bubble. */}
          <Form method="post" {...getFormProps(form)} noValidate>
            <Field meta={fields.name} label={t('classes.name')} hint={t('classes.name_hint')} />
            <Field meta={fields.level} label={t('classes.level')} hint={t('classes.level_hint')} />
            <Field meta={fields.schoolYear} label={t('classes.school_year')} hint={t('classes.school_year_hint')} />
            <SelectField
              meta={fields.leadTeacherId}
              label={t('classes.lead_teacher')}
              hint={
                teachers.length === 0 ? (
                  <>
                    {t('classes.no_teachers_yet')} <Link to={`${base}/invitations`}>{t('staff.invite_a_teacher')}</Link>
                  </>
                ) : undefined
              }
            >
              <option value="">{t('classes.lead_teacher_none')}</option>
              {teachers.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </SelectField>
            <button type="submit" disabled={busy}>
              {t('classes.create_submit')}
            </button>
          </Form>
        </Section>
      )}
    </div>
  )
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { createClass, currentSchoolYear, listClasses, orgTeachers } from '~/models/classes/classes.server'
import { getOrganization } from '~/models/staff/org-home.server'
import { t as translate, useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, parseForm, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — classes' }]
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher', 'otherTeacher'], params: { orgId: 'orgA' } } satisfies RouteAccess,
}

const createSchema = z.object({
  name: z.string({ message: 'classes.name_required' }).trim().min(1, 'classes.name_required').max(60, 'classes.name_too_long'),
  level: z.string().trim().max(30).optional(),
  schoolYear: z
    .string({ message: 'classes.school_year_invalid' })
    .trim()
    .regex(/^\d{4}-\d{4}$/, 'classes.school_year_invalid'),
  leadTeacherId: z.string().uuid().optional(),
})

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
  const parsed = parseForm(await request.formData(), createSchema, ctx.lang)
  if (!parsed.ok) return parsed.reply
  await authorize(ctx, 'create', 'Class', { orgId })
  try {
    const row = await ctx.db.transaction((tx) => createClass(tx, { orgId, ...parsed.value, leadTeacherId: parsed.value.leadTeacherId ?? null, by: { actorId: ctx.user.id, ...ctx.origin } }))
    return redirect(`/org/${orgId}/classes/${row.id}?created=1`)
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    const reply = errorReply(e, ctx.lang, code === 'classes.name_taken' ? 'name' : code.startsWith('classes.school_year') ? 'schoolYear' : undefined)
    if (code === 'classes.teacher_unknown') reply.formError = translate(ctx.lang, code)
    return reply
  }
}

export default function ClassesIndex() {
  const t = useT()
  const { org, classes, canCreate, teachers, defaultYear } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const err = (f: string) => reply?.fieldErrors[f]
  const base = `/org/${org.id}`
  return (
    <div className="container">
      <h1>{t('classes.title')}</h1>
      <p className="muted">{org.name}</p>
      {params.get('deleted') && <Notice kind="success">{t('classes.deleted')}</Notice>}
      {classes.length === 0 ? (
        <p>{canCreate ? t('classes.empty_admin') : t('classes.empty_teacher')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden" style={{ position: 'absolute', left: '-9999px' }}>
              {t('classes.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('classes.name')}</th>
                <th scope="col">{t('classes.level')}</th>
                <th scope="col">{t('classes.school_year')}</th>
                <th scope="col">{t('classes.children')}</th>
                <th scope="col">{t('classes.teachers')}</th>
              </tr>
            </thead>
            <tbody>
              {classes.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`${base}/classes/${c.id}`}>{c.name}</Link>
                    {c.archivedAt && (
                      <>
                        {' '}
                        <span className="badge">{t('classes.archived')}</span>
                      </>
                    )}
                  </td>
                  <td>{c.level ?? '—'}</td>
                  <td>{c.schoolYear}</td>
                  <td>{c.childCount}</td>
                  <td>
                    {c.teachers.length === 0 ? (
                      <span className="badge warn">{t('classes.no_teacher')}</span>
                    ) : (
                      c.teachers.map((x, i) => (
                        <span key={x.userId}>
                          {i > 0 && ', '}
                          {x.firstName} {x.lastName}
                          {x.role === 'co' && <span className="muted"> ({t('classes.teacher_role_co')})</span>}
                        </span>
                      ))
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canCreate && (
        <section className="card" aria-labelledby="create-title">
          <h2 id="create-title">{t('classes.create_title')}</h2>
          {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
          <Form method="post" noValidate>
            <Field name="name" label={t('classes.name')} hint={t('classes.name_hint')} error={err('name')} required />
            <Field name="level" label={t('classes.level')} hint={t('classes.level_hint')} error={err('level')} />
            <Field name="schoolYear" label={t('classes.school_year')} hint={t('classes.school_year_hint')} defaultValue={defaultYear} error={err('schoolYear')} required />
            <div className="field">
              <label htmlFor="f-leadTeacherId">{t('classes.lead_teacher')}</label>
              <select id="f-leadTeacherId" name="leadTeacherId" defaultValue="">
                <option value="">{t('classes.lead_teacher_none')}</option>
                {teachers.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
              {teachers.length === 0 && (
                <p className="hint">
                  {t('classes.no_teachers_yet')} <Link to={`${base}/invitations`}>{t('staff.invite_a_teacher')}</Link>
                </p>
              )}
            </div>
            <button type="submit" disabled={busy}>
              {t('classes.create_submit')}
            </button>
          </Form>
        </section>
      )}
    </div>
  )
}

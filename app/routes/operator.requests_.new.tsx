import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { now } from '~/clock.server'
import { fromParis, parisParts } from '~/compliance/calendar.server'
import { useT } from '~/i18n'
import { DSR_KINDS } from '~/privacy/rights-requests/constants'
import { createReceivedRequest, matchSubject } from '~/privacy/rights-requests/intake.server'
import { enqueueDsrForward } from '~/privacy/rights-requests/jobs.server'
import { allOrganizations } from '~/privacy/rights-requests/queries.server'
import { nameField, optionalNameField } from '~/names'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, parseForm, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — opérateur : enregistrer une demande' }]
// The operator logs a request received by email or post; its 48 hours run from the date it arrived.
export const handle = { access: { allow: [], note: 'platform operator only (platform_operators)' } satisfies RouteAccess }

async function operator(request: Request) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'create', 'RightsRequest', {})
  return ctx
}

const pad = (n: number) => String(n).padStart(2, '0')

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await operator(request)
  const p = parisParts(now())
  return { orgs: await allOrganizations(ctx.db), nowLocal: `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}` }
}

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || null)
const schema = z.object({
  orgId: z.uuid('dsr.form.school_required'),
  via: z.enum(['email', 'post'], { message: 'dsr.operator.via_required' }),
  receivedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'dsr.operator.date_required'),
  kind: z.enum(DSR_KINDS, { message: 'dsr.form.kind_required' }),
  relation: z.enum(['guardian', 'self', 'representative'], { message: 'dsr.form.relation_required' }),
  requesterName: nameField('dsr.form.name_required', { min: 2, max: 120 }),
  requesterEmail: z.string().trim().toLowerCase().email('dsr.form.email_invalid').max(254),
  subjectFirstName: optionalNameField(),
  subjectLastName: optionalNameField(),
  subjectBirthDate: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'dsr.form.birth_date_invalid')
    .optional()
    .transform((v) => v || null),
  message: text(4000),
})

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await operator(request)
  const parsed = parseForm(await request.formData(), schema, ctx.lang)
  if (!parsed.ok) return parsed.reply
  const v = parsed.value
  const [d, time] = v.receivedAt.split('T') as [string, string]
  const [y, m, day] = d.split('-').map(Number) as [number, number, number]
  const [hh, mm] = time.split(':').map(Number) as [number, number]
  const receivedAt = fromParis(y, m, day, hh, mm)
  try {
    const subjectId = await matchSubject(ctx.db, {
      orgId: v.orgId,
      relation: v.relation,
      firstName: v.subjectFirstName,
      lastName: v.subjectLastName,
      birthDate: v.subjectBirthDate,
      email: v.requesterEmail,
    })
    const row = await createReceivedRequest(ctx.db, {
      orgId: v.orgId,
      kind: v.kind,
      channel: 'operator_log',
      subjectId,
      subjectName: v.relation === 'self' ? v.requesterName : [v.subjectFirstName, v.subjectLastName].filter(Boolean).join(' ') || null,
      subjectBirthDate: v.subjectBirthDate,
      requesterEmail: v.requesterEmail,
      requesterName: v.requesterName,
      relation: v.relation,
      message: v.message,
      lang: ctx.lang,
      receivedAt,
      loggedBy: ctx.user.id,
      actorId: ctx.user.id,
      origin: ctx.origin,
      how: v.via,
    })
    await enqueueDsrForward(row.id)
    return redirect('/operator/requests')
  } catch (e) {
    return errorReply(e, ctx.lang, 'receivedAt')
  }
}

export default function OperatorLogRequest() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const err = (n: string) => reply?.fieldErrors?.[n]
  const select = (name: string, label: string, options: { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} required defaultValue="">
        <option value="" disabled>
          {t('dsr.form.choose')}
        </option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {err(name) && (
        <p className="error" role="alert">
          {err(name)}
        </p>
      )}
    </div>
  )
  return (
    <div className="container narrow">
      <p>
        <Link to="/operator/requests">← {t('dsr.operator.title')}</Link>
      </p>
      <h1>{t('dsr.operator.log')}</h1>
      <p className="muted">{t('dsr.operator.log_intro')}</p>
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <Form method="post" className="card">
        {select(
          'orgId',
          t('dsr.operator.org'),
          data.orgs.map((o) => ({ value: o.id, label: `${o.name} (${t(`kind.${o.kind}`)})` })),
        )}
        {select('via', t('dsr.operator.via'), [
          { value: 'email', label: t('dsr.operator.via_email') },
          { value: 'post', label: t('dsr.operator.via_post') },
        ])}
        <Field name="receivedAt" type="datetime-local" label={t('dsr.operator.received_at')} defaultValue={data.nowLocal} required error={err('receivedAt')} />
        {select(
          'kind',
          t('dsr.form.kind'),
          DSR_KINDS.map((k) => ({ value: k, label: t(`dsr.kind_long.${k}`) })),
        )}
        {select(
          'relation',
          t('dsr.form.relation_operator'),
          (['guardian', 'self', 'representative'] as const).map((r) => ({ value: r, label: t(`dsr.relation_third.${r}`) })),
        )}
        <Field name="requesterName" label={t('dsr.form.requester_name')} required error={err('requesterName')} />
        <Field name="requesterEmail" type="email" label={t('dsr.form.requester_email')} required error={err('requesterEmail')} />
        <Field name="subjectFirstName" label={t('dsr.form.subject_first_name')} error={err('subjectFirstName')} />
        <Field name="subjectLastName" label={t('dsr.form.subject_last_name')} error={err('subjectLastName')} />
        <Field name="subjectBirthDate" type="date" label={t('dsr.form.subject_birth_date')} error={err('subjectBirthDate')} />
        <div className="field">
          <label htmlFor="f-message">{t('dsr.operator.content')}</label>
          <textarea id="f-message" name="message" rows={5} maxLength={4000} />
        </div>
        <button type="submit" disabled={busy}>
          {t('dsr.operator.save')}
        </button>
      </Form>
    </div>
  )
}

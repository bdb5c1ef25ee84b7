import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { now } from '~/clock.server'
import { fromParis, parisParts } from '~/compliance/calendar.server'
import { useT } from '~/i18n'
import { DSR_KINDS } from '~/privacy/rights-requests/constants'
import { createReceivedRequest, matchSubject } from '~/privacy/rights-requests/intake.server'
import { enqueueDsrForward } from '~/privacy/rights-requests/jobs.server'
import { operatorLogSchema, REQUESTER_RELATIONS } from '~/privacy/rights-requests/intake.schema'
import { allOrganizations } from '~/privacy/rights-requests/queries.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, PageHeader, SelectField, TextareaField, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.op_request_new')
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

// One form: the request as it arrived.
const schema = z.discriminatedUnion('intent', [operatorLogSchema.extend({ intent: z.literal('log') })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await operator(request)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
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
    return form.error(e, 'receivedAt')
  }
}

export default function OperatorLogRequest() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'log', defaultValue: { intent: 'log', receivedAt: data.nowLocal } })
  const choose = <option value="">{t('dsr.form.choose')}</option>
  return (
    <div className="container narrow">
      <p>
        <Link to="/operator/requests">← {t('dsr.operator.title')}</Link>
      </p>
      <PageHeader title={t('dsr.operator.log')} subtitle={t('dsr.operator.log_intro')} />
      <FormNotice />
      <Form method="post" className="card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="log" />
        <SelectField meta={fields.orgId} label={t('dsr.operator.org')}>
          {choose}
          {data.orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({t(`kind.${o.kind}`)})
            </option>
          ))}
        </SelectField>
        <SelectField meta={fields.via} label={t('dsr.operator.via')}>
          {choose}
          <option value="email">{t('dsr.operator.via_email')}</option>
          <option value="post">{t('dsr.operator.via_post')}</option>
        </SelectField>
        <Field meta={fields.receivedAt} type="datetime-local" label={t('dsr.operator.received_at')} />
        <SelectField meta={fields.kind} label={t('dsr.form.kind')}>
          {choose}
          {DSR_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`dsr.kind_long.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField meta={fields.relation} label={t('dsr.form.relation_operator')}>
          {choose}
          {REQUESTER_RELATIONS.map((r) => (
            <option key={r} value={r}>
              {t(`dsr.relation_third.${r}`)}
            </option>
          ))}
        </SelectField>
        <Field meta={fields.requesterName} label={t('dsr.form.requester_name')} />
        <Field meta={fields.requesterEmail} type="email" label={t('dsr.form.requester_email')} />
        <Field meta={fields.subjectFirstName} label={t('dsr.form.subject_first_name')} />
        <Field meta={fields.subjectLastName} label={t('dsr.form.subject_last_name')} />
        <Field meta={fields.subjectBirthDate} type="date" label={t('dsr.form.subject_birth_date')} />
        <TextareaField meta={fields.message} label={t('dsr.operator.content')} rows={5} />
        <button type="submit" disabled={busy}>
          {t('dsr.operator.save')}
        </button>
      </Form>
    </div>
  )
}

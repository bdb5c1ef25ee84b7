import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { DSR_KINDS } from '~/privacy/rights-requests/constants'
import { publicSchools, submitPublicRequest } from '~/privacy/rights-requests/intake.server'
import { publicRequestSchema, REQUESTER_RELATIONS } from '~/privacy/rights-requests/intake.schema'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, Notice, PageHeader, SelectField, TextareaField, useCarnetForm } from '~/ui/kit'

export const meta: MetaFunction = () => [{ title: 'Carnet — exercer vos droits (RGPD)' }]
// Public: no account needed. The request counts once the emailed code is typed (verify page).
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  const user = await getOptionalUser(request)
  return { schools: await publicSchools(ctx.db), signedIn: !!user && user.user.kind === 'adult' }
}

// One form: the request, about oneself or a child.
const schema = z.discriminatedUnion('intent', [publicRequestSchema.extend({ intent: z.literal('submit') })])

export async function action({ request }: ActionFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  try {
    const { intent: _intent, ...input } = form.value
    const row = await submitPublicRequest(ctx.db, { ...input, lang: ctx.lang, origin: ctx.origin })
    return redirect(`/rights-request/verify?id=${row.id}`)
  } catch (e) {
    return form.error(e)
  }
}

export default function RightsRequestPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'submit' })
  // The choices start on "Choose…" (an empty value the form refuses): nothing is picked for the person.
  const choose = <option value="">{t('dsr.form.choose')}</option>
  return (
    <div className="container narrow">
      <PageHeader title={t('dsr.form.title')} />
      <p>{t('dsr.form.intro')}</p>
      {data.signedIn && (
        <Notice>
          {t('dsr.form.signed_in')} <Link to="/rights-request/account">{t('dsr.form.signed_in_link')}</Link>
        </Notice>
      )}
      <FormNotice />
      <Form method="post" className="card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="submit" />
        <SelectField meta={fields.orgId} label={t('dsr.form.school')} hint={t('dsr.form.school_hint')}>
          {choose}
          {data.schools.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField meta={fields.kind} label={t('dsr.form.kind')}>
          {choose}
          {DSR_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`dsr.kind_long.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField meta={fields.relation} label={t('dsr.form.relation')}>
          {choose}
          {REQUESTER_RELATIONS.map((r) => (
            <option key={r} value={r}>
              {t(`dsr.relation.${r}`)}
            </option>
          ))}
        </SelectField>
        <fieldset className="card">
          <legend>{t('dsr.form.subject_legend')}</legend>
          <p className="hint">{t('dsr.form.subject_hint')}</p>
          <Field meta={fields.subjectFirstName} label={t('dsr.form.subject_first_name')} autoComplete="off" />
          <Field meta={fields.subjectLastName} label={t('dsr.form.subject_last_name')} autoComplete="off" />
          <Field meta={fields.subjectBirthDate} type="date" label={t('dsr.form.subject_birth_date')} />
        </fieldset>
        <Field meta={fields.requesterName} label={t('dsr.form.your_name')} autoComplete="name" />
        <Field meta={fields.requesterEmail} type="email" label={t('dsr.form.your_email')} hint={t('dsr.form.your_email_hint')} autoComplete="email" />
        <TextareaField meta={fields.message} label={t('dsr.form.message')} hint={t('dsr.form.message_hint')} rows={5} />
        <p className="hint">{t('dsr.form.privacy')}</p>
        <button type="submit" disabled={busy}>
          {t('dsr.form.submit')}
        </button>
      </Form>
    </div>
  )
}

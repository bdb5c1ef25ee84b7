import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DSR_KINDS } from '~/privacy/rights-requests/constants'
import { publicRequestSchema, publicSchools, submitPublicRequest } from '~/privacy/rights-requests/intake.server'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { errorReply, parseForm, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — exercer vos droits (RGPD)' }]
// Public: no account needed. The request counts once the emailed code is typed (verify page).
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  const user = await getOptionalUser(request)
  return { schools: await publicSchools(ctx.db), signedIn: !!user && user.user.kind === 'adult' }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const parsed = parseForm(await request.formData(), publicRequestSchema, ctx.lang)
  if (!parsed.ok) return parsed.reply
  try {
    const row = await submitPublicRequest(ctx.db, { ...parsed.value, lang: ctx.lang, origin: ctx.origin })
    return redirect(`/rights-request/verify?id=${row.id}`)
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

const SELECT_FIELD = { display: 'flex', flexDirection: 'column', gap: '.25rem', marginBottom: '1rem' } as const

export default function RightsRequestPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const err = (name: string) => reply?.fieldErrors?.[name]
  const select = (name: string, label: string, options: { value: string; label: string }[], hint?: string) => (
    <div className={`field${err(name) ? ' has-error' : ''}`} style={SELECT_FIELD}>
      <label htmlFor={`f-${name}`}>{label}</label>
      {hint && (
        <p className="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
      )}
      <select
        id={`f-${name}`}
        name={name}
        required
        defaultValue=""
        aria-invalid={err(name) ? true : undefined}
        aria-describedby={[hint ? `f-${name}-hint` : '', err(name) ? `f-${name}-error` : ''].filter(Boolean).join(' ') || undefined}
      >
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
        <p className="error" id={`f-${name}-error`} role="alert">
          {err(name)}
        </p>
      )}
    </div>
  )
  return (
    <div className="container narrow">
      <h1>{t('dsr.form.title')}</h1>
      <p>{t('dsr.form.intro')}</p>
      {data.signedIn && (
        <Notice>
          {t('dsr.form.signed_in')} <Link to="/rights-request/account">{t('dsr.form.signed_in_link')}</Link>
        </Notice>
      )}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <Form method="post" className="card">
        {select(
          'orgId',
          t('dsr.form.school'),
          data.schools.map((s) => ({ value: s.id, label: s.name })),
          t('dsr.form.school_hint'),
        )}
        {select(
          'kind',
          t('dsr.form.kind'),
          DSR_KINDS.map((k) => ({ value: k, label: t(`dsr.kind_long.${k}`) })),
        )}
        {select(
          'relation',
          t('dsr.form.relation'),
          (['guardian', 'self', 'representative'] as const).map((r) => ({ value: r, label: t(`dsr.relation.${r}`) })),
        )}
        <fieldset className="card" style={{ marginBottom: '1rem' }}>
          <legend>{t('dsr.form.subject_legend')}</legend>
          <p className="hint">{t('dsr.form.subject_hint')}</p>
          <Field name="subjectFirstName" label={t('dsr.form.subject_first_name')} autoComplete="off" error={err('subjectFirstName')} />
          <Field name="subjectLastName" label={t('dsr.form.subject_last_name')} autoComplete="off" error={err('subjectLastName')} />
          <Field name="subjectBirthDate" type="date" label={t('dsr.form.subject_birth_date')} error={err('subjectBirthDate')} />
        </fieldset>
        <Field name="requesterName" label={t('dsr.form.your_name')} autoComplete="name" required error={err('requesterName')} />
        <Field name="requesterEmail" type="email" label={t('dsr.form.your_email')} hint={t('dsr.form.your_email_hint')} autoComplete="email" required error={err('requesterEmail')} />
        <div className="field">
          <label htmlFor="f-message">{t('dsr.form.message')}</label>
          <p className="hint" id="f-message-hint">
            {t('dsr.form.message_hint')}
          </p>
          <textarea id="f-message" name="message" rows={5} maxLength={4000} aria-describedby="f-message-hint" />
        </div>
        <p className="hint">{t('dsr.form.privacy')}</p>
        <button type="submit" disabled={busy}>
          {t('dsr.form.submit')}
        </button>
      </Form>
    </div>
  )
}

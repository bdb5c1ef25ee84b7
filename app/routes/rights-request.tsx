import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation, useSubmit } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { z } from 'zod'
import { DSR_KINDS, SCHOOL_SEARCH_MAX as MAX_RESULTS, SCHOOL_SEARCH_MIN as MIN_QUERY } from '~/privacy/rights-requests/constants'
import { DomainError } from '~/errors.server'
import { submitPublicRequest } from '~/privacy/rights-requests/intake.server'
import { searchSchools } from '~/privacy/rights-requests/school-search.server'
import { publicRequestSchema, REQUESTER_RELATIONS } from '~/privacy/rights-requests/intake.schema'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ChoiceField, Field, FormNotice, Notice, PageHeader, plainField, SelectField, TextareaField, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.rights_request')
// Public: no account needed. The request counts once the emailed code is typed (verify page).
// The school is found by search (?school=, a GET form: works without JavaScript; with it, the
// results follow the typing), never picked from a list of every school (school-search.server.ts).
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  const user = await getOptionalUser(request)
  const query = (new URL(request.url).searchParams.get('school') ?? '').slice(0, 100)
  return { query, search: await searchSchools(ctx.db, query), signedIn: !!user && user.user.kind === 'adult' }
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
    return form.error(e, e instanceof DomainError && e.code === 'dsr.form.school_unknown' ? 'orgId' : undefined)
  }
}

/** The school search: a GET form; with JavaScript it runs as the person types (a pause of 300 ms, from MIN_QUERY characters). */
function SchoolSearch({ query }: { query: string }) {
  const t = useT()
  const submit = useSubmit()
  const timer = useRef<ReturnType<typeof setTimeout>>()
  useEffect(() => () => clearTimeout(timer.current), [])
  return (
    <Form
      method="get"
      role="search"
      aria-label={t('dsr.search.label')}
      className="card"
      onChange={(e) => {
        const form = e.currentTarget
        const value = new FormData(form).get('school')?.toString().trim() ?? ''
        clearTimeout(timer.current)
        if (value.replace(/[^\p{L}\p{N}]/gu, '').length >= MIN_QUERY) timer.current = setTimeout(() => submit(form, { replace: true, preventScrollReset: true }), 300)
      }}
    >
      <Field meta={plainField('school', { defaultValue: query })} type="search" label={t('dsr.search.label')} hint={t('dsr.search.hint', { min: MIN_QUERY })} autoComplete="off" maxLength={100} />
      <button type="submit" className="secondary">
        {t('dsr.search.submit')}
      </button>
    </Form>
  )
}

export default function RightsRequestPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'submit' })
  const schools = data.search.state === 'found' ? data.search.schools : []
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
      <SchoolSearch query={data.query} />
      <div aria-live="polite">
        {data.search.state === 'too_short' && <Notice kind="error">{t('dsr.search.too_short', { min: data.search.min })}</Notice>}
        {data.search.state === 'found' && data.search.schools.length === 0 && <Notice kind="error">{t('dsr.search.none', { query: data.query })}</Notice>}
        {data.search.state === 'found' && data.search.more && <Notice>{t('dsr.search.more', { max: MAX_RESULTS })}</Notice>}
      </div>
      <Form method="post" className="card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="submit" />
        {schools.length > 0 ? (
          <ChoiceField
            meta={fields.orgId}
            legend={t('dsr.search.results')}
            hint={t('dsr.form.school_hint')}
            options={schools.map((s) => ({ value: s.id, label: s.name, hint: [s.city, s.officialCode].filter(Boolean).join(' · ') || undefined }))}
          />
        ) : (
          <fieldset className={`field${fields.orgId.errors?.length ? ' has-error' : ''}`}>
            <legend>{t('dsr.search.results')}</legend>
            {fields.orgId.errors?.length ? (
              <p className="error" id={fields.orgId.errorId} role="alert">
                {fields.orgId.errors.join(' ')}
              </p>
            ) : (
              <p className="hint">{t('dsr.search.first')}</p>
            )}
          </fieldset>
        )}
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

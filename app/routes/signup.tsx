import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { currentDocument } from '~/compliance/legal-documents.server'
import { signUp, signupSchema } from '~/auth/signup.server'
import { createSession, sessionCookie } from '~/auth/session.server'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { errorReply, parseForm, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — inscription' }]
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  const terms = await currentDocument(ctx.db, 'terms', ctx.lang)
  return { versions: { terms: terms.version } }
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const parsed = parseForm(await request.formData(), signupSchema, ctx.lang)
  if (!parsed.ok) return parsed.reply
  try {
    const { user } = await signUp(ctx.db, { ...parsed.value, lang: ctx.lang, origin: ctx.origin })
    const { token } = await createSession(ctx.db, user.id, { kind: 'adult', ...ctx.origin })
    return redirect('/home?welcome=1', { headers: { 'Set-Cookie': sessionCookie(token, 'adult') } })
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    return errorReply(e, ctx.lang, code.startsWith('password.') ? 'password' : code === 'signup.email_taken' ? 'email' : undefined)
  }
}

export default function Signup() {
  const t = useT()
  const reply = useActionData<FormReply>()
  const { versions } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const err = (f: string) => reply?.fieldErrors[f]
  return (
    <div className="container narrow">
      <h1>{t('signup.title')}</h1>
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <Form method="post" className="card" noValidate>
        <fieldset className="field">
          <legend>{t('signup.org_kind')}</legend>
          {(['school', 'family', 'practice'] as const).map((k) => (
            <label key={k} className="checkbox">
              <input type="radio" name="orgKind" value={k} defaultChecked={k === 'school'} /> {t(`kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <Field name="orgName" label={t('signup.org_name')} error={err('orgName')} required />
        <Field name="firstName" label={t('signup.first_name')} error={err('firstName')} autoComplete="given-name" required />
        <Field name="lastName" label={t('signup.last_name')} error={err('lastName')} autoComplete="family-name" required />
        <Field name="email" type="email" label={t('signup.email')} error={err('email')} autoComplete="email" required />
        <Field name="password" type="password" label={t('signup.password')} hint={t('signup.password_hint')} error={err('password')} autoComplete="new-password" required />
        <div className={`checkbox${err('acceptTerms') ? ' has-error' : ''}`}>
          <input id="f-acceptTerms" type="checkbox" name="acceptTerms" aria-describedby={err('acceptTerms') ? 'f-acceptTerms-error' : undefined} />
          <label htmlFor="f-acceptTerms">{t('signup.accept_label', { version: versions.terms })}</label>
        </div>
        <p className="hint">
          <Link to="/legal/terms" target="_blank">
            {t('signup.terms_link')}
          </Link>{' '}
          ·{' '}
          <Link to="/legal/privacy" target="_blank">
            {t('signup.privacy_link')}
          </Link>
        </p>
        {err('acceptTerms') && (
          <p className="error" id="f-acceptTerms-error" role="alert">
            {err('acceptTerms')}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signup.submit')}
        </button>
      </Form>
    </div>
  )
}

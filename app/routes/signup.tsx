import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { currentDocument } from '~/compliance/legal-documents.server'
import { signUp } from '~/auth/signup.server'
import { ORG_KINDS, signupSchema } from '~/auth/signup.schema'
import { createSession, sessionCookie } from '~/auth/session.server'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { CheckboxField, ChoiceField, Field, FormNotice, PageHeader, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.signup')
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  const terms = await currentDocument(ctx.db, 'terms', ctx.lang)
  return { versions: { terms: terms.version } }
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const form = await readForm(request, signupSchema, ctx.lang, { secrets: ['password'] })
  if (!form.ok) return form.reply
  try {
    const { user } = await signUp(ctx.db, { ...form.value, lang: ctx.lang, origin: ctx.origin })
    const { token } = await createSession(ctx.db, user.id, { kind: 'adult', ...ctx.origin })
    return redirect('/home?welcome=1', { headers: { 'Set-Cookie': sessionCookie(token, 'adult') } })
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    return form.error(e, code.startsWith('password.') ? 'password' : code === 'signup.email_taken' ? 'email' : undefined)
  }
}

export default function Signup() {
  const t = useT()
  const { versions } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(signupSchema, { id: 'signup', defaultValue: { orgKind: 'school' } })
  return (
    <div className="container narrow">
      <PageHeader title={t('signup.title')} />
      <FormNotice />
      {/* noValidate: every error is said on its field in the person's language (the server's
          answer without JavaScript), never in the browser's own bubble. */}
      <Form method="post" className="card" {...getFormProps(form)} noValidate>
        <ChoiceField meta={fields.orgKind} legend={t('signup.org_kind')} options={ORG_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
        <Field meta={fields.orgName} label={t('signup.org_name')} />
        <Field meta={fields.orgCity} label={t('signup.org_city')} hint={t('signup.org_school_only')} autoComplete="address-level2" />
        <Field meta={fields.orgCode} label={t('signup.org_code')} hint={t('signup.org_school_only')} autoComplete="off" />
        <Field meta={fields.firstName} label={t('signup.first_name')} autoComplete="given-name" />
        <Field meta={fields.lastName} label={t('signup.last_name')} autoComplete="family-name" />
        <Field meta={fields.email} type="email" label={t('signup.email')} autoComplete="email" />
        <Field meta={fields.password} type="password" label={t('signup.password')} hint={t('signup.password_hint')} autoComplete="new-password" />
        <CheckboxField
          meta={fields.acceptTerms}
          label={t('signup.accept_label', { version: versions.terms })}
          hint={
            <>
              <Link to="/legal/terms" target="_blank">
                {t('signup.terms_link')}
              </Link>{' '}
              ·{' '}
              <Link to="/legal/privacy" target="_blank">
                {t('signup.privacy_link')}
              </Link>
            </>
          }
        />
        <button type="submit" disabled={busy}>
          {t('signup.submit')}
        </button>
      </Form>
    </div>
  )
}

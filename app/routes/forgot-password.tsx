import { type ActionFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { requestPasswordReset } from '~/auth/email-tokens.server'
import { forgotPasswordSchema } from '~/auth/password-reset.schema'
import { recordAudit } from '~/compliance/audit.server'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, PageHeader, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.forgot')
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function action({ request }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const form = await readForm(request, forgotPasswordSchema, ctx.lang)
  if (!form.ok) return form.reply
  await requestPasswordReset(ctx.db, form.value.email, ctx.lang)
  await recordAudit(ctx.db, { action: 'auth.password_reset_requested', ...ctx.origin })
  // Same answer whether or not the address has an account.
  return form.success(translate(ctx.lang, 'forgot.sent'))
}

export default function ForgotPassword() {
  const t = useT()
  const [form, fields] = useCarnetForm(forgotPasswordSchema, { id: 'forgot' })
  return (
    <div className="container narrow">
      <PageHeader title={t('forgot.title')} />
      <FormNotice />
      <Form method="post" className="card" {...getFormProps(form)}>
        <p>{t('forgot.body')}</p>
        <Field meta={fields.email} type="email" label={t('signup.email')} autoComplete="email" />
        <button type="submit">{t('forgot.submit')}</button>
      </Form>
    </div>
  )
}

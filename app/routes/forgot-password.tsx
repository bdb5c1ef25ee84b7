import { type ActionFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { requestPasswordReset } from '~/auth/email-tokens.server'
import { recordAudit } from '~/compliance/audit.server'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function action({ request }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const email = String((await request.formData()).get('email') ?? '')
  await requestPasswordReset(ctx.db, email, ctx.lang)
  await recordAudit(ctx.db, { action: 'auth.password_reset_requested', ...ctx.origin })
  // Same answer whether or not the address has an account.
  return successReply(translate(ctx.lang, 'forgot.sent'))
}

export default function ForgotPassword() {
  const t = useT()
  const reply = useActionData<FormReply>()
  return (
    <div className="container narrow">
      <h1>{t('forgot.title')}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      <Form method="post" className="card">
        <p>{t('forgot.body')}</p>
        <Field name="email" type="email" label={t('signup.email')} autoComplete="email" required />
        <button type="submit">{t('forgot.submit')}</button>
      </Form>
    </div>
  )
}

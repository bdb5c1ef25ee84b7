import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { resetPassword } from '~/auth/password-change.server'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { errorReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const handle = { access: { allow: 'everyone', params: { token: 'token' } } satisfies RouteAccess }

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const password = String((await request.formData()).get('password') ?? '')
  try {
    await resetPassword(ctx.db, { token: params.token ?? '', password, origin: ctx.origin })
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    return errorReply(e, ctx.lang, code.startsWith('password.') ? 'password' : undefined)
  }
  return redirect('/login?reset=1')
}

export default function ResetPassword() {
  const t = useT()
  const reply = useActionData<FormReply>()
  return (
    <div className="container narrow">
      <h1>{t('reset.title')}</h1>
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <Form method="post" className="card">
        <Field name="password" type="password" label={t('account.new_password')} hint={t('signup.password_hint')} error={reply?.fieldErrors.password} autoComplete="new-password" required />
        <button type="submit">{t('reset.submit')}</button>
      </Form>
    </div>
  )
}

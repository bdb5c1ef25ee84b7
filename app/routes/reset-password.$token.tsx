import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { resetPassword } from '~/auth/password-change.server'
import { resetPasswordSchema } from '~/auth/password-reset.schema'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, PageHeader, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.reset')
export const handle = { access: { allow: 'everyone', params: { token: 'token' } } satisfies RouteAccess }

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const form = await readForm(request, resetPasswordSchema, ctx.lang, { secrets: ['password'] })
  if (!form.ok) return form.reply
  try {
    await resetPassword(ctx.db, { token: params.token ?? '', password: form.value.password, origin: ctx.origin })
  } catch (e) {
    // The password policy's answer on the field; a used or expired link for the whole form.
    const code = (e as { code?: string }).code ?? ''
    return form.error(e, code.startsWith('password.') ? 'password' : undefined)
  }
  return redirect('/login?reset=1')
}

export default function ResetPassword() {
  const t = useT()
  const [form, fields] = useCarnetForm(resetPasswordSchema, { id: 'reset' })
  return (
    <div className="container narrow">
      <PageHeader title={t('reset.title')} />
      <FormNotice />
      <Form method="post" className="card" {...getFormProps(form)}>
        <Field meta={fields.password} type="password" label={t('account.new_password')} hint={t('signup.password_hint')} autoComplete="new-password" />
        <button type="submit">{t('reset.submit')}</button>
      </Form>
    </div>
  )
}

import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { sendVerificationEmail } from '~/auth/email-tokens.server'
import { changePassword } from '~/auth/password-change.server'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { deny, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

// Children have no password of their own to change here: their teacher manages it.
export const handle = { access: { allow: 'adults' } satisfies RouteAccess }

async function requireAdult(request: Request) {
  const ctx = await requireAbility(request)
  if (ctx.user.kind !== 'adult') await deny(ctx, 'read', 'Account', ctx.user.id)
  return ctx
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAdult(request)
  return { email: ctx.user.email, verified: !!ctx.user.emailVerifiedAt, name: `${ctx.user.firstName} ${ctx.user.lastName}` }
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAdult(request)
  const form = await request.formData()
  if (form.get('intent') === 'resend-verification') {
    if (ctx.user.email && !ctx.user.emailVerifiedAt) await sendVerificationEmail(ctx.db, { id: ctx.user.id, email: ctx.user.email }, ctx.lang)
    return successReply(translate(ctx.lang, 'verify.resent'))
  }
  try {
    await changePassword(ctx.db, {
      userId: ctx.user.id,
      sessionId: ctx.session.id,
      current: String(form.get('current') ?? ''),
      next: String(form.get('next') ?? ''),
      origin: ctx.origin,
    })
    return successReply(translate(ctx.lang, 'account.password_changed'))
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    return errorReply(e, ctx.lang, code === 'account.wrong_password' ? 'current' : 'next')
  }
}

export default function Account() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  return (
    <div className="container narrow">
      <h1>{t('account.title')}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      <section className="card">
        <p>
          <strong>{data.name}</strong>
          <br />
          {data.email}
        </p>
        {!data.verified && (
          <Form method="post" className="actions">
            <span>{t('verify.pending')}</span>
            <button type="submit" name="intent" value="resend-verification" className="secondary">
              {t('verify.resend')}
            </button>
          </Form>
        )}
        <p>
          <Link to="/account/devices">{t('account.devices')}</Link>
        </p>
        <p>
          <Link to="/account/delete">{t('retention.nav.delete_account')}</Link>
        </p>
      </section>
      <Form method="post" className="card">
        <h2>{t('account.change_password')}</h2>
        <Field name="current" type="password" label={t('account.current_password')} error={reply?.fieldErrors.current} autoComplete="current-password" required />
        <Field name="next" type="password" label={t('account.new_password')} hint={t('signup.password_hint')} error={reply?.fieldErrors.next} autoComplete="new-password" required />
        <button type="submit" name="intent" value="change-password">
          {t('account.change_password')}
        </button>
      </Form>
    </div>
  )
}

import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { sendVerificationEmail } from '~/auth/email-tokens.server'
import { changePassword } from '~/auth/password-change.server'
import { changePasswordSchema } from '~/auth/password-change.schema'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { deny, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, PageHeader, Section, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

// Children have no password of their own to change here: their teacher manages it.
export const meta = pageTitle('title.account')
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

// The page's forms: re-send the verification email, or change the password.
const schema = z.discriminatedUnion('intent', [z.object({ intent: z.literal('resend-verification') }), changePasswordSchema.extend({ intent: z.literal('change-password') })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAdult(request)
  const form = await readForm(request, schema, ctx.lang, { secrets: ['current', 'next'] })
  if (!form.ok) return form.reply
  const v = form.value
  if (v.intent === 'resend-verification') {
    if (ctx.user.email && !ctx.user.emailVerifiedAt) await sendVerificationEmail(ctx.db, { id: ctx.user.id, email: ctx.user.email }, ctx.lang)
    return form.success(translate(ctx.lang, 'verify.resent'))
  }
  try {
    await changePassword(ctx.db, { userId: ctx.user.id, sessionId: ctx.session.id, current: v.current, next: v.next, origin: ctx.origin })
    return form.success(translate(ctx.lang, 'account.password_changed'))
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    return form.error(e, code === 'account.wrong_password' ? 'current' : 'next')
  }
}

export default function Account() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const [form, fields] = useCarnetForm(schema, { intent: 'change-password' })
  return (
    <div className="container narrow">
      <PageHeader title={t('account.title')} />
      <FormNotice />
      <div className="card">
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
        <p>
          <Link to="/account/requests">{t('nav.my_requests')}</Link> · <Link to="/privacy">{t('nav.rights')}</Link>
        </p>
      </div>
      <Section title={t('account.change_password')}>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="change-password" />
          <Field meta={fields.current} type="password" label={t('account.current_password')} autoComplete="current-password" />
          <Field meta={fields.next} type="password" label={t('account.new_password')} hint={t('signup.password_hint')} autoComplete="new-password" />
          <button type="submit">{t('account.change_password')}</button>
        </Form>
      </Section>
    </div>
  )
}

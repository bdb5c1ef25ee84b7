import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useNavigation, useSearchParams } from '@remix-run/react'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { loginSchema } from '~/auth/login.schema'
import { sessionCookie } from '~/auth/session.server'
import { retryMinutes } from '~/auth/throttle.server'
import { DomainError } from '~/errors.server'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { safeNext } from '~/ui/redirects'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, Notice, PageHeader, useFormAnswer } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.login')
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect(safeNext(new URL(request.url).searchParams.get('next')))
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const form = await readForm(request, loginSchema, ctx.lang, { secrets: ['password'] })
  if (!form.ok) return form.reply
  const { identifier, password, next } = form.value
  const result = await loginWithPassword(ctx.db, identifier, password, ctx.origin)
  if (result.ok) {
    return redirect(safeNext(next ?? ''), { headers: { 'Set-Cookie': sessionCookie(result.token, 'adult') } })
  }
  // Said for the whole form: which of the two was wrong is not told (same answer, same time).
  return form.error(result.reason === 'throttled' ? new DomainError('login.throttled', { minutes: retryMinutes(result.retryAfterSeconds) }) : new DomainError(`login.${result.reason}`))
}

/** The wait shown after an unlock ended the session (from the query: a figure, kept in range). */
function unlockRetry(v: string | null) {
  const n = Math.round(Number(v))
  return Number.isFinite(n) && n >= 1 && n <= 15 ? n : 15
}

export default function Login() {
  const t = useT()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  // Checked on the server (readForm) and by the browser's constraints: no form library in this
  // page's first load, the first page many people open (issue 11, ≤ 100 KB of JS).
  const answer = useFormAnswer()
  return (
    <div className="container narrow">
      <PageHeader title={t('login.title')} />
      {params.get('reset') && <Notice kind="success">{t('reset.done')}</Notice>}
      {params.get('ended') === 'unlock' && <Notice kind="error">{t('login.unlock_ended', { minutes: unlockRetry(params.get('retry')) })}</Notice>}
      <FormNotice />
      <Form method="post" className="card">
        <input type="hidden" name="next" value={params.get('next') ?? ''} />
        <Field meta={answer.field('identifier', { required: true })} label={t('login.identifier')} autoComplete="username" />
        <Field meta={answer.field('password', { required: true })} type="password" label={t('login.password')} autoComplete="current-password" />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('login.submit')}
          </button>
          <Link to="/forgot-password">{t('login.forgot')}</Link>
        </div>
      </Form>
      <p>
        {t('login.no_account')} <Link to="/signup">{t('nav.signup')}</Link> · <Link to="/child-login">{t('login.child')}</Link>
      </p>
      <p>
        <Link to="/privacy">{t('nav.rights')}</Link>
      </p>
    </div>
  )
}

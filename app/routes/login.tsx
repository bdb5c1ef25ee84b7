import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { sessionCookie } from '~/auth/session.server'
import { retryMinutes } from '~/auth/throttle.server'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { safeNext } from '~/ui/redirects'
import type { FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — connexion' }]
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect(safeNext(new URL(request.url).searchParams.get('next')))
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const form = await request.formData()
  const identifier = String(form.get('identifier') ?? '')
  const password = String(form.get('password') ?? '')
  const result = await loginWithPassword(ctx.db, identifier, password, ctx.origin)
  if (result.ok) {
    return redirect(safeNext(String(form.get('next') ?? '')), { headers: { 'Set-Cookie': sessionCookie(result.token, 'adult') } })
  }
  const formError = result.reason === 'throttled' ? translate(ctx.lang, 'login.throttled', { minutes: retryMinutes(result.retryAfterSeconds) }) : translate(ctx.lang, `login.${result.reason}`)
  return { status: 'error', fieldErrors: {}, formError } satisfies FormReply
}

/** The wait shown after an unlock ended the session (from the query: a figure, kept in range). */
function unlockRetry(v: string | null) {
  const n = Math.round(Number(v))
  return Number.isFinite(n) && n >= 1 && n <= 15 ? n : 15
}

export default function Login() {
  const t = useT()
  const reply = useActionData<FormReply>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="container narrow">
      <h1>{t('login.title')}</h1>
      {params.get('reset') && <Notice kind="success">{t('reset.done')}</Notice>}
      {params.get('ended') === 'unlock' && <Notice kind="error">{t('login.unlock_ended', { minutes: unlockRetry(params.get('retry')) })}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <Form method="post" className="card">
        <input type="hidden" name="next" value={params.get('next') ?? ''} />
        <Field name="identifier" type="text" label={t('login.identifier')} autoComplete="username" required />
        <Field name="password" type="password" label={t('login.password')} autoComplete="current-password" required />
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
    </div>
  )
}

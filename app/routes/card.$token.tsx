import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { sha256Hex } from '~/crypto.server'
import { invalidateSession, readSessionToken, sessionCookie } from '~/auth/session.server'
import { t as translate, useT } from '~/i18n'
import { loginWithCardToken } from '~/models/children/child-login.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { Notice } from '~/ui/shell'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.child_login')
// The URL inside a login card's QR code: scanning it opens the child's session.
export const handle = { access: { allow: 'everyone', params: { token: 'token' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  const result = await loginWithCardToken(ctx.db, params.token ?? '', ctx.origin)
  if (result.ok) {
    // A shared device: whoever was signed in on it before is signed out, not left behind.
    const previous = readSessionToken(request)
    if (previous) await invalidateSession(ctx.db, sha256Hex(previous))
    throw redirect('/me', { headers: { 'Set-Cookie': sessionCookie(result.token, 'child') } })
  }
  const message =
    result.reason === 'throttled'
      ? translate(ctx.lang, 'children.login.throttled', { minutes: Math.ceil(result.retryAfterSeconds / 60) })
      : translate(ctx.lang, result.reason === 'refused' ? 'children.login.refused' : 'children.card_link.invalid')
  return { message }
}

export default function CardLogin() {
  const t = useT()
  const { message } = useLoaderData<typeof loader>()
  return (
    <div className="narrow child-space">
      <h1>{t('children.card_link.title')}</h1>
      <Notice kind="error">{message}</Notice>
      <p>
        <Link className="button" to="/child-login">
          {t('children.card_link.try_code')} →
        </Link>
      </p>
    </div>
  )
}

import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { verifyEmail } from '~/auth/email-tokens.server'
import { DomainError } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { Notice } from '~/ui/shell'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.verify_email')
export const handle = { access: { allow: 'everyone', params: { token: 'token' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  try {
    const userId = await verifyEmail(ctx.db, { token: params.token ?? '', origin: ctx.origin })
    return { ok: true as const, message: translate(ctx.lang, 'verify.ok'), userId }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    return { ok: false as const, message: translate(ctx.lang, e.code) }
  }
}

export default function VerifyEmail() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div className="container narrow">
      <Notice kind={data.ok ? 'success' : 'error'}>{data.message}</Notice>
      <Link to="/home">{t('nav.home')}</Link>
    </div>
  )
}

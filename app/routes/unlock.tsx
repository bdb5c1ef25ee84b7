import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useSearchParams } from '@remix-run/react'
import { clearSessionCookie, readSessionToken, validateSessionToken } from '~/auth/session.server'
import { retryMinutes } from '~/auth/throttle.server'
import { unlockWithPassword } from '~/auth/unlock.server'
import { t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import type { FormReply } from '~/ui/forms.server'
import { safeNext } from '~/ui/redirects'
import { Field, Notice } from '~/ui/shell'

// Reached only with a locked session; everyone else is sent on.
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

async function lockedSession(request: Request) {
  const token = readSessionToken(request)
  const ctx = baseContext(request)
  const check = token ? await validateSessionToken(ctx.db, token) : { state: 'none' as const }
  return { ctx, check }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { check } = await lockedSession(request)
  if (check.state !== 'locked') throw redirect(safeNext(new URL(request.url).searchParams.get('next')))
  return { firstName: check.user.firstName }
}

export async function action({ request }: ActionFunctionArgs) {
  const { ctx, check } = await lockedSession(request)
  const form = await request.formData()
  if (check.state !== 'locked') throw redirect(safeNext(String(form.get('next') ?? '')))
  const result = await unlockWithPassword(ctx.db, { sessionId: check.session.id, userId: check.user.id, password: String(form.get('password') ?? ''), origin: ctx.origin })
  if (result.ok) throw redirect(safeNext(String(form.get('next') ?? '')))
  if (result.reason === 'ended') {
    // Too many wrong passwords: the session is gone; the login page says why and when to retry.
    throw redirect(`/login?ended=unlock&retry=${retryMinutes(result.retryAfterSeconds)}`, { headers: { 'Set-Cookie': clearSessionCookie() } })
  }
  return { status: 'error', fieldErrors: { password: translate(ctx.lang, 'unlock.wrong') } } satisfies FormReply
}

export default function Unlock() {
  const t = useT()
  const reply = useActionData<FormReply>()
  const [params] = useSearchParams()
  return (
    <div className="container narrow">
      <h1>{t('unlock.title')}</h1>
      <Notice>{t('unlock.body')}</Notice>
      <Form method="post" className="card">
        <input type="hidden" name="next" value={params.get('next') ?? ''} />
        <Field name="password" type="password" label={t('login.password')} error={reply?.fieldErrors.password} autoComplete="current-password" required />
        <button type="submit">{t('unlock.submit')}</button>
      </Form>
    </div>
  )
}

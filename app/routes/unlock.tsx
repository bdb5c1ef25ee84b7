import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, useSearchParams } from '@remix-run/react'
import { unlockSchema } from '~/auth/login.schema'
import { clearSessionCookie, readSessionToken, validateSessionToken } from '~/auth/session.server'
import { retryMinutes } from '~/auth/throttle.server'
import { unlockWithPassword } from '~/auth/unlock.server'
import { Invalid } from '~/errors.server'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { safeNext } from '~/ui/redirects'
import { Field, FormNotice, Notice, PageHeader, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

// Reached only with a locked session; everyone else is sent on.
export const meta = pageTitle('title.unlock')
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
  const formData = await request.formData()
  const next = safeNext(String(formData.get('next') ?? ''))
  if (check.state !== 'locked') throw redirect(next)
  const form = await readForm(formData, unlockSchema, ctx.lang, { secrets: ['password'] })
  if (!form.ok) return form.reply
  const result = await unlockWithPassword(ctx.db, { sessionId: check.session.id, userId: check.user.id, password: form.value.password, origin: ctx.origin })
  if (result.ok) throw redirect(next)
  if (result.reason === 'ended') {
    // Too many wrong passwords: the session is gone; the login page says why and when to retry.
    throw redirect(`/login?ended=unlock&retry=${retryMinutes(result.retryAfterSeconds)}`, { headers: { 'Set-Cookie': clearSessionCookie() } })
  }
  return form.error(new Invalid('unlock.wrong'), 'password')
}

export default function Unlock() {
  const t = useT()
  const [params] = useSearchParams()
  const [form, fields] = useCarnetForm(unlockSchema, { id: 'unlock' })
  return (
    <div className="container narrow">
      <PageHeader title={t('unlock.title')} />
      <Notice>{t('unlock.body')}</Notice>
      <FormNotice />
      <Form method="post" className="card" {...getFormProps(form)}>
        <input type="hidden" name="next" value={params.get('next') ?? ''} />
        <Field meta={fields.password} type="password" label={t('login.password')} autoComplete="current-password" />
        <button type="submit">{t('unlock.submit')}</button>
      </Form>
    </div>
  )
}

import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { invalidateUserSessions, listUserSessions, revokeUserSession } from '~/auth/session.server'
import { recordAudit } from '~/compliance/audit.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { successReply, type FormReply } from '~/ui/forms.server'
import { describeUserAgent } from '~/ui/user-agent'
import { Notice } from '~/ui/shell'

export const handle = { access: { allow: 'signedIn' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const rows = await listUserSessions(ctx.db, ctx.user.id)
  // The session id is a hash; the page shows a short prefix to tell rows apart.
  return {
    sessions: rows.reverse().map((s) => ({
      ref: s.id.slice(0, 16),
      current: s.id === ctx.session.id,
      device: describeUserAgent(s.userAgent),
      lastSeenAt: s.lastSeenAt.toISOString(),
      createdAt: s.createdAt.toISOString(),
    })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const form = await request.formData()
  if (form.get('intent') === 'revoke-all') {
    const count = await invalidateUserSessions(ctx.db, ctx.user.id, ctx.session.id)
    await recordAudit(ctx.db, { action: 'auth.logout_everywhere', actorId: ctx.user.id, ...ctx.origin, details: { count } })
    return successReply(translate(ctx.lang, 'devices.revoked_all', { count }))
  }
  const ref = String(form.get('ref') ?? '')
  const mine = await listUserSessions(ctx.db, ctx.user.id)
  const target = mine.find((s) => s.id.startsWith(ref) && ref.length >= 16)
  if (target) {
    await revokeUserSession(ctx.db, { userId: ctx.user.id, sessionId: target.id })
    await recordAudit(ctx.db, { action: 'auth.session_revoked', actorId: ctx.user.id, ...ctx.origin })
  }
  return successReply(translate(ctx.lang, 'devices.revoked'))
}

export default function Devices() {
  const t = useT()
  const { sessions } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  return (
    <div className="container">
      <h1>{t('devices.title')}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('devices.browser')}</th>
              <th>{t('devices.last_seen')}</th>
              <th>{t('devices.started')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.ref}>
                <td>
                  {s.device} {s.current && <span className="badge ok">{t('devices.current')}</span>}
                </td>
                <td>{formatDate(t.lang, s.lastSeenAt, true)}</td>
                <td>{formatDate(t.lang, s.createdAt, true)}</td>
                <td>
                  {!s.current && (
                    <Form method="post">
                      <input type="hidden" name="ref" value={s.ref} />
                      <button type="submit" name="intent" value="revoke" className="secondary">
                        {t('devices.revoke')}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Form method="post">
        <button type="submit" name="intent" value="revoke-all" className="danger">
          {t('devices.revoke_all')}
        </button>
      </Form>
    </div>
  )
}

import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { logOutDevice, logOutOtherDevices } from '~/auth/devices.server'
import { revokeDeviceSchema } from '~/auth/devices.schema'
import { listUserSessions } from '~/auth/session.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { DataTable, FormNotice, PageHeader, StatusBadge, type Column } from '~/ui/kit'
import { describeUserAgent } from '~/ui/user-agent'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.devices')
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

// The page's forms: end one other session, or all of them but this one.
const schema = z.discriminatedUnion('intent', [revokeDeviceSchema.extend({ intent: z.literal('revoke') }), z.object({ intent: z.literal('revoke-all') })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const by = { userId: ctx.user.id, origin: ctx.origin }
  if (form.value.intent === 'revoke-all') {
    const count = await logOutOtherDevices(ctx.db, { ...by, keepSessionId: ctx.session.id })
    return form.success(translate(ctx.lang, 'devices.revoked_all', { count }))
  }
  await logOutDevice(ctx.db, { ...by, ref: form.value.ref })
  return form.success(translate(ctx.lang, 'devices.revoked'))
}

type Session = Awaited<ReturnType<typeof loader>>['sessions'][number]

export default function Devices() {
  const t = useT()
  const { sessions } = useLoaderData<typeof loader>()
  const columns: Column<Session>[] = [
    {
      header: t('devices.browser'),
      cell: (s) => (
        <>
          {s.device} {s.current && <StatusBadge tone="ok">{t('devices.current')}</StatusBadge>}
        </>
      ),
    },
    { header: t('devices.last_seen'), cell: (s) => formatDate(t.lang, s.lastSeenAt, true) },
    { header: t('devices.started'), cell: (s) => formatDate(t.lang, s.createdAt, true) },
    {
      header: t('ui.actions'),
      hiddenHeader: true,
      cell: (s) =>
        !s.current && (
          <Form method="post">
            <input type="hidden" name="ref" value={s.ref} />
            <button type="submit" name="intent" value="revoke" className="secondary">
              {t('devices.revoke')}
            </button>
          </Form>
        ),
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('devices.title')} />
      <FormNotice />
      <DataTable label={t('devices.title')} columns={columns} rows={sessions} rowKey={(s) => s.ref} empty={t('common.none')} />
      <Form method="post" className="actions">
        <button type="submit" name="intent" value="revoke-all" className="danger">
          {t('devices.revoke_all')}
        </button>
      </Form>
    </div>
  )
}

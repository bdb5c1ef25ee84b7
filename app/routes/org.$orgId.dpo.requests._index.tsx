import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { unreadDsrNotifications } from '~/privacy/rights-requests/forwarding.server'
import { listRequests } from '~/privacy/rights-requests/queries.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — demandes de droits' }]
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'RightsRequest', { orgId })
  const all = new URL(request.url).searchParams.get('all') === '1'
  const rows = await listRequests(ctx.db, orgId, { open: !all })
  const unread = new Set((await unreadDsrNotifications(ctx.db, ctx.user.id, orgId)).map((n) => n.refId))
  return {
    orgId,
    all,
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      kind: r.kind,
      channel: r.channel,
      status: r.status,
      subject: r.subjectName,
      receivedAt: r.receivedAt?.toISOString() ?? null,
      forwardedAt: r.forwardedAt?.toISOString() ?? null,
      forwardDueAt: r.forwardDueAt?.toISOString() ?? null,
      forwardingLate: r.forwardingLate,
      dueAt: r.effectiveDueAt?.toISOString() ?? null,
      extended: !!r.extendedDueAt,
      urgency: r.urgency,
      outcome: r.outcome,
      unread: unread.has(r.id),
    })),
    counts: { overdue: rows.filter((r) => r.urgency === 'overdue').length, nearlyDue: rows.filter((r) => r.urgency === 'nearly_due').length, unread: unread.size },
  }
}

const badge = { overdue: 'badge bad', nearly_due: 'badge warn', on_time: 'badge', closed: 'badge ok', unverified: 'badge' } as const

export default function RequestsPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="container">
      <h1>{t('dsr.list.title')}</h1>
      <p className="muted">{t('dsr.list.intro')}</p>
      {data.counts.unread > 0 && <Notice>{t('dsr.list.unread', { n: data.counts.unread })}</Notice>}
      {data.counts.overdue > 0 && <Notice kind="error">{t('dsr.list.overdue', { n: data.counts.overdue })}</Notice>}
      {data.counts.nearlyDue > 0 && <Notice>{t('dsr.list.nearly_due', { n: data.counts.nearlyDue })}</Notice>}
      <p className="actions">
        {data.all ? <Link to="?">{t('dsr.list.show_open')}</Link> : <Link to="?all=1">{t('dsr.list.show_all')}</Link>}
      </p>
      {data.rows.length === 0 ? (
        <p>{t('dsr.list.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dsr.reference')}</th>
                <th scope="col">{t('dsr.kind')}</th>
                <th scope="col">{t('dsr.list.subject')}</th>
                <th scope="col">{t('dsr.received_at')}</th>
                <th scope="col">{t('dsr.forwarded_at')}</th>
                <th scope="col">{t('dsr.due_at')}</th>
                <th scope="col">{t('dsr.status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/org/${data.orgId}/dpo/requests/${r.id}`}>{r.reference}</Link>
                    {r.unread && (
                      <>
                        {' '}
                        <span className="badge warn">{t('dsr.list.new')}</span>
                      </>
                    )}
                  </td>
                  <td>{t(`dsr.kind.${r.kind}`)}</td>
                  <td>{r.subject ?? '—'}</td>
                  <td>{formatDate(t.lang, r.receivedAt, true)}</td>
                  <td>
                    {r.forwardedAt ? formatDate(t.lang, r.forwardedAt, true) : t('dsr.forward_due', { date: formatDate(t.lang, r.forwardDueAt, true) })}
                    {r.forwardingLate && (
                      <>
                        {' '}
                        <span className="badge bad">{t('dsr.forward_late')}</span>
                      </>
                    )}
                  </td>
                  <td>
                    {formatDate(t.lang, r.dueAt)}
                    {r.extended && <small className="muted"> ({t('dsr.extended')})</small>}
                  </td>
                  <td>
                    <span className={badge[r.urgency]}>{r.status === 'closed' && r.outcome ? t(`dsr.outcome.${r.outcome}`) : t(`dsr.urgency.${r.urgency}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { unreadDsrNotifications } from '~/privacy/rights-requests/forwarding.server'
import { listRequests } from '~/privacy/rights-requests/queries.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { DataTable, Notice, PageHeader, StatusBadge, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.dsr_list')
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

const URGENCY_TONE = { overdue: 'bad', nearly_due: 'warn', on_time: 'neutral', closed: 'ok', unverified: 'neutral' } as const

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]

export default function RequestsPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const columns: Column<Row>[] = [
    {
      header: t('dsr.reference'),
      cell: (r) => (
        <>
          <Link to={`/org/${data.orgId}/dpo/requests/${r.id}`}>{r.reference}</Link>
          {r.unread && (
            <>
              {' '}
              <StatusBadge tone="warn">{t('dsr.list.new')}</StatusBadge>
            </>
          )}
        </>
      ),
    },
    { header: t('dsr.kind'), cell: (r) => t(`dsr.kind.${r.kind}`) },
    { header: t('dsr.list.subject'), cell: (r) => r.subject ?? '—' },
    { header: t('dsr.received_at'), cell: (r) => formatDate(t.lang, r.receivedAt, true) },
    {
      header: t('dsr.forwarded_at'),
      cell: (r) => (
        <>
          {r.forwardedAt ? formatDate(t.lang, r.forwardedAt, true) : t('dsr.forward_due', { date: formatDate(t.lang, r.forwardDueAt, true) })}
          {r.forwardingLate && (
            <>
              {' '}
              <StatusBadge tone="bad">{t('dsr.forward_late')}</StatusBadge>
            </>
          )}
        </>
      ),
    },
    {
      header: t('dsr.due_at'),
      cell: (r) => (
        <>
          {formatDate(t.lang, r.dueAt)}
          {r.extended && <small className="muted"> ({t('dsr.extended')})</small>}
        </>
      ),
    },
    {
      header: t('dsr.status'),
      cell: (r) => <StatusBadge tone={URGENCY_TONE[r.urgency]}>{r.status === 'closed' && r.outcome ? t(`dsr.outcome.${r.outcome}`) : t(`dsr.urgency.${r.urgency}`)}</StatusBadge>,
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('dsr.list.title')} subtitle={t('dsr.list.intro')} actions={data.all ? <Link to="?">{t('dsr.list.show_open')}</Link> : <Link to="?all=1">{t('dsr.list.show_all')}</Link>} />
      {data.counts.unread > 0 && <Notice>{t('dsr.list.unread', { n: data.counts.unread })}</Notice>}
      {data.counts.overdue > 0 && <Notice kind="error">{t('dsr.list.overdue', { n: data.counts.overdue })}</Notice>}
      {data.counts.nearlyDue > 0 && <Notice>{t('dsr.list.nearly_due', { n: data.counts.nearlyDue })}</Notice>}
      <DataTable label={t('dsr.list.title')} columns={columns} rows={data.rows} rowKey={(r) => r.id} empty={t('dsr.list.none')} />
    </div>
  )
}

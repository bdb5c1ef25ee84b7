import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { deny, requireAbility } from '~/permissions/request.server'
import { myRequests } from '~/privacy/rights-requests/status.server'
import { DataTable, PageHeader } from '~/ui/kit'
import { RequestStatusBadge } from '~/ui/request-status'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.my_requests')
// "My requests": the rights requests this adult made — in the app, or on the public form with
// the email their account has verified — with their status, deadlines and answers.
export const handle = { access: { allow: 'adults' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  if (ctx.user.kind !== 'adult') await deny(ctx, 'read', 'RightsRequest', null)
  const rows = await myRequests(ctx.db, { userId: ctx.user.id, verifiedEmail: ctx.principal.verifiedEmail ?? null })
  // Each row checked by the policy as its requester sees it (the list query already asked for these).
  const asked = (r: (typeof rows)[number]) => can(ctx.ability, 'read', 'RightsRequest', { id: r.id, requesterUserId: r.requesterUserId, requesterEmail: r.requesterEmail })
  return { requests: rows.filter(asked).map(({ requesterUserId: _u, requesterEmail: _e, ...view }) => view), emailVerified: !!ctx.principal.verifiedEmail }
}

export default function MyRequests() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const due = (r: (typeof data.requests)[number]) => formatDate(t.lang, r.extendedDueAt ?? r.dueAt)
  return (
    <div className="container">
      <PageHeader
        title={t('dsr.mine.title')}
        subtitle={t('dsr.mine.intro')}
        actions={
          <Link to="/rights-request/account" className="button">
            {t('dsr.centre.request')}
          </Link>
        }
      />
      {!data.emailVerified && <p className="hint">{t('dsr.mine.verify_email')}</p>}
      <DataTable
        label={t('dsr.mine.title')}
        rows={data.requests}
        rowKey={(r) => r.id}
        empty={t('dsr.mine.empty')}
        columns={[
          { header: t('dsr.reference'), rowHeader: true, cell: (r) => <Link to={`/account/requests/${r.id}`}>{r.reference}</Link> },
          { header: t('dsr.kind'), cell: (r) => t(`dsr.kind.${r.kind}`) },
          { header: t('dsr.verify.school'), cell: (r) => r.orgName },
          { header: t('dsr.status'), cell: (r) => <RequestStatusBadge status={r.status} /> },
          { header: t('dsr.received_at'), cell: (r) => formatDate(t.lang, r.receivedAt) },
          { header: t('dsr.due_at'), cell: (r) => (r.status === 'closed' ? '—' : r.extendedDueAt ? `${due(r)} (${t('dsr.extended')})` : due(r)) },
          { header: t('dsr.track.answer'), cell: (r) => (r.outcome ? `${t(`dsr.outcome.${r.outcome}`)} — ${formatDate(t.lang, r.closedAt)}` : '—') },
        ]}
      />
    </div>
  )
}

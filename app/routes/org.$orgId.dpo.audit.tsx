import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { auditFilterFrom, auditQuery, knownActions, searchAudit } from '~/privacy/audit/view.server'
import { auditRetention, listArchives } from '~/privacy/audit/retention.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { DataTable, Field, FilterBar, PageHeader, Pagination, plainField, Section, SelectField, StatusBadge, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.audit')
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'AuditLog', { orgId })
  const url = new URL(request.url)
  const filter = auditFilterFrom(url.searchParams)
  const beforeAt = url.searchParams.get('beforeAt')
  const beforeId = Number(url.searchParams.get('beforeId'))
  const before = beforeAt && !Number.isNaN(Date.parse(beforeAt)) && Number.isSafeInteger(beforeId) ? { at: beforeAt, id: beforeId } : null
  const page = await searchAudit(ctx.db, orgId, filter, { before })
  const last = page.rows[page.rows.length - 1]
  const archives = await listArchives(ctx.db, orgId)
  return {
    orgId,
    filter,
    query: auditQuery(filter),
    actions: await knownActions(ctx.db, orgId),
    retention: auditRetention(),
    rows: page.rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actorName ?? (r.actorId ? r.actorId.slice(0, 8) : null),
      actorEmail: r.actorEmail,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId ? r.targetId.slice(0, 12) : null,
      outcome: r.outcome,
      ip: r.ip,
      details: r.details ? JSON.stringify(r.details) : null,
    })),
    next: page.more && last ? `beforeAt=${encodeURIComponent(last.at.toISOString())}&beforeId=${last.id}` : null,
    archives: archives.map((a) => ({
      id: a.id,
      month: a.month,
      entries: a.entries,
      bytes: a.bytes,
      sha256: a.sha256,
      archivedAt: a.archivedAt.toISOString(),
      purgeDueAt: a.purgeDueAt.toISOString(),
      purgedAt: a.purgedAt?.toISOString() ?? null,
    })),
  }
}

const OUTCOME_TONE = { success: 'ok', denied: 'bad', failure: 'warn' } as const

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
type Archive = Awaited<ReturnType<typeof loader>>['archives'][number]

export default function AuditPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const base = `/org/${data.orgId}/dpo/audit`
  const q = data.query ? `&${data.query}` : ''
  const rows: Column<Row>[] = [
    { header: t('dpo.audit.at'), cell: (r) => formatDate(t.lang, r.at, true) },
    {
      header: t('dpo.audit.actor'),
      cell: (r) => (
        <>
          {r.actor ?? '—'}
          {r.actorEmail && (
            <>
              <br />
              <small className="muted">{r.actorEmail}</small>
            </>
          )}
        </>
      ),
    },
    {
      header: t('dpo.audit.action'),
      cell: (r) => (
        <>
          {t.or(`audit.action.${r.action}`, r.action)}
          {r.details && (
            <>
              <br />
              <small className="muted">
                <code className="break-all">{r.details.length > 120 ? `${r.details.slice(0, 120)}…` : r.details}</code>
              </small>
            </>
          )}
        </>
      ),
    },
    {
      header: t('dpo.audit.target'),
      cell: (r) =>
        r.targetType || r.targetId ? (
          <>
            {r.targetType ? t.or(`audit.target.${r.targetType}`, r.targetType) : null} {r.targetId && <code>{r.targetId}</code>}
          </>
        ) : (
          '—'
        ),
    },
    { header: t('dpo.audit.outcome'), cell: (r) => <StatusBadge tone={OUTCOME_TONE[r.outcome as keyof typeof OUTCOME_TONE] ?? 'neutral'}>{t(`dpo.audit.outcome_${r.outcome}`)}</StatusBadge> },
    { header: t('dpo.audit.ip'), cell: (r) => r.ip ?? '—' },
  ]
  const archives: Column<Archive>[] = [
    { header: t('dpo.audit.month'), cell: (a) => a.month.slice(0, 7) },
    { header: t('dpo.audit.entries'), cell: (a) => a.entries },
    { header: 'SHA-256', cell: (a) => <code className="break-all">{a.sha256}</code> },
    { header: t('dpo.audit.archived_at'), cell: (a) => formatDate(t.lang, a.archivedAt) },
    {
      header: t('dpo.audit.purge'),
      cell: (a) =>
        a.purgedAt ? (
          t('dpo.audit.purged_on', { date: formatDate(t.lang, a.purgedAt) })
        ) : (
          <>
            <a href={`${base}/archive?id=${a.id}`} download>
              {t('dpo.audit.download_archive')}
            </a>
            <br />
            <small className="muted">{t('dpo.audit.purge_due', { date: formatDate(t.lang, a.purgeDueAt) })}</small>
          </>
        ),
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('dpo.audit.title')} subtitle={t('dpo.audit.intro', { online: data.retention.onlineMonths, archive: data.retention.archiveMonths })} />
      <Section title={t('dpo.filters')}>
        <FilterBar resetTo={base}>
          <Field meta={plainField('actor', { id: 'a-actor', defaultValue: data.filter.actor })} label={t('dpo.audit.actor')} placeholder={t('dpo.audit.actor_hint')} />
          <SelectField meta={plainField('action', { id: 'a-action', defaultValue: data.filter.action })} label={t('dpo.audit.action')}>
            <option value="">{t('dpo.all')}</option>
            {data.filter.action && !data.actions.includes(data.filter.action) && <option value={data.filter.action}>{t.or(`audit.action.${data.filter.action}`, data.filter.action)}</option>}
            {data.actions.map((a) => (
              <option key={a} value={a}>
                {t.or(`audit.action.${a}`, a)}
              </option>
            ))}
          </SelectField>
          <Field meta={plainField('target', { id: 'a-target', defaultValue: data.filter.target })} label={t('dpo.audit.target')} />
          <SelectField meta={plainField('outcome', { id: 'a-outcome', defaultValue: data.filter.outcome })} label={t('dpo.audit.outcome')}>
            <option value="">{t('dpo.all')}</option>
            {(['success', 'failure', 'denied'] as const).map((o) => (
              <option key={o} value={o}>
                {t(`dpo.audit.outcome_${o}`)}
              </option>
            ))}
          </SelectField>
          <Field meta={plainField('from', { id: 'a-from', defaultValue: data.filter.from })} type="date" label={t('dpo.from')} />
          <Field meta={plainField('to', { id: 'a-to', defaultValue: data.filter.to })} type="date" label={t('dpo.to')} />
        </FilterBar>
      </Section>
      <div className="actions toolbar">
        <a className="button secondary" href={`${base}/export?${data.query}`} download>
          {t('dpo.export_csv')}
        </a>
      </div>
      <DataTable label={t('dpo.audit.title')} columns={rows} rows={data.rows} rowKey={(r) => r.id} rowAttributes={(r) => ({ 'data-action': r.action })} empty={t('dpo.audit.none')} />
      <Pagination next={data.next ? { to: `?${data.next}${q}`, label: t('dpo.audit.older') } : null} />
      <Section title={t('dpo.audit.archives')}>
        <p className="hint">{t('dpo.audit.archives_hint', { archive: data.retention.archiveMonths })}</p>
        <DataTable label={t('dpo.audit.archives')} columns={archives} rows={data.archives} rowKey={(a) => a.id} empty={t('dpo.audit.archives_none')} />
      </Section>
    </div>
  )
}

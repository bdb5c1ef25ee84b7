import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { auditFilterFrom, auditQuery, knownActions, searchAudit } from '~/privacy/audit/view.server'
import { auditRetention, listArchives } from '~/privacy/audit/retention.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

export const meta: MetaFunction = () => [{ title: "Carnet — journal d'audit" }]
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

const FILTERS = { display: 'flex', flexWrap: 'wrap', gap: '0 1rem', alignItems: 'flex-end' } as const

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
      target: r.targetType ? `${r.targetType}${r.targetId ? ` ${r.targetId.slice(0, 12)}` : ''}` : (r.targetId ?? null),
      outcome: r.outcome,
      ip: r.ip,
      details: r.details ? JSON.stringify(r.details) : null,
    })),
    next: page.more && last ? `beforeAt=${encodeURIComponent(last.at.toISOString())}&beforeId=${last.id}` : null,
    archives: archives.map((a) => ({ id: a.id, month: a.month, entries: a.entries, bytes: a.bytes, sha256: a.sha256, archivedAt: a.archivedAt.toISOString(), purgeDueAt: a.purgeDueAt.toISOString(), purgedAt: a.purgedAt?.toISOString() ?? null })),
  }
}

export default function AuditPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const base = `/org/${data.orgId}/dpo/audit`
  const q = data.query ? `&${data.query}` : ''
  const badge = (o: string) => (o === 'success' ? 'badge ok' : o === 'denied' ? 'badge bad' : 'badge warn')
  return (
    <div className="container">
      <h1>{t('dpo.audit.title')}</h1>
      <p className="muted">{t('dpo.audit.intro', { online: data.retention.onlineMonths, archive: data.retention.archiveMonths })}</p>
      <section className="card" aria-labelledby="audit-filter-title">
        <h2 id="audit-filter-title">{t('dpo.filters')}</h2>
        <Form method="get" style={FILTERS}>
          <div className="field">
            <label htmlFor="a-actor">{t('dpo.audit.actor')}</label>
            <input id="a-actor" type="text" name="actor" defaultValue={data.filter.actor ?? ''} placeholder={t('dpo.audit.actor_hint')} />
          </div>
          <div className="field">
            <label htmlFor="a-action">{t('dpo.audit.action')}</label>
            <input id="a-action" type="text" name="action" list="a-actions" defaultValue={data.filter.action ?? ''} />
            <datalist id="a-actions">
              {data.actions.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="a-target">{t('dpo.audit.target')}</label>
            <input id="a-target" type="text" name="target" defaultValue={data.filter.target ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="a-outcome">{t('dpo.audit.outcome')}</label>
            <select id="a-outcome" name="outcome" defaultValue={data.filter.outcome ?? ''}>
              <option value="">{t('dpo.all')}</option>
              {(['success', 'failure', 'denied'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`dpo.audit.outcome_${o}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="a-from">{t('dpo.from')}</label>
            <input id="a-from" type="date" name="from" defaultValue={data.filter.from ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="a-to">{t('dpo.to')}</label>
            <input id="a-to" type="date" name="to" defaultValue={data.filter.to ?? ''} />
          </div>
          <div className="actions">
            <button type="submit">{t('dpo.apply')}</button>
            <Link to={base}>{t('dpo.reset')}</Link>
          </div>
        </Form>
      </section>
      <div className="actions" style={{ marginBottom: '1rem' }}>
        <a className="button secondary" href={`${base}/export?${data.query}`} download>
          {t('dpo.export_csv')}
        </a>
      </div>
      {data.rows.length === 0 ? (
        <p>{t('dpo.audit.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dpo.audit.at')}</th>
                <th scope="col">{t('dpo.audit.actor')}</th>
                <th scope="col">{t('dpo.audit.action')}</th>
                <th scope="col">{t('dpo.audit.target')}</th>
                <th scope="col">{t('dpo.audit.outcome')}</th>
                <th scope="col">{t('dpo.audit.ip')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(t.lang, r.at, true)}</td>
                  <td>
                    {r.actor ?? '—'}
                    {r.actorEmail && (
                      <>
                        <br />
                        <small className="muted">{r.actorEmail}</small>
                      </>
                    )}
                  </td>
                  <td>
                    <code>{r.action}</code>
                    {r.details && (
                      <>
                        <br />
                        <small className="muted">{r.details.length > 120 ? `${r.details.slice(0, 120)}…` : r.details}</small>
                      </>
                    )}
                  </td>
                  <td>{r.target ?? '—'}</td>
                  <td>
                    <span className={badge(r.outcome)}>{t(`dpo.audit.outcome_${r.outcome}`)}</span>
                  </td>
                  <td>{r.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.next && (
        <p>
          <Link to={`?${data.next}${q}`}>{t('dpo.audit.older')} →</Link>
        </p>
      )}
      <section className="card" aria-labelledby="archives-title">
        <h2 id="archives-title">{t('dpo.audit.archives')}</h2>
        <p className="hint">{t('dpo.audit.archives_hint', { archive: data.retention.archiveMonths })}</p>
        {data.archives.length === 0 ? (
          <p>{t('dpo.audit.archives_none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dpo.audit.month')}</th>
                  <th scope="col">{t('dpo.audit.entries')}</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">{t('dpo.audit.archived_at')}</th>
                  <th scope="col">{t('dpo.audit.purge')}</th>
                </tr>
              </thead>
              <tbody>
                {data.archives.map((a) => (
                  <tr key={a.id}>
                    <td>{a.month.slice(0, 7)}</td>
                    <td>{a.entries}</td>
                    <td>
                      <code style={{ wordBreak: 'break-all' }}>{a.sha256}</code>
                    </td>
                    <td>{formatDate(t.lang, a.archivedAt)}</td>
                    <td>
                      {a.purgedAt ? (
                        t('dpo.audit.purged_on', { date: formatDate(t.lang, a.purgedAt) })
                      ) : (
                        <>
                          <a href={`${base}/archive?id=${a.id}`} download>
                            {t('dpo.audit.download_archive')}
                          </a>
                          <br />
                          <small className="muted">{t('dpo.audit.purge_due', { date: formatDate(t.lang, a.purgeDueAt) })}</small>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { DAY } from '~/clock.server'
import { MONTHLY_MONTHS, RETENTION, listBackups } from '~/privacy/backups/schedule.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.backups')
// The backup schedule (Annex D) and the backups that exist, with their expiry dates.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const { live, gone } = await listBackups(ctx.db)
  const row = (b: (typeof live)[number]) => ({
    id: b.id,
    file: b.fileName,
    kind: b.kind,
    takenAt: b.takenAt.toISOString(),
    expiresAt: b.expiresAt.toISOString(),
    bytes: b.bytes,
    sha256: b.sha256,
    deletedAt: b.deletedAt?.toISOString() ?? null,
    reason: b.deletionReason,
  })
  return { schedule: { daily: RETENTION.daily / DAY, weekly: RETENTION.weekly / DAY / 7, monthly: MONTHLY_MONTHS }, live: live.map(row), gone: gone.map(row) }
}

const size = (n: number) => (n > 1e6 ? `${(n / 1e6).toFixed(1)} Mo` : `${Math.max(1, Math.round(n / 1e3))} ko`)

export default function BackupsPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  return (
    <div className="container">
      <h1>{t('retention.backups.title')}</h1>
      <section className="card" aria-labelledby="sched-title">
        <h2 id="sched-title">{t('retention.backups.schedule')}</h2>
        <ul>
          <li>{t('retention.backups.daily', { days: d.schedule.daily })}</li>
          <li>{t('retention.backups.weekly', { weeks: d.schedule.weekly })}</li>
          <li>{t('retention.backups.monthly', { months: d.schedule.monthly })}</li>
        </ul>
        <p className="hint">{t('retention.backups.limit')}</p>
      </section>
      <section className="card" aria-labelledby="live-title">
        <h2 id="live-title">{t('retention.backups.existing', { n: d.live.length })}</h2>
        {d.live.length === 0 ? (
          <p>{t('retention.backups.none')}</p>
        ) : (
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard
          <div className="table-wrap" role="group" aria-labelledby="live-title" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('retention.backups.col_taken')}</th>
                  <th scope="col">{t('retention.backups.col_kind')}</th>
                  <th scope="col">{t('retention.backups.col_expires')}</th>
                  <th scope="col">{t('retention.backups.col_size')}</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {d.live.map((b) => (
                  <tr key={b.id}>
                    <td>{formatDate(t.lang, b.takenAt, true)}</td>
                    <td>{t(`retention.backups.kind.${b.kind}`)}</td>
                    <td>{formatDate(t.lang, b.expiresAt, true)}</td>
                    <td>{size(b.bytes)}</td>
                    <td>
                      <code title={b.sha256}>{b.sha256.slice(0, 12)}…</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {d.gone.length > 0 && (
        <section className="card" aria-labelledby="gone-title">
          <h2 id="gone-title">{t('retention.backups.deleted')}</h2>
          <ul>
            {d.gone.map((b) => (
              <li key={b.id}>
                {formatDate(t.lang, b.takenAt, true)} ({t(`retention.backups.kind.${b.kind}`)}) — {t('retention.backups.deleted_on', { at: formatDate(t.lang, b.deletedAt, true) })} ·{' '}
                {t.or(`retention.backups.reason.${b.reason}`, b.reason ?? '—')}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

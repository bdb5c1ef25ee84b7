import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { orgBreaches } from '~/privacy/breaches/register.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.breaches')
// The breaches the processor notified to this organization, each with its own 72-hour clock.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const list = await orgBreaches(ctx.db, orgId)
  return {
    orgId,
    list: list.map((b) => ({
      id: b.id,
      reference: b.reference,
      nature: b.nature,
      informedAt: b.clock.informedAt.toISOString(),
      deadline: b.clock.deadline.toISOString(),
      state: b.clock.state,
      hoursLeft: Math.floor(b.clock.remainingMs / 3_600_000),
    })),
  }
}

export default function BreachesPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  return (
    <div className="container">
      <h1>{t('retention.breach.title')}</h1>
      <p className="muted">{t('retention.breach.intro')}</p>
      {d.list.length === 0 ? (
        <p className="card">{t('retention.breach.none')}</p>
      ) : (
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard
        <div className="table-wrap" role="region" aria-label={t('retention.breach.title')} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('retention.breach.f.reference')}</th>
                <th scope="col">{t('retention.breach.f.nature')}</th>
                <th scope="col">{t('retention.breach.f.informed')}</th>
                <th scope="col">{t('retention.breach.f.deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {d.list.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/org/${d.orgId}/breaches/${b.id}`}>{b.reference}</Link>
                  </td>
                  <td>{b.nature}</td>
                  <td>{formatDate(t.lang, b.informedAt, true)}</td>
                  <td>
                    {formatDate(t.lang, b.deadline, true)}{' '}
                    <span className={`badge ${b.state === 'running' ? 'warn' : b.state === 'notified_on_time' ? 'ok' : 'bad'}`}>
                      {b.state === 'running' ? t('retention.breach.hours_left', { hours: b.hoursLeft }) : t(`retention.breach.clock.${b.state}`)}
                    </span>
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

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { operatorGrants } from '~/privacy/support-access/view.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.op_support')
// The support accesses organizations have opened to the operator, in force now (each ends by itself).
export const handle = { access: { allow: [], note: 'platform operator only' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const grants = await operatorGrants(ctx.db)
  return { grants: grants.map((g) => ({ id: g.id, orgId: g.orgId, orgName: g.orgName ?? '—', reason: g.reason, expiresAt: g.expiresAt.toISOString() })) }
}

export default function OperatorSupportPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  return (
    <div className="container">
      <h1>{t('retention.support.operator_title')}</h1>
      <p className="muted">{t('retention.support.operator_intro')}</p>
      {d.grants.length === 0 ? (
        <p className="card">{t('retention.support.operator_none')}</p>
      ) : (
        <ul className="card">
          {d.grants.map((g) => (
            <li key={g.id}>
              <Link to={`/org/${g.orgId}/support`}>{g.orgName}</Link> — {g.reason} · {t('retention.support.until', { at: formatDate(t.lang, g.expiresAt, true) })}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

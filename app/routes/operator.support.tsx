import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { inArray } from 'drizzle-orm'
import { organizations } from '../../drizzle/schema'
import { requireOperator } from '~/permissions/retention-guard.server'
import { activeGrants } from '~/permissions/support-access.server'
import { formatDate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'

export const meta: MetaFunction = () => [{ title: 'Carnet — opérateur : accès support' }]
// The support accesses organizations have opened to the operator, in force now (each ends by itself).
export const handle = { access: { allow: [], note: 'platform operator only' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireOperator(request)
  const grants = await activeGrants(ctx.db)
  const orgs = grants.length ? await ctx.db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, grants.map((g) => g.orgId))) : []
  const name = new Map(orgs.map((o) => [o.id, o.name]))
  return { grants: grants.map((g) => ({ id: g.id, orgId: g.orgId, orgName: name.get(g.orgId) ?? '—', reason: g.reason, expiresAt: g.expiresAt.toISOString() })) }
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

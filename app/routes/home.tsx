import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'
import { navFor } from '~/ui/nav.server'
import { Notice } from '~/ui/shell'
import { isChildAccount } from '~/roles'

export const handle = { access: { allow: 'signedIn' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  if (isChildAccount(ctx.user)) throw redirect('/me')
  const orgs = await navFor(ctx)
  return { firstName: ctx.user.firstName, verified: !!ctx.user.emailVerifiedAt, orgs }
}

export default function Home() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  return (
    <div className="container">
      <h1>{t('home.title', { name: data.firstName })}</h1>
      {params.get('welcome') && <Notice kind="success">{t('signup.done')}</Notice>}
      {!data.verified && <Notice>{t('verify.pending')}</Notice>}
      {data.orgs.length === 0 && <p>{t('home.no_org')}</p>}
      <div className="grid-cards">
        {data.orgs.map((o) => (
          <section key={o.orgId} className="card">
            <h2>{o.orgName}</h2>
            <p className="muted">
              {t(`kind.${o.kind}`)} · {o.roles.map((r) => t(`role.${r}`)).join(', ')}
            </p>
            <Link className="button" to={`/org/${o.orgId}`}>
              {t('home.open')}
            </Link>
          </section>
        ))}
      </div>
    </div>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useT } from '~/i18n'
import { myChildren } from '~/models/families/guardian-view.server'
import type { RouteAccess } from '~/permissions/access'
import { deny, requireAbility } from '~/permissions/request.server'
import { Notice, PageHeader } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.children')
// The child switcher: every child the signed-in adult is linked to, in a family space and in
// schools — and no one else. Adults only (an adult without links sees how to link).
export const handle = { access: { allow: 'adults' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  if (ctx.user.kind !== 'adult') await deny(ctx, 'read', 'Child', ctx.user.id)
  const children = await myChildren(ctx.db, ctx.principal.linkedChildren)
  return { children }
}

export default function MyChildren() {
  const t = useT()
  const { children } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  return (
    <div className="narrow family-page">
      <PageHeader title={t('families.children.title')} />
      {params.get('removed') && <Notice kind="success">{t('families.children.removed')}</Notice>}
      {children.length === 0 ? (
        <div className="card">
          <p className="first">{t('families.children.none')}</p>
          <Link className="button" to="/link">
            {t('families.link.nav')}
          </Link>
        </div>
      ) : (
        <ul className="plain-list child-cards" aria-label={t('families.children.title')}>
          {children.map((c) => (
            <li key={`${c.orgId}-${c.childId}`} className="card">
              <Link to={`/children/${c.childId}`}>
                <strong>
                  {c.firstName} {c.lastName}
                </strong>
                <br />
                <span className="muted">
                  {c.orgName}
                  {c.classNames.length > 0 && ` · ${c.classNames.join(', ')}`}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {children.length > 0 && (
        <p>
          <Link to="/link">{t('families.children.link_another')} →</Link>
        </p>
      )}
    </div>
  )
}

import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useParams } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { packageLinkView } from '~/privacy/rights-requests/package-links.server'
import { openStatusLink } from '~/privacy/rights-requests/status.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { Notice, PageHeader } from '~/ui/kit'
import { PackageDownload } from '~/ui/package-download'
import { RequestStatus } from '~/ui/request-status'
import { pageTitle, withMeta } from '~/ui/meta'

export const meta = withMeta(pageTitle('title.request_status'), { name: 'robots', content: 'noindex' }, { name: 'referrer', content: 'same-origin' })
// The requester's status link, mailed with the receipt: no account needed, the random token is
// the key (status.server.ts). An unknown or expired link is said, in the page's language.
export const handle = { access: { allow: 'everyone', params: { token: 'token' }, note: 'the request of a valid status link; a wrong one says so' } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  const found = await openStatusLink(ctx.db, params.token ?? '', ctx.origin)
  // The page answers 404 for a link that opens nothing (its message says why), never the request.
  // same-origin, not no-referrer: a form POST sent under no-referrer carries `Origin: null`, which
  // the cross-site check (server/http.ts) refuses; the token still never leaves Carnet in a Referer.
  const headers = { 'cache-control': 'no-store', 'referrer-policy': 'same-origin' }
  if (found.state !== 'ok') return data({ state: found.state, request: null, linkExpiresAt: null }, { status: 404, headers })
  // The access package once released: its state here, and its download (…/package, within the released link's limits).
  const packageLink = await packageLinkView(ctx.db, { orgId: found.orgId, requestId: found.request.id })
  return data({ state: found.state, request: found.request, linkExpiresAt: found.linkExpiresAt, packageLink }, { headers })
}

export default function RequestStatusPage() {
  const t = useT()
  const page = useLoaderData<typeof loader>()
  const { token } = useParams()
  if (!page.request)
    return (
      <div className="container narrow">
        <PageHeader title={t(page.state === 'expired' ? 'dsr.track.expired_title' : 'dsr.track.unknown_title')} />
        <Notice kind="error">{t(page.state === 'expired' ? 'dsr.track.expired' : 'dsr.track.unknown')}</Notice>
        <p>
          <Link to="/privacy">{t('nav.rights')}</Link>
        </p>
      </div>
    )
  return (
    <div className="container narrow">
      <PageHeader title={t('dsr.track.title', { reference: page.request.reference })} />
      <RequestStatus request={page.request}>
        <PackageDownload link={page.packageLink} action={`/rights-request/status/${token}/package`} />
      </RequestStatus>
      <p className="hint">{page.linkExpiresAt ? t('dsr.track.link_expires', { date: formatDate(t.lang, page.linkExpiresAt) }) : t('dsr.track.link_open')}</p>
    </div>
  )
}

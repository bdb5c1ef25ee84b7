import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n'
import { packageLinkView } from '~/privacy/rights-requests/package-links.server'
import type { RouteAccess } from '~/permissions/access'
import { PageHeader } from '~/ui/kit'
import { requireOwnRightsRequest } from '~/ui/own-request.server'
import { PackageDownload } from '~/ui/package-download'
import { RequestStatus } from '~/ui/request-status'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.my_request')
// One of "My requests". Someone else's request is refused by the policy (403, audited), whoever
// asks — a school's DPO included: here a request is checked as its requester sees it.
export const handle = { access: { allow: 'adults', params: { requestId: 'token' }, note: 'the requester’s own requests only; an unknown id is a 404' } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const requestId = params.requestId ?? ''
  const { ctx, found } = await requireOwnRightsRequest(request, requestId)
  return { request: found.view, packageLink: await packageLinkView(ctx.db, { orgId: found.orgId, requestId: found.view.id }) }
}

export default function MyRequest() {
  const t = useT()
  const { request, packageLink } = useLoaderData<typeof loader>()
  return (
    <div className="container narrow">
      <PageHeader title={t('dsr.track.title', { reference: request.reference })} />
      <RequestStatus request={request}>
        <PackageDownload link={packageLink} action={`/account/requests/${request.id}/package`} />
      </RequestStatus>
      <p>
        <Link to="/account/requests">{t('dsr.mine.back')}</Link>
      </p>
    </div>
  )
}

import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData, useParams } from '@remix-run/react'
import { formatDate, t as translate, useT, type Lang } from '~/i18n'
import { packageLinkByToken, type PackageLinkState } from '~/privacy/rights-requests/package-links.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { Notice, PageHeader } from '~/ui/kit'
import { pageTitle, withMeta } from '~/ui/meta'

export const meta = withMeta(pageTitle('title.package'), { name: 'referrer', content: 'same-origin' }, { name: 'robots', content: 'noindex' })
// Public: the emailed link is the credential (ADR 022). Opening it counts nothing (a mail
// scanner may open it); the download button POSTs to …/download, which is counted and audited,
// and comes back here when it is refused (this page then says why).
export const handle = { access: { allow: 'everyone', params: { token: 'token' } } satisfies RouteAccess }

type Refusal = Exclude<PackageLinkState, 'available'> | 'unknown'

/** The refusal in the visitor's language, with what to do next. */
function refusal(lang: Lang, state: Refusal, link: Awaited<ReturnType<typeof packageLinkByToken>>) {
  const vars = { reference: link?.reference ?? '', org: link?.orgName ?? '', date: formatDate(lang, link?.expiresAt ?? null, true), max: link?.maxDownloads ?? 0 }
  return translate(lang, `dsr.package_page.${state}`, vars)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const link = await packageLinkByToken(ctx.db, params.token ?? '')
  const state: PackageLinkState | 'unknown' = link?.state ?? 'unknown'
  const page = {
    reference: link?.reference ?? null,
    orgName: link?.orgName ?? null,
    available: state === 'available' ? { expiresAt: link!.expiresAt.toISOString(), left: link!.downloadsLeft } : null,
    refused: state === 'available' ? null : refusal(ctx.lang, state, link),
  }
  return data(page, { status: state === 'unknown' ? 404 : state === 'available' ? 200 : 410, headers: { 'Cache-Control': 'no-store' } })
}

export default function PackageLinkPage() {
  const t = useT()
  const page = useLoaderData<typeof loader>()
  const { token } = useParams()
  const refused = page.refused
  return (
    <div className="container narrow">
      <PageHeader title={t('dsr.package_page.title')} />
      {page.reference && <p>{t('dsr.package_page.intro', { reference: page.reference, org: page.orgName ?? '' })}</p>}
      {refused ? (
        <Notice kind="error">{refused}</Notice>
      ) : (
        page.available && (
          <>
            <p>{t('dsr.package_page.available', { date: formatDate(t.lang, page.available.expiresAt, true), left: page.available.left })}</p>
            <p className="hint">{t('dsr.package_page.contents')}</p>
            <Form method="post" action={`/rights-request/package/${token}/download`} reloadDocument>
              <button type="submit">{t('dsr.package_page.download')}</button>
            </Form>
          </>
        )
      )}
    </div>
  )
}

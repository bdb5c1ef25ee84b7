import { createReadableStreamFromReadable, data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT, type Lang } from '~/i18n'
import { downloadPackage, packageLinkByToken, type PackageLinkState } from '~/privacy/rights-requests/package-links.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { Notice, PageHeader } from '~/ui/kit'
import { fileHeaders } from '~/ui/http.server'

export const meta: MetaFunction = () => [{ title: 'Carnet — vos données personnelles' }, { name: 'referrer', content: 'no-referrer' }, { name: 'robots', content: 'noindex' }]
// Public: the emailed link is the credential (ADR 022). Opening it counts nothing (a mail
// scanner may open it); the download button POSTs, and that is what is counted and audited.
export const handle = { access: { allow: 'everyone', params: { token: 'token' }, note: 'POST streams application/zip' } satisfies RouteAccess }

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

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const token = params.token ?? ''
  try {
    const out = await downloadPackage(ctx.db, { via: { token }, actorId: user?.user.id ?? null, origin: ctx.origin })
    if (out.ok) return new Response(createReadableStreamFromReadable(out.pkg.stream), { headers: fileHeaders('application/zip', out.pkg.fileName) })
    const link = await packageLinkByToken(ctx.db, token)
    return data({ refused: refusal(ctx.lang, out.state, link) }, { status: out.state === 'unknown' ? 404 : 410 })
  } catch (e) {
    // Erased between the count and the build: nothing is served.
    if (e instanceof DomainError) return data({ refused: refusal(ctx.lang, 'erased', await packageLinkByToken(ctx.db, token)) }, { status: 410 })
    throw e
  }
}

export default function PackageLinkPage() {
  const t = useT()
  const page = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const refused = answer?.refused ?? page.refused
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
            <Form method="post" reloadDocument>
              <button type="submit">{t('dsr.package_page.download')}</button>
            </Form>
          </>
        )
      )}
    </div>
  )
}

import { createReadableStreamFromReadable, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { downloadPackage } from '~/privacy/rights-requests/package-links.server'
import { requestByStatusToken } from '~/privacy/rights-requests/status.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { fileHeaders } from '~/ui/http.server'

// The access package from the requester's status link (the token is the key, ADR 023): the
// request's released package, within that link's limits (expiry, number of downloads), counted
// and audited (ADR 022) — the same 256-bit credential mailed to the same verified address as the
// package link. A resource route: a page's action cannot answer a document POST with a file.
// Refused (unknown or expired status link, nothing released, used up, erased): back to the
// status page, which says which.
export const handle = {
  access: { allow: 'everyone', params: { token: 'token' }, note: 'resource route (POST): application/zip of the released package; GET goes back to the status page' } satisfies RouteAccess,
}

const page = (token: string) => `/rights-request/status/${encodeURIComponent(token)}`

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(page(params.token ?? ''))
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const token = params.token ?? ''
  const found = await requestByStatusToken(ctx.db, token)
  if (found.state !== 'ok') return redirect(page(token))
  try {
    const out = await downloadPackage(ctx.db, { via: { requestId: found.request.id }, actorId: null, origin: ctx.origin })
    if (!out.ok) return redirect(page(token))
    return new Response(createReadableStreamFromReadable(out.pkg.stream), { headers: fileHeaders('application/zip', out.pkg.fileName) })
  } catch (e) {
    // Erased between the count and the build: nothing is served.
    if (e instanceof DomainError) return redirect(page(token))
    throw e
  }
}

import { createReadableStreamFromReadable, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { downloadPackage } from '~/privacy/rights-requests/package-links.server'
import type { RouteAccess } from '~/permissions/access'
import { fileHeaders } from '~/ui/http.server'
import { requireOwnRightsRequest } from '~/ui/own-request.server'

// The access package from "My requests": the signed-in requester downloads what the DPO
// released, within the same link's limits (expiry, number of downloads), counted and audited
// (ADR 022). Someone else's request is refused by the policy (403, audited).
export const handle = {
  access: { allow: 'adults', params: { requestId: 'token' }, note: 'resource route (POST): application/zip of the requester’s own released package; 404 for an unknown request' } satisfies RouteAccess,
}

export async function action({ request, params }: ActionFunctionArgs) {
  const requestId = params.requestId ?? ''
  const { ctx } = await requireOwnRightsRequest(request, requestId)
  const back = redirect(`/account/requests/${requestId}`)
  try {
    const out = await downloadPackage(ctx.db, { via: { requestId }, actorId: ctx.user.id, origin: ctx.origin })
    // Refused (expired, used up, erased, never released): the request's page says which.
    if (!out.ok) return back
    return new Response(createReadableStreamFromReadable(out.pkg.stream), { headers: fileHeaders('application/zip', out.pkg.fileName) })
  } catch (e) {
    if (e instanceof DomainError) return back
    throw e
  }
}

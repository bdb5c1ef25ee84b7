import { createReadableStreamFromReadable, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { downloadPackage } from '~/privacy/rights-requests/package-links.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { fileHeaders } from '~/ui/http.server'

// The download behind the emailed link's button (ADR 022): counted under the link's lock and
// audited (the signed-in person if any, else the address and browser), then the package built
// from the data of this moment is streamed. Refused (expired, used up, replaced, erased,
// unknown): nothing is served, back to the link's page, which says why in the visitor's language.
export const handle = { access: { allow: 'everyone', params: { token: 'token' }, note: 'resource route (POST): application/zip, or back to the link page' } satisfies RouteAccess }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const token = params.token ?? ''
  const back = redirect(`/rights-request/package/${encodeURIComponent(token)}`)
  try {
    const out = await downloadPackage(ctx.db, { via: { token }, actorId: user?.user.id ?? null, origin: ctx.origin })
    if (!out.ok) return back
    return new Response(createReadableStreamFromReadable(out.pkg.stream), { headers: fileHeaders('application/zip', out.pkg.fileName) })
  } catch (e) {
    // Erased between the count and the build: nothing is served.
    if (e instanceof DomainError) return back
    throw e
  }
}

import { createReadableStreamFromReadable, type ActionFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { organizationName } from '~/models/staff/org-home.server'
import { buildAccessPackage } from '~/privacy/rights-requests/access-package.server'
import { recordAudit } from '~/compliance/audit.server'
import { isUuid } from '~/privacy/consent/view.server'
import { fileHeaders } from '~/ui/http.server'
import { addEvent } from '~/privacy/rights-requests/intake.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// Access / portability package of a request, built and streamed on demand (POST: never
// prefetched); nothing is kept on the server. Only the DPO's workspace builds it.
export const handle = {
  access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA', requestId: 'token' }, note: 'resource route (POST): application/zip; 404 for an unknown request' } satisfies RouteAccess,
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'RightsRequest', { orgId })
  const requestId = params.requestId ?? ''
  if (!isUuid(requestId)) throw new Response('Not found', { status: 404 })
  const orgName = await organizationName(ctx.db, { orgId })
  try {
    const pkg = await buildAccessPackage(ctx.db, { orgId, requestId, orgName: orgName ?? '' })
    await addEvent(ctx.db, { id: requestId, orgId }, { kind: 'package_built', actorId: ctx.user.id, details: { tables: pkg.tables.filter((x) => x.rows > 0).length } })
    await recordAudit(ctx.db, {
      action: 'export.dsr_package',
      orgId,
      actorId: ctx.user.id,
      targetType: 'rights_request',
      targetId: requestId,
      ...ctx.origin,
      details: { rows: pkg.tables.reduce((n, x) => n + x.rows, 0) },
    })
    return new Response(createReadableStreamFromReadable(pkg.stream), { headers: fileHeaders('application/zip', pkg.fileName) })
  } catch (e) {
    if (e instanceof DomainError) throw new Response(e.code, { status: e.status })
    throw e
  }
}

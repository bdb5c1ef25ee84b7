import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/compliance/audit.server'
import { fileHeaders } from '~/ui/http.server'
import { recordsPdf } from '~/privacy/records/pdf.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// The records of processing as PDF.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'resource route: application/pdf' } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const { bytes, fileName } = await recordsPdf(ctx.db, { orgId, lang: ctx.lang })
  await recordAudit(ctx.db, { action: 'export.records_of_processing', orgId, actorId: ctx.user.id, targetType: 'organization', targetId: orgId, ...ctx.origin })
  return new Response(new Uint8Array(bytes), { headers: fileHeaders('application/pdf', fileName) })
}

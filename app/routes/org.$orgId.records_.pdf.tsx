import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/compliance/audit.server'
import { fileHeaders } from '~/permissions/dpo-guard.server'
import { recordsPdf } from '~/privacy/records/pdf.server'
import { requireOrgPage } from '~/permissions/retention-guard.server'
import type { RouteAccess } from '~/permissions/access'

// The records of processing as PDF.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'resource route: application/pdf' } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, orgId } = await requireOrgPage(request, params)
  const { bytes, fileName } = await recordsPdf(ctx.db, { orgId, lang: ctx.lang })
  await recordAudit(ctx.db, { action: 'export.records_of_processing', orgId, actorId: ctx.user.id, targetType: 'organization', targetId: orgId, ...ctx.origin })
  return new Response(new Uint8Array(bytes), { headers: fileHeaders('application/pdf', fileName) })
}

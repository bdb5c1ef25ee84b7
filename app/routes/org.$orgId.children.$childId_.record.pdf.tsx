import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/compliance/audit.server'
import { fileHeaders } from '~/ui/http.server'
import { childRecordPdf } from '~/exports/learning/pdf-exports.server'
import { childForRecord } from '~/models/learning/record.server'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'

// A child's learning record as a PDF: staff get every item they may export, a guardian of the
// child the published items only. Reading it changes nothing, so a GET; every download is audited.
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher'],
    params: { orgId: 'orgA', childId: 'childA1' },
    note: 'resource route: application/pdf; also a guardian linked to the child (published items only)',
  } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  const { child } = await childForRecord(ctx, orgId, params.childId ?? '')
  const q = new URL(request.url).searchParams
  const pdf = await childRecordPdf(ctx.db, ctx.ability, { orgId, child, period: { from: q.get('from'), to: q.get('to') }, lang: ctx.lang })
  await recordAudit(ctx.db, {
    action: 'export.learning_child_pdf',
    orgId,
    actorId: ctx.user.id,
    targetType: 'child',
    targetId: child.id,
    ...ctx.origin,
    details: { publishedOnly: pdf.publishedOnly, results: pdf.results, observations: pdf.observations },
  })
  return new Response(Buffer.from(pdf.bytes), { headers: fileHeaders('application/pdf', pdf.fileName) })
}

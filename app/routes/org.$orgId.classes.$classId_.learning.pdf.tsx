import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/compliance/audit.server'
import { fileHeaders } from '~/ui/http.server'
import { classResultsPdf } from '~/exports/learning/pdf-exports.server'
import { classForLearning } from '~/models/learning/record.server'
import type { RouteAccess } from '~/permissions/access'
import { requireAbility } from '~/permissions/request.server'

// The class results report (PDF). Whoever may export every record of the class: its teachers,
// the school's admins and its DPO (the policy's 'export LearningRecord'). Audited.
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher', 'dpo'],
    params: { orgId: 'orgA', classId: 'classA1' },
    note: 'resource route: application/pdf',
  } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  const klass = await classForLearning(ctx, orgId, params.classId ?? '', 'export')
  const q = new URL(request.url).searchParams
  const pdf = await classResultsPdf(ctx.db, { orgId, klass, period: { from: q.get('from'), to: q.get('to') }, lang: ctx.lang })
  await recordAudit(ctx.db, {
    action: 'export.learning_class_pdf',
    orgId,
    actorId: ctx.user.id,
    targetType: 'class',
    targetId: klass.id,
    ...ctx.origin,
    details: { children: pdf.children, results: pdf.results, from: q.get('from'), to: q.get('to') },
  })
  return new Response(Buffer.from(pdf.bytes), { headers: fileHeaders('application/pdf', pdf.fileName) })
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { now } from '~/clock.server'
import { recordAudit } from '~/compliance/audit.server'
import { auditCsv, auditFilterFrom } from '~/privacy/audit/view.server'
import { parisDate } from '~/compliance/calendar.server'
import { fileHeaders } from '~/ui/http.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// The filtered audit log as CSV (UTF-8 with BOM), streamed.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'resource route: text/csv' } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'AuditLog', { orgId })
  const filter = auditFilterFrom(new URL(request.url).searchParams)
  await recordAudit(ctx.db, { action: 'export.audit_log', orgId, actorId: ctx.user.id, targetType: 'audit_log', targetId: orgId, ...ctx.origin, details: { filter } })
  return new Response(auditCsv(ctx.db, orgId, filter), { headers: fileHeaders('text/csv; charset=utf-8', `journal-audit-${parisDate(now())}.csv`) })
}

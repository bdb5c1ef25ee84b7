import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/compliance/audit.server'
import { consentFilterFrom, consentLogCsv, consentLogPdf } from '~/privacy/consent/view.server'
import { fileHeaders } from '~/ui/http.server'
import { parisDate } from '~/compliance/calendar.server'
import { now } from '~/clock.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// The filtered consent log as CSV (UTF-8 with BOM, streamed) or PDF; ids only, as in the chain.
export const handle = {
  access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'resource route: text/csv or application/pdf (?format=)' } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  const url = new URL(request.url)
  const filter = consentFilterFrom(url.searchParams)
  const format = url.searchParams.get('format') === 'pdf' ? 'pdf' : 'csv'
  await recordAudit(ctx.db, { action: 'export.consent_log', orgId, actorId: ctx.user.id, targetType: 'consent_log', targetId: orgId, ...ctx.origin, details: { format, filter } })
  const name = `journal-consentements-${parisDate(now())}`
  if (format === 'pdf') {
    const pdf = await consentLogPdf(ctx.db, orgId, filter, ctx.lang)
    return new Response(new Uint8Array(pdf.bytes), { headers: fileHeaders('application/pdf', `${name}.pdf`) })
  }
  return new Response(consentLogCsv(ctx.db, orgId, filter), { headers: fileHeaders('text/csv; charset=utf-8', `${name}.csv`) })
}

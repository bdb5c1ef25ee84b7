import type { LoaderFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { recordAudit } from '~/compliance/audit.server'
import { breachNotificationPdf } from '~/privacy/breaches/pdf.server'
import { fileHeaders } from '~/ui/http.server'
import { isUuid } from '~/ui/http.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// The controller's breach notification (Art. 33(3) contents, its clock and steps) as PDF.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA', breachId: 'token' }, note: 'resource route: application/pdf; 404 for an unknown breach' } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const breachId = params.breachId ?? ''
  if (!isUuid(breachId)) throw new Response('Not found', { status: 404 })
  try {
    const { bytes, fileName } = await breachNotificationPdf(ctx.db, { orgId, breachId, lang: ctx.lang })
    await recordAudit(ctx.db, { action: 'export.breach_notification', orgId, actorId: ctx.user.id, targetType: 'breach', targetId: breachId, ...ctx.origin })
    return new Response(new Uint8Array(bytes), { headers: fileHeaders('application/pdf', fileName) })
  } catch (e) {
    if (e instanceof DomainError) throw new Response('Not found', { status: 404 })
    throw e
  }
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/compliance/audit.server'
import { parisDate } from '~/compliance/calendar.server'
import { certificatePdf, computeCertificate } from '~/privacy/certificate/certificate.server'
import { isUuid } from '~/privacy/consent/view.server'
import { fileHeaders } from '~/ui/http.server'
import { DomainError } from '~/errors.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// The certificate as PDF (?class= for one class, the whole school otherwise).
export const handle = {
  access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'resource route: application/pdf' } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  const classId = new URL(request.url).searchParams.get('class')
  try {
    const cert = await computeCertificate(ctx.db, { orgId, scope: isUuid(classId) ? { kind: 'class', classId } : { kind: 'school' } })
    const bytes = await certificatePdf(cert, ctx.lang)
    await recordAudit(ctx.db, {
      action: 'export.certificate',
      orgId,
      actorId: ctx.user.id,
      targetType: cert.scope.kind === 'class' ? 'class' : 'organization',
      targetId: cert.scope.kind === 'class' ? cert.scope.classId : orgId,
      ...ctx.origin,
      details: { checkpointSeq: cert.checkpoint?.seq ?? null },
    })
    const scope = cert.scope.kind === 'class' ? cert.scope.className : 'etablissement'
    return new Response(new Uint8Array(bytes), { headers: fileHeaders('application/pdf', `attestation-${scope}-${parisDate(cert.generatedAt)}.pdf`) })
  } catch (e) {
    if (e instanceof DomainError) throw new Response(e.code, { status: e.status })
    throw e
  }
}

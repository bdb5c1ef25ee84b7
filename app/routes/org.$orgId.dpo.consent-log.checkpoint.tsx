import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/compliance/audit.server'
import { checkpointFileName, checkpointJson, getCheckpoint, latestCheckpoint } from '~/compliance/checkpoints.server'
import { organizationName } from '~/models/staff/org-home.server'
import { isUuid } from '~/privacy/consent/view.server'
import { fileHeaders } from '~/ui/http.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// A signed checkpoint as JSON (?id=, or the latest), for the school to keep outside Carnet.
export const handle = {
  access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'resource route: application/json; 404 when none' } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'ConsentLog', { orgId })
  const id = new URL(request.url).searchParams.get('id')
  const cp = isUuid(id) ? await getCheckpoint(ctx.db, orgId, id) : await latestCheckpoint(ctx.db, orgId)
  if (!cp) throw new Response('Not found', { status: 404 })
  const orgName = await organizationName(ctx.db, { orgId })
  await recordAudit(ctx.db, { action: 'export.consent_checkpoint', orgId, actorId: ctx.user.id, targetType: 'consent_checkpoint', targetId: cp.id, ...ctx.origin })
  return new Response(JSON.stringify(checkpointJson(cp, orgName ?? undefined), null, 2) + '\n', {
    headers: fileHeaders('application/json; charset=utf-8', checkpointFileName(cp)),
  })
}

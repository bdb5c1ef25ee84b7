// The DPO workspace's one entry check: a DPO or admin membership in the organization, then
// the policy's rule on the log or request subject (both audited as denials when refused).
import type { Action } from './abilities'
import { authorize, requireAbility, requireOrgRole } from './request.server'

export async function requireDpoWorkspace(
  request: Request,
  params: { orgId?: string },
  subject: 'ConsentLog' | 'AuditLog' | 'RightsRequest',
  action: Action = 'read',
) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await requireOrgRole(ctx, orgId, ['admin', 'dpo'])
  await authorize(ctx, action, subject, { orgId })
  return { ctx, orgId }
}

/** A download: no caching anywhere, a file name, and the type. */
export function fileHeaders(type: string, fileName: string, extra: Record<string, string> = {}) {
  return {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'Cache-Control': 'no-store',
    ...extra,
  }
}

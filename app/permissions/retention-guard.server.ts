// Entry checks of the privacy pages: a membership with one of `roles` in the organization, then
// the policy's rule on the organization (so an organization in its retention period leaves
// its admins only what GTCS §21.2 allows); the operator's pages: the operator only.
import type { Action } from './abilities'
import { authorize, deny, requireAbility, requireOrgRole } from './request.server'

export async function requireOrgPage(request: Request, params: { orgId?: string }, roles: ('admin' | 'dpo' | 'teacher')[] = ['admin', 'dpo'], action: Action = 'read') {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await requireOrgRole(ctx, orgId, roles)
  await authorize(ctx, action, 'Organization', { id: orgId, orgId })
  const isAdmin = ctx.principal.memberships.some((m) => m.orgId === orgId && m.role === 'admin')
  return { ctx, orgId, isAdmin }
}

export async function requireOperator(request: Request) {
  const ctx = await requireAbility(request)
  if (!ctx.principal.isOperator) await deny(ctx, 'read', 'PlatformRegister', null)
  return ctx
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v)

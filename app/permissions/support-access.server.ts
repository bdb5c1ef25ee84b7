// Operator support access: the platform operator reads an organization's learning data only
// while an admin's support grant is in force (≤ 72 h). The grants in force are read with the
// principal on every request (principal.server.ts) and the policy turns them into rules
// (abilities.ts), so nothing needs revoking by hand; each request under /org/<that org> during
// a grant is written to the audit log.
import { and, gt, inArray, isNull, lte } from 'drizzle-orm'
import { supportGrants } from '../../drizzle/schema'
import { now } from '../clock.server'
import { originOf, recordAudit } from '../compliance/audit.server'
import type { DbOrTx } from '../db.server'
import type { Principal } from './abilities'

/** Audits a request of the operator inside an organization it holds a support grant for. */
export async function auditSupportAccess(db: DbOrTx, p: Principal, request: Request | undefined) {
  const path = request ? new URL(request.url).pathname : ''
  for (const g of p.supportGrants ?? []) {
    if (!path.startsWith(`/org/${g.orgId}`)) continue
    await recordAudit(db, {
      action: 'support.access',
      orgId: g.orgId,
      actorId: p.userId,
      targetType: 'support_grant',
      targetId: g.id,
      ...(request ? originOf(request) : {}),
      details: { method: request?.method ?? 'GET', path },
    })
  }
}

/** Support grants in force now (for the given organizations, or all). */
export async function activeGrants(db: DbOrTx, orgIds?: string[]) {
  const at = now()
  return db
    .select()
    .from(supportGrants)
    .where(and(isNull(supportGrants.revokedAt), lte(supportGrants.grantedAt, at), gt(supportGrants.expiresAt, at), orgIds ? inArray(supportGrants.orgId, orgIds) : undefined))
}

import { and, eq, gt, isNull, lte, or } from 'drizzle-orm'
import { guardianLinks, memberships } from '../../drizzle/schema'
import { now } from '../clock.server'
import type { DbOrTx } from '../db.server'

export type LinkedChild = { orgId: string; childId: string; canSeeRecord: boolean; canGiveConsent: boolean }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** SQL for "active now": started, not suspended, not ended. */
export function activeLinkWhere(at = now()) {
  return and(lte(guardianLinks.startedAt, at), isNull(guardianLinks.suspendedAt), or(isNull(guardianLinks.endedAt), gt(guardianLinks.endedAt, at)))
}

/**
 * The children a guardian may see right now: ACTIVE links only (started, not suspended, not
 * ended) of children still active in their organization. Read on every request, so a link
 * the school suspends stops working on the guardian's next request.
 */
export async function guardianLinksFor(db: DbOrTx, guardianId: string): Promise<LinkedChild[]> {
  if (!UUID.test(guardianId)) return []
  return db
    .select({ orgId: guardianLinks.orgId, childId: guardianLinks.childId, canSeeRecord: guardianLinks.canSeeRecord, canGiveConsent: guardianLinks.canGiveConsent })
    .from(guardianLinks)
    .innerJoin(memberships, and(eq(memberships.orgId, guardianLinks.orgId), eq(memberships.userId, guardianLinks.childId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .where(and(eq(guardianLinks.guardianId, guardianId), activeLinkWhere()))
}

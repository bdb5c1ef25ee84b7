import type { DbOrTx } from '../db.server'
import { activeLinksOf } from '../models/families/links.server'

export type LinkedChild = { orgId: string; childId: string; canSeeRecord: boolean; canGiveConsent: boolean }

/**
 * The children a guardian may see right now: ACTIVE links only (started, not suspended, not
 * ended) of children still active in their organization. Read on every request, so a link
 * the school suspends stops working on the guardian's next request.
 */
export async function guardianLinksFor(db: DbOrTx, userId: string): Promise<LinkedChild[]> {
  const rows = await activeLinksOf(db, userId)
  return rows.map((r) => ({ orgId: r.orgId, childId: r.childId, canSeeRecord: r.canSeeRecord, canGiveConsent: r.canGiveConsent }))
}

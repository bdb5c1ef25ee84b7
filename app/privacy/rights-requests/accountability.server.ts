// A closed rights request is the controller's evidence that it answered: kept (pseudonymized
// if its subject was erased) for an accountability period, then deleted with its events
// (ADR 020). Open requests are never purged, however old.
import { and, eq, lt } from 'drizzle-orm'
import { rightsRequests } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import { config } from '../../config.server'
import type { DbOrTx } from '../../db.server'
import { recordAudit } from '../../compliance/audit.server'

/** The moment before which a closed request has been kept long enough. */
export function accountabilityCutoff(at = now(), years = config.rightsRequestRetentionYears) {
  const d = new Date(at)
  d.setUTCFullYear(d.getUTCFullYear() - years)
  return d
}

/** Deletes closed requests past the accountability period; one audit entry per organization. */
export async function purgeClosedRequests(db: DbOrTx) {
  const years = config.rightsRequestRetentionYears
  const cutoff = accountabilityCutoff(now(), years)
  const gone = await db
    .delete(rightsRequests)
    .where(and(eq(rightsRequests.status, 'closed'), lt(rightsRequests.closedAt, cutoff)))
    .returning({ orgId: rightsRequests.orgId })
  const perOrg = new Map<string, number>()
  for (const g of gone) perOrg.set(g.orgId, (perOrg.get(g.orgId) ?? 0) + 1)
  for (const [orgId, count] of perOrg) {
    await recordAudit(db, { action: 'dsr.accountability_purge', orgId, targetType: 'organization', targetId: orgId, details: { count, years, closedBefore: cutoff.toISOString() } })
  }
  return { purged: gone.length }
}

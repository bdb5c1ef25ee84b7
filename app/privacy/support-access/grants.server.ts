// Operator support access (Annex D "Access to Client accounts and data is strictly limited to
// authorized Learn&Go personnel, solely for maintenance or support purposes"; DESIGN §3.12).
// The operator has no rule on learning data; an admin of the organization may grant a support
// access for a stated reason and at most 72 hours. The policy reads the active grants on every
// request (policy.server.ts), so access ends on time without anyone acting; the grant is in the
// consent log ('support_access_granted'), every access during it and its end in the audit log.
import { and, desc, eq, gt, isNull, lte, or, isNotNull } from 'drizzle-orm'
import { supportGrants } from '../../../drizzle/schema'
import { HOUR, now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { activeGrants } from '../../permissions/support-access.server'
import { appendConsent } from '../../compliance/consent-log.server'
import { MAX_SUPPORT_HOURS } from './grants.schema'

// The limit lives with the form's schema, which the browser loads too.
export { MAX_SUPPORT_HOURS }

export async function grantSupport(db: DbOrTx, a: { orgId: string; by: string; reason: string; hours: number; origin?: RequestOrigin }) {
  const reason = a.reason.trim()
  if (reason.length < 5) throw new Invalid('retention.support.reason_required')
  if (!Number.isInteger(a.hours) || a.hours < 1 || a.hours > MAX_SUPPORT_HOURS) throw new Invalid('retention.support.hours_invalid', { max: MAX_SUPPORT_HOURS })
  if ((await activeGrants(db, [a.orgId])).length) throw new Conflict('retention.support.already')
  const grantedAt = now()
  const expiresAt = new Date(grantedAt.getTime() + a.hours * HOUR)
  const [g] = await db.insert(supportGrants).values({ orgId: a.orgId, grantedBy: a.by, reason, grantedAt, expiresAt }).returning()
  await appendConsent(db, {
    orgId: a.orgId,
    event: 'support_access_granted',
    state: 'given',
    actorId: a.by,
    purpose: 'support',
    method: 'web_form',
    details: { grantId: g!.id, hours: a.hours, expiresAt: expiresAt.toISOString() },
  })
  await recordAudit(db, {
    action: 'support.granted',
    orgId: a.orgId,
    actorId: a.by,
    targetType: 'support_grant',
    targetId: g!.id,
    ...(a.origin ?? {}),
    details: { hours: a.hours, expiresAt: expiresAt.toISOString() },
  })
  return g!
}

export async function revokeSupport(db: DbOrTx, a: { orgId: string; grantId: string; by: string; origin?: RequestOrigin }) {
  const [g] = await db
    .update(supportGrants)
    .set({ revokedAt: now(), revokedBy: a.by })
    .where(and(eq(supportGrants.id, a.grantId), eq(supportGrants.orgId, a.orgId), isNull(supportGrants.revokedAt), gt(supportGrants.expiresAt, now())))
    .returning()
  if (!g) throw new NotFound('support_grant')
  await recordAudit(db, { action: 'support.revoked', orgId: a.orgId, actorId: a.by, targetType: 'support_grant', targetId: g.id, ...(a.origin ?? {}) })
  return g
}

/** Grants in force right now (the only thing the policy reads). */
export async function grantsOf(db: DbOrTx, orgId: string) {
  return db.select().from(supportGrants).where(eq(supportGrants.orgId, orgId)).orderBy(desc(supportGrants.grantedAt)).limit(50)
}

/** The sweep writes each grant's end (expiry or revocation) to the audit log, once. */
export async function logEndedGrants(db: DbOrTx) {
  const at = now()
  const ended = await db
    .update(supportGrants)
    .set({ endLoggedAt: at })
    .where(and(isNull(supportGrants.endLoggedAt), or(lte(supportGrants.expiresAt, at), isNotNull(supportGrants.revokedAt))))
    .returning()
  for (const g of ended) {
    const expired = !g.revokedAt || g.revokedAt >= g.expiresAt
    await recordAudit(db, {
      action: expired ? 'support.expired' : 'support.ended',
      orgId: g.orgId,
      targetType: 'support_grant',
      targetId: g.id,
      details: { endedAt: (expired ? g.expiresAt : g.revokedAt!).toISOString() },
    })
  }
  return { ended: ended.length }
}

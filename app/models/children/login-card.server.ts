import {} from 'drizzle-orm'
import { childProfiles } from '../../../drizzle/schema'
import { hmacHex, randomToken, sha256Hex, shortCode } from '../../crypto.server'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'

/**
 * Issues (or re-issues) a child's login card: a QR token and a short typed code. Only hashes
 * are stored, so the old card stops working the moment a new one is issued.
 */
export async function issueChildCard(db: DbOrTx, a: { orgId: string; childId: string }) {
  const token = randomToken()
  const code = shortCode(6)
  const values = { cardTokenHash: sha256Hex(token), cardCodeHash: cardCodeHash(a.childId, code), cardIssuedAt: now() }
  await db
    .insert(childProfiles)
    .values({ childId: a.childId, orgId: a.orgId, ...values })
    .onConflictDoUpdate({ target: childProfiles.childId, set: values })
  return { token, code }
}

/** Keyed by the child, so the same code on two cards never matches the wrong child. */
export function cardCodeHash(childId: string, code: string) {
  return hmacHex(`${childId}:${code.toUpperCase().replace(/[^A-Z0-9]/g, '')}`, 'child-card')
}

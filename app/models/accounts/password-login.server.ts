import { eq } from 'drizzle-orm'
import { users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { childLoginRefusal } from '../children/child-login.server'
import { burnPasswordCheck, verifyPassword } from '../../auth/password.server'
import { createSession } from '../../auth/session.server'
import { networkForAccount } from '../../auth/networks.server'
import { clientIp, normalizeIdentifier, passwordCounters, reachedCeilings, releaseAttempt, reserveAttempt } from '../../auth/throttle.server'
import { isChildAccount, sessionKindOf } from '../../roles'

export type LoginResult =
  { ok: true; token: string; userId: string } | { ok: false; reason: 'invalid' | 'deactivated' | 'child_blocked' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Password login for adults (by email) and older children (by username). The answer for an
 * unknown identifier and a wrong password is the same, and takes the same time. The attempt is
 * counted before the password is checked (app/auth/throttle.server.ts), so parallel guesses
 * cannot slip past the limit.
 */
export async function loginWithPassword(db: DbOrTx, identifier: string, password: string, origin: RequestOrigin): Promise<LoginResult> {
  const id = normalizeIdentifier(identifier)
  const ip = clientIp(origin.ip)
  const [user] = await db
    .select()
    .from(users)
    .where(id.includes('@') ? eq(users.email, id) : eq(users.username, id))
  const reservation = await reserveAttempt(db, passwordCounters(id, ip, await networkForAccount(db, user?.id, ip)))
  if (reservation.refused) {
    await burnPasswordCheck(password)
    await recordAudit(db, { action: 'auth.login_throttled', outcome: 'denied', actorId: user?.id ?? null, ...origin, details: { by: reservation.by } })
    return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds }
  }
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false)
  if (!user || !valid) {
    await recordAudit(db, { action: 'auth.login_failed', outcome: 'failure', actorId: user?.id ?? null, ...origin })
    // The attempt that reaches a ceiling is the lockout: recorded once, as such.
    for (const by of reachedCeilings(reservation)) {
      await recordAudit(db, { action: 'auth.lockout', outcome: 'denied', actorId: user?.id ?? null, ...origin, details: { by } })
    }
    return { ok: false, reason: 'invalid' }
  }
  // The right password is not a guess: whatever follows, the reservation is given back.
  await releaseAttempt(db, reservation)
  if (user.deactivatedAt) {
    await recordAudit(db, { action: 'auth.login_refused_deactivated', outcome: 'denied', actorId: user.id, ...origin })
    return { ok: false, reason: 'deactivated' }
  }
  // A child with a username obeys the same rules as one with a card (archived, restricted, no authorisation).
  if (isChildAccount(user)) {
    const refusal = await childLoginRefusal(db, { childId: user.id })
    if (refusal) {
      await recordAudit(db, { action: 'auth.child_login_refused', outcome: 'denied', actorId: user.id, ...origin, details: { refusal } })
      return { ok: false, reason: 'child_blocked' }
    }
  }
  await db.update(users).set({ lastLoginAt: now() }).where(eq(users.id, user.id))
  const { token } = await createSession(db, user.id, { kind: sessionKindOf(user), ...origin })
  await recordAudit(db, { action: 'auth.login', actorId: user.id, targetType: 'user', targetId: user.id, ...origin })
  return { ok: true, token, userId: user.id }
}

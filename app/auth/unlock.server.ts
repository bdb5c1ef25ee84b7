// The unlock page of a locked staff session asks for the password again. It is a password
// login in all but name, so it is counted under the same counters and ceilings: past them
// the session ends (revoked) and the person signs in again from the login page.
import { eq } from 'drizzle-orm'
import { users } from '../../drizzle/schema'
import { now } from '../clock.server'
import type { DbOrTx } from '../db.server'
import { recordAudit, type RequestOrigin } from '../compliance/audit.server'
import { networkForAccount } from './networks.server'
import { burnPasswordCheck, verifyPassword } from './password.server'
import { invalidateSession, unlockSession } from './session.server'
import { clientIp, passwordCounters, reachedCeilings, releaseAttempt, reserveAttempt, THROTTLE_WINDOW } from './throttle.server'

export type UnlockResult = { ok: true } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'ended'; retryAfterSeconds: number }

export async function unlockWithPassword(db: DbOrTx, a: { sessionId: string; userId: string; password: string; origin: RequestOrigin }): Promise<UnlockResult> {
  const ip = clientIp(a.origin.ip)
  const [user] = await db.select({ email: users.email, username: users.username, passwordHash: users.passwordHash }).from(users).where(eq(users.id, a.userId))
  const identifier = user?.email ?? user?.username ?? a.userId
  const reservation = await reserveAttempt(db, passwordCounters(identifier, ip, await networkForAccount(db, a.userId, ip)))
  const end = async (retryAfterSeconds: number, by: string) => {
    await invalidateSession(db, a.sessionId)
    await recordAudit(db, { action: 'auth.unlock_ended', outcome: 'denied', actorId: a.userId, ...a.origin, details: { by } })
    return { ok: false as const, reason: 'ended' as const, retryAfterSeconds }
  }
  if (reservation.refused) {
    await burnPasswordCheck(a.password)
    return end(reservation.retryAfterSeconds, reservation.by)
  }
  const ok = !!user?.passwordHash && (await verifyPassword(user.passwordHash, a.password))
  await recordAudit(db, { action: 'auth.unlock', outcome: ok ? 'success' : 'failure', actorId: a.userId, ...a.origin })
  if (ok) {
    await releaseAttempt(db, reservation)
    await unlockSession(db, a.sessionId)
    return { ok: true }
  }
  // The failure that reaches a ceiling is the lockout; nothing is left to try, so the session ends now.
  const reached = reachedCeilings(reservation)
  if (reached.length) {
    for (const by of reached) await recordAudit(db, { action: 'auth.lockout', outcome: 'denied', actorId: a.userId, ...a.origin, details: { by, via: 'unlock' } })
    const started = Math.min(...reservation.counted.filter((c) => reached.includes(c.by)).map((c) => c.windowStartedAt.getTime()))
    return end(Math.max(60, Math.ceil((started + THROTTLE_WINDOW - now().getTime()) / 1000)), reached[0]!)
  }
  return { ok: false, reason: 'wrong' }
}

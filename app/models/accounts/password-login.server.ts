import { eq } from 'drizzle-orm'
import { users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { childLoginRefusal } from '../children/child-login.server'
import { burnPasswordCheck, verifyPassword } from '../../auth/password.server'
import { createSession } from '../../auth/session.server'
import { checkThrottle, recordLoginAttempt, THROTTLE_MAX_FAILURES, failuresInWindow } from '../../auth/throttle.server'

/** Whether this is the account's password (unlocking a locked staff session). */
export async function passwordMatches(db: DbOrTx, { userId, password }: { userId: string; password: string }) {
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId))
  return !!user?.passwordHash && (await verifyPassword(user.passwordHash, password))
}

export type LoginResult =
  | { ok: true; token: string; userId: string }
  | { ok: false; reason: 'invalid' | 'deactivated' | 'child_blocked' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Password login for adults (by email) and older children (by username). The answer for an
 * unknown identifier and a wrong password is the same, and takes the same time.
 */
export async function loginWithPassword(db: DbOrTx, identifier: string, password: string, origin: RequestOrigin): Promise<LoginResult> {
  const id = identifier.trim().toLowerCase()
  const ip = origin.ip ?? 'unknown'
  const throttle = await checkThrottle(db, id, ip)
  if (throttle.blocked) {
    await burnPasswordCheck(password)
    await recordAudit(db, { action: 'auth.login_throttled', outcome: 'denied', ...origin, details: { by: throttle.by } })
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds }
  }
  const [user] = await db
    .select()
    .from(users)
    .where(id.includes('@') ? eq(users.email, id) : eq(users.username, id))
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false)
  if (!user || !valid) {
    await recordLoginAttempt(db, { identifier: id, ip, success: false, userId: user?.id })
    await recordAudit(db, { action: 'auth.login_failed', outcome: 'failure', actorId: user?.id ?? null, ...origin })
    // The attempt that reaches the limit is the lockout: record it once, as such.
    if ((await failuresInWindow(db, id)) === THROTTLE_MAX_FAILURES) {
      await recordAudit(db, { action: 'auth.lockout', outcome: 'denied', actorId: user?.id ?? null, ...origin })
    }
    return { ok: false, reason: 'invalid' }
  }
  if (user.deactivatedAt) {
    await recordAudit(db, { action: 'auth.login_refused_deactivated', outcome: 'denied', actorId: user.id, ...origin })
    return { ok: false, reason: 'deactivated' }
  }
  // A child with a username obeys the same rules as one with a card (archived, restricted, no authorisation).
  if (user.kind === 'child') {
    const refusal = await childLoginRefusal(db, { childId: user.id })
    if (refusal) {
      await recordAudit(db, { action: 'auth.child_login_refused', outcome: 'denied', actorId: user.id, ...origin, details: { refusal } })
      return { ok: false, reason: 'child_blocked' }
    }
  }
  await recordLoginAttempt(db, { identifier: id, ip, success: true, userId: user.id })
  await db.update(users).set({ lastLoginAt: now() }).where(eq(users.id, user.id))
  const { token } = await createSession(db, user.id, { kind: user.kind === 'child' ? 'child' : 'adult', ...origin })
  await recordAudit(db, { action: 'auth.login', actorId: user.id, targetType: 'user', targetId: user.id, ...origin })
  return { ok: true, token, userId: user.id }
}

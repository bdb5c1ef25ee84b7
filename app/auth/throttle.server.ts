import { and, count, eq, gt } from 'drizzle-orm'
import { loginAttempts } from '../../drizzle/schema'
import { MINUTE, now } from '../clock.server'
import type { DbOrTx } from '../db.server'
import { hmacHex } from '../crypto.server'

export const THROTTLE_WINDOW = 15 * MINUTE
export const THROTTLE_MAX_FAILURES = 5

export function accountKey(identifier: string) {
  return hmacHex(identifier.trim().toLowerCase(), 'login')
}

export type ThrottleState = { blocked: false } | { blocked: true; retryAfterSeconds: number; by: 'account' | 'address' }

/** After 5 failures for an account or an address within 15 minutes, attempts wait. */
export async function checkThrottle(db: DbOrTx, identifier: string, ip: string): Promise<ThrottleState> {
  const since = new Date(now().getTime() - THROTTLE_WINDOW)
  for (const by of ['account', 'address'] as const) {
    const cond = by === 'account' ? eq(loginAttempts.accountKey, accountKey(identifier)) : eq(loginAttempts.ip, ip)
    const rows = await db
      .select({ at: loginAttempts.at })
      .from(loginAttempts)
      .where(and(cond, eq(loginAttempts.success, false), gt(loginAttempts.at, since)))
      .orderBy(loginAttempts.at)
    if (rows.length >= THROTTLE_MAX_FAILURES) {
      // Wait until the oldest counted failure leaves the window.
      const oldest = rows[rows.length - THROTTLE_MAX_FAILURES]!.at.getTime()
      const retry = Math.max(1, Math.ceil((oldest + THROTTLE_WINDOW - now().getTime()) / 1000))
      return { blocked: true, retryAfterSeconds: retry, by }
    }
  }
  return { blocked: false }
}

export async function recordLoginAttempt(db: DbOrTx, a: { identifier: string; ip: string; success: boolean; userId?: string | null }) {
  await db.insert(loginAttempts).values({ at: now(), accountKey: accountKey(a.identifier), ip: a.ip, success: a.success, userId: a.userId ?? null })
}

export async function failuresInWindow(db: DbOrTx, identifier: string) {
  const since = new Date(now().getTime() - THROTTLE_WINDOW)
  const [r] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.accountKey, accountKey(identifier)), eq(loginAttempts.success, false), gt(loginAttempts.at, since)))
  return r?.n ?? 0
}

import { and, eq, ne, sql } from 'drizzle-orm'
import { memberships, sessions, users, STAFF_ROLES } from '../../drizzle/schema'
import { DAY, HOUR, MINUTE, now } from '../clock.server'
import { config } from '../config.server'
import type { DbOrTx } from '../db.server'
import { randomToken, sha256Hex } from '../crypto.server'

export const SESSION_COOKIE = 'carnet_session'
export const ADULT_SESSION_TTL = 30 * DAY
export const CHILD_SESSION_TTL = 8 * HOUR // one school day
const SESSION_TTL: Record<'adult' | 'child', number> = { adult: ADULT_SESSION_TTL, child: CHILD_SESSION_TTL }
export const STAFF_IDLE_LOCK = 30 * MINUTE
// Don't write last_seen_at on every request: a minute's precision is enough.
const TOUCH_EVERY = MINUTE

export type SessionRow = typeof sessions.$inferSelect
export type SessionUser = Pick<typeof users.$inferSelect, 'id' | 'kind' | 'email' | 'firstName' | 'lastName' | 'locale' | 'emailVerifiedAt'>

export async function createSession(db: DbOrTx, userId: string, opts: { kind: 'adult' | 'child'; userAgent?: string | null; ip?: string | null; openedBy?: string | null }) {
  const token = randomToken()
  const at = now()
  const ttl = SESSION_TTL[opts.kind]
  const [row] = await db
    .insert(sessions)
    .values({
      id: sha256Hex(token),
      userId,
      kind: opts.kind,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: new Date(at.getTime() + ttl),
      userAgent: opts.userAgent?.slice(0, 300) ?? null,
      ip: opts.ip ?? null,
      openedBy: opts.openedBy ?? null,
    })
    .returning()
  return { token, session: row! }
}

export type SessionCheck = { state: 'valid'; session: SessionRow; user: SessionUser; isStaff: boolean } | { state: 'locked'; session: SessionRow; user: SessionUser } | { state: 'none' }

/**
 * Validates a cookie token: unknown, expired, or deactivated-account sessions are refused;
 * adult sessions slide (renewed when half-used); staff sessions idle for 30 minutes lock.
 */
// Read with the session itself: one round trip per request for the check.
const staffRoleExists = sql<boolean>`exists (select 1 from ${memberships} m where m.user_id = ${users.id} and m.role in (${sql.join(
  STAFF_ROLES.map((r) => sql`${r}`),
  sql`, `,
)}) and m.status = 'active')`

export async function validateSessionToken(db: DbOrTx, token: string): Promise<SessionCheck> {
  const id = sha256Hex(token)
  const [row] = await db.select({ session: sessions, user: users, isStaff: staffRoleExists }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, id))
  if (!row) return { state: 'none' }
  const { session, user } = row
  const t = now().getTime()
  if (session.expiresAt.getTime() <= t || user.deactivatedAt) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return { state: 'none' }
  }
  const u: SessionUser = {
    id: user.id,
    kind: user.kind,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    locale: user.locale,
    emailVerifiedAt: user.emailVerifiedAt,
  }
  const isStaff = session.kind === 'adult' && row.isStaff
  if (session.lockedAt) return { state: 'locked', session, user: u }
  if (isStaff && t - session.lastSeenAt.getTime() > STAFF_IDLE_LOCK) {
    const [locked] = await db.update(sessions).set({ lockedAt: now() }).where(eq(sessions.id, id)).returning()
    return { state: 'locked', session: locked!, user: u }
  }
  const patch: Partial<SessionRow> = {}
  if (t - session.lastSeenAt.getTime() > TOUCH_EVERY) patch.lastSeenAt = now()
  if (session.kind === 'adult' && session.expiresAt.getTime() - t < ADULT_SESSION_TTL / 2) {
    patch.expiresAt = new Date(t + ADULT_SESSION_TTL)
  }
  if (Object.keys(patch).length) await db.update(sessions).set(patch).where(eq(sessions.id, id))
  return { state: 'valid', session: { ...session, ...patch }, user: u, isStaff }
}

export async function unlockSession(db: DbOrTx, sessionId: string) {
  await db.update(sessions).set({ lockedAt: null, lastSeenAt: now() }).where(eq(sessions.id, sessionId))
}

export async function invalidateSession(db: DbOrTx, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId))
}

/** Ends one of the user's own sessions (the devices page); false when it is not theirs. */
export async function revokeUserSession(db: DbOrTx, { userId, sessionId }: { userId: string; sessionId: string }) {
  const removed = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id })
  return removed.length > 0
}

/** Log out: ends the session the cookie's token names; returns who it was (null: none). */
export async function endSessionByToken(db: DbOrTx, token: string) {
  const [ended] = await db
    .delete(sessions)
    .where(eq(sessions.id, sha256Hex(token)))
    .returning({ userId: sessions.userId, kind: sessions.kind })
  return ended ?? null
}

/** "Log out everywhere": every session of the user, optionally keeping the current one. */
export async function invalidateUserSessions(db: DbOrTx, userId: string, keepSessionId?: string) {
  const cond = keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId)
  const removed = await db.delete(sessions).where(cond).returning({ id: sessions.id })
  return removed.length
}

export async function listUserSessions(db: DbOrTx, userId: string) {
  return db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent, ip: sessions.ip, kind: sessions.kind })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(sessions.lastSeenAt)
}

/** The session cookie's protections (plus Secure in production); the records of processing state them. */
export const SESSION_COOKIE_ATTRIBUTES = ['HttpOnly', 'SameSite=Lax'] as const
const secure = () => (config.isProduction ? ['Secure'] : [])

export function sessionCookie(token: string, kind: 'adult' | 'child') {
  const maxAge = Math.floor(SESSION_TTL[kind] / 1000)
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', ...SESSION_COOKIE_ATTRIBUTES, `Max-Age=${maxAge}`, ...secure()].join('; ')
}

export function clearSessionCookie() {
  return [`${SESSION_COOKIE}=`, 'Path=/', ...SESSION_COOKIE_ATTRIBUTES, 'Max-Age=0', ...secure()].join('; ')
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get('cookie')
  if (!header) return null
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === SESSION_COOKIE) return v.join('=') || null
  }
  return null
}

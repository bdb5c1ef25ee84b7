// Login throttling (ADR 013). Every attempt — password, unlock, a child's class code or card,
// a guardian's link code — first *reserves* itself: one INSERT … ON CONFLICT DO UPDATE adds 1 to
// each counter it falls under and returns the new counts, under the rows' locks. Only then is
// the password or code checked, and a success gives its reservation back. So N parallel guesses
// are counted as N: the check can no longer be raced by sending them all at once.
import { and, eq, or, sql } from 'drizzle-orm'
import { isIP } from 'node:net'
import { loginThrottle } from '../../drizzle/schema'
import { MINUTE, now } from '../clock.server'
import type { DbOrTx } from '../db.server'
import { hmacHex } from '../crypto.server'

export const THROTTLE_WINDOW = 15 * MINUTE

/**
 * Failures allowed per 15-minute window before further attempts wait (ADR 013). The ceilings
 * of one scope never count another's failures: children mistyping codes on the school's
 * shared address do not stop the staff's password logins from it.
 */
export const LIMITS = {
  /** Adults (and older children with a username) by password, and the unlock page. */
  password: { accountAddress: 5, account: 20, address: 100 },
  /** A child's short code after the class code: per child, and per address. */
  childCode: { child: 5, address: 100 },
  /** Class codes typed on a shared tablet (unknown codes only count). */
  classCode: { address: 30 },
  /** QR cards: 160-bit tokens, so only broken or old cards fail. */
  card: { address: 30 },
  /** A guardian typing the code of a letter. */
  linkCode: { account: 5, address: 50 },
} as const

/** What an organization may declare for its own networks. */
export const NETWORK_CEILING = { default: 300, min: 20, max: 2000 } as const
export const NETWORK_MIN_PREFIX = { 4: 16, 6: 48 } as const

export type ThrottleBy = 'account' | 'account_address' | 'address' | 'network' | 'child'

/** One counter an attempt falls under: a scope, what is counted, and its ceiling. */
export type Counter = { scope: keyof typeof LIMITS; by: ThrottleBy; subject: string; limit: number }

type Counted = Counter & { key: string; count: number; windowStartedAt: Date }

export type Reservation = { refused: false; counted: Counted[] } | { refused: true; counted: Counted[]; retryAfterSeconds: number; by: ThrottleBy }

/** The identifier as typed, as the account counters see it. */
export function normalizeIdentifier(identifier: string) {
  return identifier.trim().toLowerCase()
}

/** The client's address as counted: IPv4-mapped IPv6 is the IPv4 address; junk is 'unknown'. */
export function clientIp(ip: string | null | undefined): string {
  const v = (ip ?? '').trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
  return isIP(v) ? v.toLowerCase() : 'unknown'
}

const keyOf = (c: Counter) => hmacHex(`${c.scope}\0${c.by}\0${c.subject}`, 'throttle')

/**
 * Counts this attempt under every counter, in one statement, and says whether it may go on.
 * Counters whose window has ended start again at 1. Keys are locked in a fixed order, so two
 * attempts sharing counters never deadlock.
 */
export async function reserveAttempt(db: DbOrTx, counters: Counter[]): Promise<Reservation> {
  const at = now()
  const cutoff = new Date(at.getTime() - THROTTLE_WINDOW)
  const byKey = new Map<string, Counter>()
  for (const c of counters) byKey.set(keyOf(c), c)
  const keys = [...byKey.keys()].sort()
  const rows = await db
    .insert(loginThrottle)
    .values(keys.map((key) => ({ key, failures: 1, windowStartedAt: at })))
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.windowStartedAt} <= ${cutoff.toISOString()}::timestamptz then 1 else ${loginThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} <= ${cutoff.toISOString()}::timestamptz then excluded.window_started_at else ${loginThrottle.windowStartedAt} end`,
      },
    })
    .returning()
  const counted: Counted[] = rows.map((r) => ({ ...byKey.get(r.key)!, key: r.key, count: r.failures, windowStartedAt: r.windowStartedAt }))
  const over = counted.filter((c) => c.count > c.limit)
  if (!over.length) return { refused: false, counted }
  // Wait until every counter that is over its ceiling has seen its window end.
  const until = Math.max(...over.map((c) => c.windowStartedAt.getTime() + THROTTLE_WINDOW))
  const worst = over.reduce((a, b) => (a.windowStartedAt.getTime() >= b.windowStartedAt.getTime() ? a : b))
  return { refused: true, counted, by: worst.by, retryAfterSeconds: Math.max(1, Math.ceil((until - at.getTime()) / 1000)) }
}

/** A success (or an attempt that was not a guess) gives its reservation back. */
export async function releaseAttempt(db: DbOrTx, r: Reservation) {
  if (!r.counted.length) return
  await db
    .update(loginThrottle)
    .set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` })
    .where(or(...r.counted.map((c) => and(eq(loginThrottle.key, c.key), eq(loginThrottle.windowStartedAt, c.windowStartedAt)))))
}

/**
 * The counters this failed attempt brought to their ceiling: the attempt that reaches a ceiling
 * is the lockout (counts are distinct under the row lock, so exactly one attempt reaches each).
 */
export function reachedCeilings(r: Reservation): ThrottleBy[] {
  return r.counted.filter((c) => c.count === c.limit).map((c) => c.by)
}

/** Minutes to tell the person, rounded up. */
export function retryMinutes(seconds: number) {
  return Math.max(1, Math.ceil(seconds / 60))
}

/** A declared network the address belongs to, with the ceiling it replaces the address one by. */
export type DeclaredNetwork = { id: string; ceiling: number }

/** The counter for the address: the general one, or the declared network's own. */
export function addressCounter(scope: Counter['scope'], ip: string, limit: number, network: DeclaredNetwork | null): Counter {
  return network ? { scope, by: 'network', subject: `${network.id}\0${ip}`, limit: network.ceiling } : { scope, by: 'address', subject: ip, limit }
}

/** Password and unlock: per account at this address, per account, per address (or network). */
export function passwordCounters(identifier: string, ip: string, network: DeclaredNetwork | null): Counter[] {
  const id = normalizeIdentifier(identifier)
  const l = LIMITS.password
  return [
    { scope: 'password', by: 'account_address', subject: `${id}\0${ip}`, limit: l.accountAddress },
    { scope: 'password', by: 'account', subject: id, limit: l.account },
    addressCounter('password', ip, l.address, network),
  ]
}

/** The failures a counter holds in its current window (0 once the window has ended). */
export async function currentCount(db: DbOrTx, c: Counter): Promise<number> {
  const [row] = await db
    .select()
    .from(loginThrottle)
    .where(eq(loginThrottle.key, keyOf(c)))
  if (!row || row.windowStartedAt.getTime() <= now().getTime() - THROTTLE_WINDOW) return 0
  return row.failures
}

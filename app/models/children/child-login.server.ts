// How a child opens a session without an email: the QR code on their card, or the class code
// → their name → the short code printed on the card. Both paths are throttled like adult
// logins, audited, and pass through the same refusal checks (archived, deactivated, and
// whatever childLoginBlockReason says).
import { and, asc, eq, isNull } from 'drizzle-orm'
import { childProfiles, classes, enrolments, memberships, users } from '../../../drizzle/schema'
import { normalizeCode, safeEqual, sha256Hex } from '../../crypto.server'
import { createSession } from '../../auth/session.server'
import { networkForOrg } from '../../auth/networks.server'
import { addressCounter, clientIp, LIMITS, reachedCeilings, releaseAttempt, reserveAttempt, type Reservation } from '../../auth/throttle.server'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { cardCodeHash } from './login-card.server'
import { isRestricted } from '../../compliance/restriction.server'
import { familyLoginBlock, type ChildLoginBlock as FamilyLoginBlock } from '../families/authorisations.server'

export type ChildLoginResult =
  | { ok: true; token: string; childId: string; orgId: string }
  /** invalid: unknown card/class/child or wrong code; refused: the child may not log in now. */
  | { ok: false; reason: 'invalid' | 'refused' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/** Why a child may not log in at the moment (families: authorisations and parental consent). */
export type ChildLoginBlock = FamilyLoginBlock | 'restricted'

/**
 * The one hook every child login path calls after the child is identified — card, class code,
 * username/password. Refuses a child whose school authorisation was refused or withdrawn, and
 * a child of a family space under the digital age of consent without parental consent
 * (app/models/families/authorisations.server.ts).
 */
export async function childLoginBlockReason(db: DbOrTx, childId: string): Promise<ChildLoginBlock | null> {
  // A restriction (GDPR art. 18, set by the DPO) keeps the data but stops its processing: no login.
  if (await isRestricted(db, childId)) return 'restricted'
  return familyLoginBlock(db, childId)
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Everything that refuses an identified child: account deactivated (deletion requested),
 * no active child membership in the organization (archived: left the school) — in any
 * organization when `orgId` is not given — or a block. Exported so the password login
 * (`app/auth/login.server.ts`) can apply the same rule to children with a username.
 */
export async function childLoginRefusal(db: DbOrTx, a: { orgId?: string; childId: string }) {
  if (!UUID.test(a.childId) || (a.orgId && !UUID.test(a.orgId))) return 'unknown' as const
  const [user] = await db
    .select({ deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(and(eq(users.id, a.childId), eq(users.kind, 'child')))
  if (!user) return 'unknown' as const
  if (user.deactivatedAt) return 'deactivated' as const
  const [active] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, a.childId), eq(memberships.role, 'child'), eq(memberships.status, 'active'), a.orgId ? eq(memberships.orgId, a.orgId) : undefined))
    .limit(1)
  if (!active) return 'archived' as const
  return childLoginBlockReason(db, a.childId)
}

async function openChildSession(db: DbOrTx, a: { childId: string; orgId: string; method: 'card' | 'code'; origin: RequestOrigin; reservation: Reservation }) {
  await releaseAttempt(db, a.reservation)
  await db.update(users).set({ lastLoginAt: now() }).where(eq(users.id, a.childId))
  const { token } = await createSession(db, a.childId, { kind: 'child', userAgent: a.origin.userAgent, ip: a.origin.ip })
  await recordAudit(db, {
    action: 'auth.child_login',
    actorId: a.childId,
    orgId: a.orgId,
    targetType: 'user',
    targetId: a.childId,
    ...a.origin,
    details: { method: a.method },
  })
  return { ok: true as const, token, childId: a.childId, orgId: a.orgId }
}

async function failed(db: DbOrTx, a: { origin: RequestOrigin; method: string; reservation: Reservation; childId?: string | null; orgId?: string | null }) {
  await recordAudit(db, {
    action: 'auth.child_login_failed',
    outcome: 'failure',
    actorId: a.childId ?? null,
    orgId: a.orgId ?? null,
    targetType: a.childId ? 'user' : null,
    targetId: a.childId ?? null,
    ...a.origin,
    details: { method: a.method },
  })
  // The attempt that reaches a ceiling (for this child, or for this address) is the lockout.
  for (const by of reachedCeilings(a.reservation)) {
    await recordAudit(db, {
      action: 'auth.lockout',
      outcome: 'denied',
      actorId: a.childId ?? null,
      orgId: a.orgId ?? null,
      ...a.origin,
      details: { method: a.method, by },
    })
  }
  return { ok: false as const, reason: 'invalid' as const }
}

async function throttled(db: DbOrTx, a: { origin: RequestOrigin; method: string; reservation: Extract<Reservation, { refused: true }>; childId?: string | null; orgId?: string | null }) {
  await recordAudit(db, {
    action: 'auth.child_login_failed',
    outcome: 'denied',
    actorId: a.childId ?? null,
    orgId: a.orgId ?? null,
    ...a.origin,
    details: { method: a.method, reason: 'throttled', by: a.reservation.by },
  })
  return { ok: false as const, reason: 'throttled' as const, retryAfterSeconds: a.reservation.retryAfterSeconds }
}

async function refused(db: DbOrTx, a: { origin: RequestOrigin; method: string; childId: string; orgId: string; why: string; reservation: Reservation }) {
  // A known child with the right code or card is not guessing: the reservation is given back.
  await releaseAttempt(db, a.reservation)
  await recordAudit(db, {
    action: 'auth.child_login_failed',
    outcome: 'denied',
    actorId: a.childId,
    orgId: a.orgId,
    targetType: 'user',
    targetId: a.childId,
    ...a.origin,
    details: { method: a.method, reason: a.why },
  })
  return { ok: false as const, reason: 'refused' as const }
}

/**
 * QR login: the card's token (160 random bits) cannot be guessed, so only failures from the
 * same address are counted, under their own counter: neither children mistyping short codes nor
 * adults' password failures stop the children who scan their cards, and the other way round.
 */
export async function loginWithCardToken(db: DbOrTx, token: string, origin: RequestOrigin): Promise<ChildLoginResult> {
  const ip = clientIp(origin.ip)
  const reservation = await reserveAttempt(db, [addressCounter('card', ip, LIMITS.card.address, null)])
  if (reservation.refused) return throttled(db, { origin, method: 'card', reservation })
  const clean = token.trim()
  const [profile] = clean
    ? await db
        .select({ childId: childProfiles.childId, orgId: childProfiles.orgId })
        .from(childProfiles)
        .where(eq(childProfiles.cardTokenHash, sha256Hex(clean)))
    : []
  if (!profile) return failed(db, { origin, method: 'card', reservation })
  const why = await childLoginRefusal(db, profile)
  if (why) return refused(db, { origin, method: 'card', why, reservation, ...profile })
  return openChildSession(db, { ...profile, method: 'card', origin, reservation })
}

/** The class a login code opens, if any (archived classes open nothing). */
async function classByLoginCode(db: DbOrTx, classCode: string) {
  const code = normalizeCode(classCode)
  if (!code) return null
  const [row] = await db
    .select({ id: classes.id, orgId: classes.orgId, name: classes.name })
    .from(classes)
    .where(and(eq(classes.loginCode, code), isNull(classes.archivedAt)))
  return row ?? null
}

/**
 * Class code → name → short code. Counted per child (5 wrong codes in 15 minutes stop that
 * child's code from anywhere) and per address with a much higher ceiling — or the ceiling of the
 * school's declared network — apart from adults' password logins (ADR 013).
 */
export async function loginWithClassCode(db: DbOrTx, a: { classCode: string; childId: string; code: string; origin: RequestOrigin }): Promise<ChildLoginResult> {
  const { origin } = a
  const ip = clientIp(origin.ip)
  const classCode = normalizeCode(a.classCode)
  const cls = await classByLoginCode(db, classCode)
  const childId = UUID.test(a.childId) ? a.childId : null
  const reservation = await reserveAttempt(db, [
    { scope: 'childCode', by: 'child', subject: `${classCode}\0${a.childId}`, limit: LIMITS.childCode.child },
    addressCounter('childCode', ip, LIMITS.childCode.address, await networkForOrg(db, cls?.orgId, ip)),
  ])
  if (reservation.refused) return throttled(db, { origin, method: 'code', reservation, childId, orgId: cls?.orgId })

  const [enrolled] =
    cls && childId
      ? await db
          .select({ childId: enrolments.childId, codeHash: childProfiles.cardCodeHash })
          .from(enrolments)
          .leftJoin(childProfiles, and(eq(childProfiles.childId, enrolments.childId), eq(childProfiles.orgId, enrolments.orgId)))
          .where(and(eq(enrolments.classId, cls.id), eq(enrolments.orgId, cls.orgId), eq(enrolments.childId, childId)))
      : []
  const typed = normalizeCode(a.code)
  const valid = !!(enrolled?.codeHash && typed && safeEqual(enrolled.codeHash, cardCodeHash(a.childId, typed)))
  if (!cls || !enrolled || !valid) {
    return failed(db, { origin, method: 'code', reservation, childId: enrolled?.childId ?? null, orgId: cls?.orgId ?? null })
  }
  const why = await childLoginRefusal(db, { orgId: cls.orgId, childId: a.childId })
  if (why) return refused(db, { origin, method: 'code', why, childId: a.childId, orgId: cls.orgId, reservation })
  return openChildSession(db, { childId: a.childId, orgId: cls.orgId, method: 'code', origin, reservation })
}

export type PickerChild = { id: string; label: string }
export type ClassPicker = { classCode: string; className: string; children: PickerChild[] }

/**
 * What a shared tablet shows after the class code: first names and the initial of the last
 * name (a longer prefix only when two children would otherwise look the same) — no photo,
 * no birth date, nothing else. Archived and deactivated children are left out.
 */
export async function listClassChildrenForPicker(db: DbOrTx, classCode: string): Promise<ClassPicker | null> {
  const cls = await classByLoginCode(db, classCode)
  if (!cls) return null
  const rows = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
    .from(enrolments)
    .innerJoin(users, and(eq(users.id, enrolments.childId), eq(users.kind, 'child'), isNull(users.deactivatedAt)))
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, cls.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .where(and(eq(enrolments.classId, cls.id), eq(enrolments.orgId, cls.orgId)))
    .orderBy(asc(users.firstName))
  const children = pickerLabels(rows).sort((x, y) => x.label.localeCompare(y.label, 'fr'))
  return { classCode: normalizeCode(classCode), className: cls.name, children }
}

/** "Zoé M."; when two children share it, "Zoé Mü." and "Zoé Ma." (shortest prefix that differs). */
export function pickerLabels(rows: { id: string; firstName: string; lastName: string }[]): PickerChild[] {
  const label = (r: (typeof rows)[number], n: number) => {
    const last = [...r.lastName.trim()]
    const prefix = last.slice(0, n).join('')
    return last.length ? `${r.firstName.trim()} ${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}.` : r.firstName.trim()
  }
  return rows.map((r) => {
    let n = 1
    const maxLen = [...r.lastName.trim()].length
    while (n < maxLen && rows.some((o) => o.id !== r.id && label(o, n) === label(r, n))) n++
    return { id: r.id, label: label(r, n) }
  })
}

export type OpenPicker = { ok: true; picker: ClassPicker } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Step 1 of the class-code path. A class code opens a list of first names, so guessing class
 * codes is counted by address like a login (its own counter), and each unknown code is a failure.
 */
export async function openClassPicker(db: DbOrTx, classCode: string, origin: RequestOrigin): Promise<OpenPicker> {
  const ip = clientIp(origin.ip)
  const reservation = await reserveAttempt(db, [addressCounter('classCode', ip, LIMITS.classCode.address, null)])
  if (reservation.refused) return throttled(db, { origin, method: 'class_code', reservation })
  const picker = await listClassChildrenForPicker(db, normalizeCode(classCode))
  if (!picker) return failed(db, { origin, method: 'class_code', reservation })
  await releaseAttempt(db, reservation)
  return { ok: true, picker }
}

// The staff-side functions of children's login live in child-admin.server.ts.
export { endChildSession, listChildSessions, regenerateCard, setChildUsernamePassword } from './child-admin.server'

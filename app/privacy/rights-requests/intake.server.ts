// How a rights request enters Carnet: the public form (no account; the email is verified by a
// 6-digit code before the request counts), the in-app form (a signed-in person for themself or
// a guardian for a linked child), and the operator's log of a request received by email or post.
// A request that counts is forwarded to the school within 48 hours (forwarding.server.ts).
import { randomInt } from 'node:crypto'
import { and, count, eq, gt, inArray, isNull, lt, ne, sql } from 'drizzle-orm'
import type { z } from 'zod'
import { auditEvents, memberships, organizations, rightsRequestEvents, rightsRequests, users, type DsrKind } from '../../../drizzle/schema'
import { hmacHex, safeEqual, shortCode } from '../../crypto.server'
import { HOUR, MINUTE, now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import type { Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { deadlinesFor } from './deadlines.server'
import { codeMail } from './mails.server'
import { publicRequestSchema } from './intake.schema'
import { can, type AppAbility, type Principal } from '../../permissions/abilities'

export const CODE_TTL = 30 * MINUTE
export const CODE_MAX_ATTEMPTS = 5
export const CODE_MAX_SENDS = 3
/** Anti-abuse: unverified requests per email and per address within an hour. */
export const MAX_PENDING_PER_EMAIL = 3
export const MAX_SUBMISSIONS_PER_IP = 10

export type DsrEventInput = { kind: (typeof rightsRequestEvents.$inferInsert)['kind']; actorId?: string | null; note?: string | null; details?: Record<string, unknown> | null }

export async function addEvent(db: DbOrTx, r: { id: string; orgId: string }, e: DsrEventInput) {
  await db.insert(rightsRequestEvents).values({ requestId: r.id, orgId: r.orgId, at: now(), actorId: e.actorId ?? null, kind: e.kind, note: e.note ?? null, details: e.details ?? null })
}

const codeHash = (requestId: string, code: string) => hmacHex(`${requestId}:${code}`, 'dsr-email-code')
const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0')
const newReference = (at: Date) => `DSR-${at.getUTCFullYear()}-${shortCode(6)}`

// Letters NFD does not decompose (ı, ł, ø, ß…) are spelled out, so « Yılmaz » matches « YILMAZ ».
const SPELL: Record<string, string> = { ı: 'i', ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' }
const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ıłøđßæœþ]/g, (c) => SPELL[c] ?? c)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

/**
 * Finds the data subject the requester names, when exactly one person matches: a child of the
 * organization by name (and birth date when given), or — for "self" — the member with the
 * requester's email. Never revealed to the requester: the form answers the same either way.
 */
export async function matchSubject(db: DbOrTx, a: { orgId: string; relation: string; firstName?: string | null; lastName?: string | null; birthDate?: string | null; email: string }) {
  if (a.relation === 'self') {
    const rows = await db
      .select({ id: users.id })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, a.orgId)))
      .where(eq(users.email, a.email.toLowerCase()))
    return rows.length ? rows[0]!.id : null
  }
  if (!a.firstName || !a.lastName) return null
  const kids = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, birthDate: users.birthDate })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, a.orgId), eq(memberships.role, 'child')))
  const hits = kids.filter((k) => fold(k.firstName) === fold(a.firstName!) && fold(k.lastName) === fold(a.lastName!) && (!a.birthDate || !k.birthDate || k.birthDate === a.birthDate))
  return hits.length === 1 ? hits[0]!.id : null
}

export { publicRequestSchema }
export type PublicRequestInput = z.infer<typeof publicRequestSchema>

/** Public form, step 1: the request is stored but does not count until the emailed code is typed. */
export async function submitPublicRequest(db: Db, input: PublicRequestInput & { lang: Lang; origin: RequestOrigin }) {
  if (input.relation !== 'self' && (!input.subjectFirstName || !input.subjectLastName)) throw new Invalid('dsr.form.subject_required')
  const [org] = await db
    .select()
    .from(organizations)
    .where(and(eq(organizations.id, input.orgId), eq(organizations.kind, 'school')))
  // Not a school (a family space is never addressed here) or no longer there: nothing is written.
  if (!org) throw new Invalid('dsr.form.school_unknown')
  const at = now()
  const hourAgo = new Date(at.getTime() - HOUR)
  const [pending] = await db
    .select({ n: count() })
    .from(rightsRequests)
    .where(and(eq(rightsRequests.requesterEmail, input.requesterEmail), eq(rightsRequests.status, 'awaiting_verification'), gt(rightsRequests.createdAt, hourAgo)))
  const [fromIp] = input.origin.ip
    ? await db
        .select({ n: count() })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'dsr.submitted'), eq(auditEvents.ip, input.origin.ip), gt(auditEvents.at, hourAgo)))
    : [{ n: 0 }]
  if ((pending?.n ?? 0) >= MAX_PENDING_PER_EMAIL || (fromIp?.n ?? 0) >= MAX_SUBMISSIONS_PER_IP) throw new Conflict('dsr.form.too_many')

  const subjectName = input.relation === 'self' ? input.requesterName : `${input.subjectFirstName} ${input.subjectLastName}`
  const subjectId = await matchSubject(db, {
    orgId: org.id,
    relation: input.relation,
    firstName: input.subjectFirstName,
    lastName: input.subjectLastName,
    birthDate: input.subjectBirthDate,
    email: input.requesterEmail,
  })
  const code = newCode()
  return db.transaction(async (tx) => {
    const id = crypto.randomUUID()
    const [row] = await tx
      .insert(rightsRequests)
      .values({
        id,
        reference: newReference(at),
        orgId: org.id,
        kind: input.kind,
        channel: 'public_form',
        status: 'awaiting_verification',
        subjectId,
        subjectName,
        subjectBirthDate: input.subjectBirthDate,
        requesterEmail: input.requesterEmail,
        requesterName: input.requesterName,
        requesterRelation: input.relation,
        message: input.message,
        lang: input.lang,
        createdAt: at,
        verificationCodeHash: codeHash(id, code),
        verificationExpiresAt: new Date(at.getTime() + CODE_TTL),
        verificationAttempts: 0,
      })
      .returning()
    await addEvent(tx, row!, { kind: 'submitted', details: { channel: 'public_form', codesSent: 1 } })
    await recordAudit(tx, { action: 'dsr.submitted', orgId: org.id, targetType: 'rights_request', targetId: id, ...input.origin, details: { kind: input.kind, channel: 'public_form' } })
    await queueMail(tx, codeMail(input.lang, input.requesterEmail, { code, reference: row!.reference, orgName: org.name }))
    return row!
  })
}

export async function getPublicRequest(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ r: rightsRequests, orgName: organizations.name })
    .from(rightsRequests)
    .innerJoin(organizations, eq(organizations.id, rightsRequests.orgId))
    .where(eq(rightsRequests.id, id))
  if (!row) throw new NotFound('rights_request')
  return { ...row.r, orgName: row.orgName }
}

export type VerifyResult = { ok: true; request: typeof rightsRequests.$inferSelect; already: boolean }

/** Public form, step 2: the code makes the request count (received_at) and starts its deadlines. */
export async function verifyRequestEmail(db: Db, a: { id: string; code: string; origin: RequestOrigin }): Promise<VerifyResult> {
  // A wrong code is counted in its own committed transaction, then refused: throwing inside
  // the transaction would roll the count back and allow unlimited guesses.
  const outcome = await db.transaction(async (tx) => {
    const [r] = await tx.select().from(rightsRequests).where(eq(rightsRequests.id, a.id)).for('update')
    if (!r) throw new NotFound('rights_request')
    if (r.status !== 'awaiting_verification') return { ok: true as const, request: r, already: true }
    if (r.verificationAttempts >= CODE_MAX_ATTEMPTS) throw new Conflict('dsr.verify.locked')
    const at = now()
    if (!r.verificationExpiresAt || r.verificationExpiresAt < at) throw new Conflict('dsr.verify.expired')
    const code = a.code.replace(/\D/g, '')
    if (!r.verificationCodeHash || !safeEqual(codeHash(r.id, code), r.verificationCodeHash)) {
      await tx
        .update(rightsRequests)
        .set({ verificationAttempts: r.verificationAttempts + 1 })
        .where(eq(rightsRequests.id, r.id))
      await recordAudit(tx, { action: 'dsr.code_failed', outcome: 'failure', orgId: r.orgId, targetType: 'rights_request', targetId: r.id, ...a.origin })
      return { ok: false as const, left: CODE_MAX_ATTEMPTS - r.verificationAttempts - 1 }
    }
    const [row] = await tx
      .update(rightsRequests)
      .set({ status: 'received', verifiedAt: at, receivedAt: at, ...deadlinesFor(at), verificationCodeHash: null, verificationExpiresAt: null })
      .where(eq(rightsRequests.id, r.id))
      .returning()
    await addEvent(tx, r, { kind: 'email_verified' })
    await addEvent(tx, r, { kind: 'received', details: { channel: r.channel } })
    await recordAudit(tx, { action: 'dsr.received', orgId: r.orgId, targetType: 'rights_request', targetId: r.id, ...a.origin, details: { kind: r.kind, channel: r.channel } })
    return { ok: true as const, request: row!, already: false }
  })
  if (!outcome.ok) throw new Invalid(outcome.left <= 0 ? 'dsr.verify.locked' : 'dsr.verify.wrong_code', { left: outcome.left })
  return outcome
}

/** A new code (the first expired or never arrived); at most CODE_MAX_SENDS in all. */
export async function resendCode(db: Db, a: { id: string; origin: RequestOrigin }) {
  return db.transaction(async (tx) => {
    const [r] = await tx.select().from(rightsRequests).where(eq(rightsRequests.id, a.id)).for('update')
    if (!r || r.status !== 'awaiting_verification') throw new NotFound('rights_request')
    const sends = await tx
      .select({ details: rightsRequestEvents.details })
      .from(rightsRequestEvents)
      .where(and(eq(rightsRequestEvents.requestId, r.id), eq(rightsRequestEvents.kind, 'submitted')))
    const sent = sends.reduce((n, e) => n + Number((e.details as { codesSent?: number } | null)?.codesSent ?? 0), 0)
    if (sent >= CODE_MAX_SENDS) throw new Conflict('dsr.verify.no_more_codes')
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, r.orgId))
    const code = newCode()
    await tx
      .update(rightsRequests)
      .set({ verificationCodeHash: codeHash(r.id, code), verificationExpiresAt: new Date(now().getTime() + CODE_TTL), verificationAttempts: 0 })
      .where(eq(rightsRequests.id, r.id))
    await addEvent(tx, r, { kind: 'submitted', note: 'code resent', details: { codesSent: 1 } })
    await queueMail(tx, codeMail(r.lang as Lang, r.requesterEmail, { code, reference: r.reference, orgName: org?.name ?? '' }))
  })
}

/** What a signed-in adult may file a request about: themself in each organization, and linked children. */
export async function inAppSubjects(db: DbOrTx, { principal, ability }: { principal: Principal; ability: AppAbility }) {
  // About oneself: each organization where the policy lets this person file one.
  const selfOrgs = [...new Set(principal.memberships.map((m) => m.orgId))].filter((orgId) => can(ability, 'create', 'RightsRequest', { orgId, subjectId: principal.userId }))
  const childIds = principal.linkedChildren.map((l) => l.childId)
  const orgIds = [...new Set([...selfOrgs, ...principal.linkedChildren.map((l) => l.orgId)])]
  const orgs = orgIds.length ? await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, orgIds)) : []
  const kids = childIds.length ? await db.select({ id: users.id, firstName: users.firstName, lastName: users.lastName }).from(users).where(inArray(users.id, childIds)) : []
  const orgName = (id: string) => orgs.find((o) => o.id === id)?.name ?? ''
  return [
    ...principal.linkedChildren.map((l) => {
      const k = kids.find((c) => c.id === l.childId)
      return { value: `${l.orgId}:${l.childId}`, orgId: l.orgId, subjectId: l.childId, relation: 'guardian' as const, label: `${k ? `${k.firstName} ${k.lastName}` : l.childId} — ${orgName(l.orgId)}` }
    }),
    ...selfOrgs.map((orgId) => ({ value: `${orgId}:${principal.userId}`, orgId, subjectId: principal.userId, relation: 'self' as const, label: orgName(orgId) })),
  ]
}

type NewRequest = {
  orgId: string
  kind: DsrKind
  channel: 'in_app' | 'operator_log'
  subjectId: string | null
  subjectName: string | null
  subjectBirthDate?: string | null
  requesterEmail: string
  requesterName: string | null
  requesterUserId?: string | null
  relation: 'self' | 'guardian' | 'representative'
  message: string | null
  lang: Lang
  receivedAt: Date
  loggedBy?: string | null
  actorId: string
  origin: RequestOrigin
  how?: string | null
}

/** Rights whose second request, while the first is open, can only repeat it: same effect, same answer. */
const ONE_OPEN_AT_A_TIME: readonly DsrKind[] = ['erasure', 'access', 'portability', 'restriction']

/**
 * A signed-in person asking again, about the same person, for a right already asked for and
 * not yet answered (a double click, or a second try from another page): refused with the open
 * request's reference, nothing written. The requester and subject are serialized, so two
 * simultaneous submissions file one request.
 */
async function refuseDuplicate(tx: DbOrTx, a: NewRequest) {
  if (a.channel !== 'in_app' || !a.requesterUserId || !a.subjectId || !ONE_OPEN_AT_A_TIME.includes(a.kind)) return
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`dsr-open:${a.requesterUserId}:${a.subjectId}:${a.kind}`}))`)
  const [open] = await tx
    .select({ reference: rightsRequests.reference })
    .from(rightsRequests)
    .where(
      and(
        eq(rightsRequests.requesterUserId, a.requesterUserId),
        eq(rightsRequests.subjectId, a.subjectId),
        eq(rightsRequests.orgId, a.orgId),
        eq(rightsRequests.kind, a.kind),
        ne(rightsRequests.status, 'closed'),
      ),
    )
    .limit(1)
  if (open) throw new Conflict('dsr.form.duplicate', { reference: open.reference })
}

/** In-app and operator intake: the request counts at once (or from the date the operator received it). */
export async function createReceivedRequest(db: Db, a: NewRequest) {
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, a.orgId))
  if (!org) throw new Invalid('dsr.form.school_required')
  if (a.receivedAt > now()) throw new Invalid('dsr.operator.future_date')
  return db.transaction(async (tx) => {
    await refuseDuplicate(tx, a)
    const [row] = await tx
      .insert(rightsRequests)
      .values({
        reference: newReference(now()),
        orgId: a.orgId,
        kind: a.kind,
        channel: a.channel,
        status: 'received',
        subjectId: a.subjectId,
        subjectName: a.subjectName,
        subjectBirthDate: a.subjectBirthDate ?? null,
        requesterEmail: a.requesterEmail.toLowerCase(),
        requesterName: a.requesterName,
        requesterUserId: a.requesterUserId ?? null,
        requesterRelation: a.relation,
        message: a.message,
        lang: a.lang,
        createdAt: now(),
        verifiedAt: a.channel === 'in_app' ? now() : null,
        receivedAt: a.receivedAt,
        ...deadlinesFor(a.receivedAt),
        loggedBy: a.loggedBy ?? null,
      })
      .returning()
    await addEvent(tx, row!, { kind: 'received', actorId: a.actorId, note: a.how ?? null, details: { channel: a.channel } })
    await recordAudit(tx, { action: 'dsr.received', orgId: a.orgId, actorId: a.actorId, targetType: 'rights_request', targetId: row!.id, ...a.origin, details: { kind: a.kind, channel: a.channel } })
    return row!
  })
}

/** Public-form requests never verified are deleted after a day: nothing is kept of a request that never counted. */
export async function purgeUnverified(db: DbOrTx) {
  const dayAgo = new Date(now().getTime() - 24 * HOUR)
  const gone = await db
    .delete(rightsRequests)
    .where(and(eq(rightsRequests.status, 'awaiting_verification'), isNull(rightsRequests.receivedAt), ne(rightsRequests.channel, 'operator_log'), lt(rightsRequests.createdAt, dayAgo)))
    .returning({ id: rightsRequests.id })
  return gone.length
}

// Linking a guardian to a school child with a single-use code: printed on a link letter, or
// emailed from a guardian invitation (roster import, or an address typed by the school).
// The code lasts 30 days; only its HMAC is stored. The guardian sees the child's first name,
// class and school, then confirms (→ guardian link + 'guardian' membership, Terms and Privacy
// accepted) or says "this is not my child" (→ code cancelled, alert to the school).
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { classes, enrolments, invitationChildren, invitations, linkAlerts, linkCodes, memberships, organizations, users, type LegalStatus, LEGAL_STATUSES } from '../../../drizzle/schema'
import { hmacHex, normalizeCode, randomToken, sha256Hex, shortCode } from '../../crypto.server'
import { recordAcceptance } from '../../auth/signup.server'
import { clientIp, LIMITS, releaseAttempt, reserveAttempt, retryMinutes, type Counter } from '../../auth/throttle.server'
import { DAY, now } from '../../clock.server'
import { config } from '../../config.server'
import type { Db, DbOrTx, Tx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { t, type Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { createLink, currentLinksCount, isUuid, MAX_GUARDIANS_PER_CHILD, type Actor } from './links.server'

export const LINK_CODE_TTL = 30 * DAY
const CODE_LENGTH = 12

export type LinkCodeRow = typeof linkCodes.$inferSelect
export type CodeState = 'pending' | 'expired' | 'used' | 'cancelled'

export function codeHash(code: string) {
  return hmacHex(normalizeCode(code), 'link-code')
}

/** XXXX-XXXX-XXXX: easy to copy from paper (no 0/O/1/I/L). */
export function formatCode(raw: string) {
  const c = normalizeCode(raw)
  return c.match(/.{1,4}/g)?.join('-') ?? c
}

export function linkUrl(code: string) {
  return `${config.appUrl}/link?code=${encodeURIComponent(formatCode(code))}`
}

export function codeState(c: Pick<LinkCodeRow, 'usedAt' | 'cancelledAt' | 'expiresAt'>, at = now()): CodeState {
  if (c.usedAt) return 'used'
  if (c.cancelledAt) return 'cancelled'
  if (c.expiresAt.getTime() <= at.getTime()) return 'expired'
  return 'pending'
}

/** An active child of the organization (404 otherwise), with their first name. */
async function schoolChild(db: DbOrTx, { orgId, childId }: { orgId: string; childId: string }) {
  if (!isUuid(orgId) || !isUuid(childId)) throw new NotFound('child')
  const [row] = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
    .from(memberships)
    .innerJoin(users, and(eq(users.id, memberships.userId), isNull(users.deactivatedAt)))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, childId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
  if (!row) throw new NotFound('child')
  return row
}

/** Issues one code for a child. Refused when the child already has the maximum of guardians. */
export async function issueLinkCode(db: DbOrTx, a: { orgId: string; childId: string; channel: 'letter' | 'email'; invitationId?: string | null; by: Actor }) {
  await schoolChild(db, a)
  if ((await currentLinksCount(db, a)) >= MAX_GUARDIANS_PER_CHILD) throw new Conflict('families.link.limit', { max: MAX_GUARDIANS_PER_CHILD })
  const at = now()
  for (let attempt = 0; ; attempt++) {
    const code = shortCode(CODE_LENGTH)
    const [row] = await db
      .insert(linkCodes)
      .values({
        orgId: a.orgId,
        childId: a.childId,
        codeHash: codeHash(code),
        channel: a.channel,
        invitationId: a.invitationId ?? null,
        createdBy: a.by.actorId,
        createdAt: at,
        expiresAt: new Date(at.getTime() + LINK_CODE_TTL),
        lastPrintedAt: a.channel === 'letter' ? at : null,
      })
      .onConflictDoNothing()
      .returning()
    if (row) return { row, code: formatCode(code) }
    if (attempt >= 5) throw new Conflict('families.code.create_failed')
  }
}

// ---- Emailed invitations ---------------------------------------------------------------

/**
 * Sends (or re-sends) a guardian invitation: one fresh code per child it covers (limited to
 * `onlyChildIds` when given, e.g. the children a teacher teaches); the codes emailed before
 * stop working. The invitation leaves the "waiting to be sent" state of the roster import.
 */
export async function sendGuardianInvitation(db: Db, a: { orgId: string; invitationId: string; onlyChildIds?: string[]; by: Actor; lang: Lang }) {
  if (!isUuid(a.orgId) || !isUuid(a.invitationId)) throw new NotFound('invitation')
  return db.transaction(async (tx) => {
    const [inv] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, a.invitationId), eq(invitations.orgId, a.orgId), eq(invitations.role, 'guardian')))
      .for('update')
    if (!inv) throw new NotFound('invitation')
    if (inv.revokedAt) throw new Conflict('families.invite.revoked')
    const [org] = await tx.select({ name: organizations.name, kind: organizations.kind }).from(organizations).where(eq(organizations.id, a.orgId))
    if (org?.kind === 'family') throw new NotFound('invitation')
    let childIds = (await tx.select({ childId: invitationChildren.childId }).from(invitationChildren).where(eq(invitationChildren.invitationId, inv.id))).map((r) => r.childId)
    if (a.onlyChildIds) childIds = childIds.filter((id) => a.onlyChildIds!.includes(id))
    if (!childIds.length) throw new NotFound('child')
    const at = now()
    await tx
      .update(linkCodes)
      .set({ cancelledAt: at, cancelReason: 'replaced' })
      .where(and(eq(linkCodes.invitationId, inv.id), inArray(linkCodes.childId, childIds), isNull(linkCodes.usedAt), isNull(linkCodes.cancelledAt)))
    const lines: string[] = []
    let sent = 0
    for (const childId of childIds) {
      const child = await schoolChild(tx, { orgId: a.orgId, childId }).catch(() => null)
      if (!child) continue
      if ((await currentLinksCount(tx, { orgId: a.orgId, childId })) >= MAX_GUARDIANS_PER_CHILD) continue
      const { code } = await issueLinkCode(tx, { orgId: a.orgId, childId, channel: 'email', invitationId: inv.id, by: a.by })
      const cls = await classNamesOf(tx, a.orgId, [childId])
      lines.push(t(a.lang, 'families.mail.child_line', { name: child.firstName, class: cls.get(childId)?.join(', ') || '—', code, link: linkUrl(code) }))
      sent++
    }
    if (!sent) throw new Conflict('families.invite.nothing_to_send')
    await tx
      .update(invitations)
      .set({ pendingDelivery: false, lastSentAt: at, expiresAt: new Date(at.getTime() + LINK_CODE_TTL) })
      .where(eq(invitations.id, inv.id))
    const date = new Intl.DateTimeFormat(a.lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(at.getTime() + LINK_CODE_TTL))
    await queueMail(tx, {
      to: inv.email,
      userId: null,
      subject: t(a.lang, 'families.mail.subject', { org: org?.name ?? '' }),
      text: t(a.lang, 'families.mail.body', { org: org?.name ?? '', children: lines.join('\n\n'), date, link: `${config.appUrl}/link` }),
    })
    await recordAudit(tx, {
      action: inv.lastSentAt ? 'families.invitation_resent' : 'families.invitation_sent',
      orgId: a.orgId,
      actorId: a.by.actorId,
      targetType: 'invitation',
      targetId: inv.id,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      details: { children: sent },
    })
    return { sent, email: inv.email }
  })
}

/** The school types a guardian's address for one child: a guardian invitation, sent at once. */
export async function inviteGuardianByEmail(db: Db, a: { orgId: string; childId: string; email: string; by: Actor; lang: Lang }) {
  const email = a.email.trim().toLowerCase()
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new Invalid('families.invite.email_invalid')
  await schoolChild(db, a)
  const invitationId = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`invite:${a.orgId}:${email}`}))`)
    const [open] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.orgId, a.orgId), eq(invitations.email, email), eq(invitations.role, 'guardian'), isNull(invitations.revokedAt)))
      .orderBy(asc(invitations.createdAt))
      .limit(1)
    let id = open?.id
    if (!id) {
      const at = now()
      const [inv] = await tx
        .insert(invitations)
        .values({
          orgId: a.orgId,
          email,
          role: 'guardian',
          // The invitation's own token is never sent: guardians link with the emailed codes.
          tokenHash: sha256Hex(randomToken()),
          invitedBy: a.by.actorId,
          createdAt: at,
          expiresAt: new Date(at.getTime() + LINK_CODE_TTL),
          pendingDelivery: true,
        })
        .returning()
      id = inv!.id
    }
    await tx.insert(invitationChildren).values({ invitationId: id, childId: a.childId }).onConflictDoNothing()
    return id
  })
  return sendGuardianInvitation(db, { orgId: a.orgId, invitationId, onlyChildIds: [a.childId], by: a.by, lang: a.lang })
}

// ---- The guardian's side -------------------------------------------------------------

export type CodeLookup =
  | { state: 'throttled'; retryAfterSeconds: number }
  | { state: 'unknown' | 'expired' | 'used' | 'cancelled' }
  | { state: 'pending'; orgName: string; orgKind: string; childFirstName: string; classNames: string[]; expiresAt: Date; alreadyLinked: boolean }

/** Wrong codes count per guardian account and per address, apart from password logins. */
const linkCodeCounters = (userId: string, ip: string): Counter[] => [
  { scope: 'linkCode', by: 'account', subject: userId, limit: LIMITS.linkCode.account },
  { scope: 'linkCode', by: 'address', subject: ip, limit: LIMITS.linkCode.address },
]

/**
 * What the guardian sees before confirming: the child's first name, class and school — nothing
 * more. Wrong codes are counted like failed logins (5 per 15 minutes per account; ADR 013).
 */
export async function inspectLinkCode(db: DbOrTx, a: { code: string; userId: string; origin: RequestOrigin }): Promise<CodeLookup> {
  const reservation = await reserveAttempt(db, linkCodeCounters(a.userId, clientIp(a.origin.ip)))
  if (reservation.refused) return { state: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds }
  const normalized = normalizeCode(a.code)
  const [row] =
    normalized.length === CODE_LENGTH
      ? await db
          .select({ code: linkCodes, orgName: organizations.name, orgKind: organizations.kind, firstName: users.firstName })
          .from(linkCodes)
          .innerJoin(organizations, eq(organizations.id, linkCodes.orgId))
          .innerJoin(users, eq(users.id, linkCodes.childId))
          .where(eq(linkCodes.codeHash, codeHash(normalized)))
      : []
  if (!row) {
    await recordAudit(db, { action: 'families.code_refused', outcome: 'failure', actorId: a.userId, ...a.origin, details: { reason: 'unknown' } })
    return { state: 'unknown' }
  }
  // A real code (even expired or used) is not a guess.
  await releaseAttempt(db, reservation)
  const state = codeState(row.code)
  if (state !== 'pending') {
    await recordAudit(db, {
      action: 'families.code_refused',
      outcome: 'failure',
      orgId: row.code.orgId,
      actorId: a.userId,
      targetType: 'link_code',
      targetId: row.code.id,
      ...a.origin,
      details: { reason: state },
    })
    return { state }
  }
  const names = await classNamesOf(db, row.code.orgId, [row.code.childId])
  const [linked] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from guardian_links where org_id = ${row.code.orgId} and child_id = ${row.code.childId} and guardian_id = ${a.userId} and ended_at is null`,
  )
  return {
    state: 'pending',
    orgName: row.orgName,
    orgKind: row.orgKind,
    childFirstName: row.firstName,
    classNames: names.get(row.code.childId) ?? [],
    expiresAt: row.code.expiresAt,
    alreadyLinked: Number(linked?.n ?? 0) > 0,
  }
}

/**
 * Confirming or reporting goes through the same throttle as looking a code up: a wrong code
 * counts as a failure (recorded outside the rolled-back transaction), 5 in 15 minutes wait.
 */
async function throttledUse<T>(db: Db, a: { userId: string; origin: RequestOrigin }, run: () => Promise<T>): Promise<T> {
  const reservation = await reserveAttempt(db, linkCodeCounters(a.userId, clientIp(a.origin.ip)))
  if (reservation.refused) throw new Invalid('families.code.throttled', { minutes: retryMinutes(reservation.retryAfterSeconds) })
  try {
    const done = await run()
    await releaseAttempt(db, reservation)
    return done
  } catch (e) {
    if (e instanceof Invalid && e.code === 'families.code.unknown') {
      await recordAudit(db, { action: 'families.code_refused', outcome: 'failure', actorId: a.userId, ...a.origin, details: { reason: 'unknown' } })
    } else {
      await releaseAttempt(db, reservation)
    }
    throw e
  }
}

async function usableCode(tx: Tx, code: string) {
  const normalized = normalizeCode(code)
  if (normalized.length !== CODE_LENGTH) throw new Invalid('families.code.unknown')
  const [row] = await tx
    .select()
    .from(linkCodes)
    .where(eq(linkCodes.codeHash, codeHash(normalized)))
    .for('update')
  if (!row) throw new Invalid('families.code.unknown')
  const state = codeState(row)
  if (state !== 'pending') throw new Invalid(`families.code.${state}`)
  return row
}

/**
 * The guardian confirms: the link is created (4 guardians at most), the code is used up, the
 * guardian joins the organization as 'guardian' after accepting its Terms and Privacy Policy.
 */
export async function confirmLinkCode(db: Db, a: { code: string; userId: string; legalStatus: string; acceptTerms: boolean; lang: Lang; origin: RequestOrigin }) {
  if (!(LEGAL_STATUSES as readonly string[]).includes(a.legalStatus)) throw new Invalid('families.link.status_required')
  if (!a.acceptTerms) throw new Invalid('families.link.accept_required')
  return throttledUse(db, a, () =>
    db.transaction(async (tx) => {
      const code = await usableCode(tx, a.code)
      const by = { actorId: a.userId, ...a.origin }
      const link = await createLink(tx, { orgId: code.orgId, childId: code.childId, guardianId: a.userId, legalStatus: a.legalStatus as LegalStatus, codeId: code.id, by, via: 'code' })
      const at = now()
      await tx.update(linkCodes).set({ usedAt: at, usedBy: a.userId }).where(eq(linkCodes.id, code.id))
      if (code.invitationId) {
        await tx
          .update(invitations)
          .set({ acceptedAt: at, acceptedBy: a.userId })
          .where(and(eq(invitations.id, code.invitationId), isNull(invitations.acceptedAt)))
      }
      await recordAcceptance(tx, { orgId: code.orgId, userId: a.userId, lang: a.lang, kinds: ['terms', 'privacy'] })
      return { orgId: code.orgId, childId: code.childId, linkId: link.id }
    }),
  )
}

/** "This is not my child": the code is cancelled and the school gets an alert. */
export async function reportNotMyChild(db: Db, a: { code: string; userId: string; origin: RequestOrigin }) {
  return throttledUse(db, a, () =>
    db.transaction(async (tx) => {
      const code = await usableCode(tx, a.code)
      const at = now()
      await tx.update(linkCodes).set({ cancelledAt: at, cancelReason: 'not_my_child' }).where(eq(linkCodes.id, code.id))
      const [alert] = await tx.insert(linkAlerts).values({ orgId: code.orgId, childId: code.childId, codeId: code.id, reportedAt: at, reportedBy: a.userId }).returning()
      await recordAudit(tx, {
        action: 'families.not_my_child',
        orgId: code.orgId,
        actorId: a.userId,
        targetType: 'link_code',
        targetId: code.id,
        ...a.origin,
        details: { childId: code.childId, alertId: alert!.id },
      })
      return { orgId: code.orgId }
    }),
  )
}

// ---- Alerts for the school -----------------------------------------------------------

export async function openAlerts(db: DbOrTx, { orgId, classId }: { orgId: string; classId?: string }) {
  const rows = await db
    .select({
      id: linkAlerts.id,
      childId: linkAlerts.childId,
      reportedAt: linkAlerts.reportedAt,
      firstName: users.firstName,
      lastName: users.lastName,
      channel: linkCodes.channel,
      issuedAt: linkCodes.createdAt,
    })
    .from(linkAlerts)
    .innerJoin(users, eq(users.id, linkAlerts.childId))
    .leftJoin(linkCodes, eq(linkCodes.id, linkAlerts.codeId))
    .where(
      and(
        eq(linkAlerts.orgId, orgId),
        isNull(linkAlerts.resolvedAt),
        classId ? sql`exists (select 1 from ${enrolments} e where e.child_id = ${linkAlerts.childId} and e.class_id = ${classId} and e.org_id = ${orgId})` : undefined,
      ),
    )
    .orderBy(asc(linkAlerts.reportedAt))
  const names = await classNamesOf(db, orgId, [...new Set(rows.map((r) => r.childId))])
  return rows.map((r) => ({ ...r, classNames: names.get(r.childId) ?? [] }))
}

export async function resolveAlert(db: DbOrTx, a: { orgId: string; alertId: string; by: Actor }) {
  if (!isUuid(a.orgId) || !isUuid(a.alertId)) throw new NotFound('alert')
  const [row] = await db
    .update(linkAlerts)
    .set({ resolvedAt: now(), resolvedBy: a.by.actorId })
    .where(and(eq(linkAlerts.id, a.alertId), eq(linkAlerts.orgId, a.orgId), isNull(linkAlerts.resolvedAt)))
    .returning()
  if (!row) throw new NotFound('alert')
  await recordAudit(db, { action: 'families.alert_resolved', orgId: a.orgId, actorId: a.by.actorId, targetType: 'link_alert', targetId: row.id, ip: a.by.ip, userAgent: a.by.userAgent })
}

/** Class names (active classes) per child, for letters, emails and the confirmation page. */
export async function classNamesOf(db: DbOrTx, orgId: string, childIds: string[]) {
  const out = new Map<string, string[]>()
  if (!childIds.length) return out
  const rows = await db
    .select({ childId: enrolments.childId, name: classes.name })
    .from(enrolments)
    .innerJoin(classes, and(eq(classes.id, enrolments.classId), eq(classes.orgId, orgId), isNull(classes.archivedAt)))
    .where(and(eq(enrolments.orgId, orgId), inArray(enrolments.childId, childIds)))
    .orderBy(asc(classes.name))
  for (const r of rows) out.set(r.childId, [...(out.get(r.childId) ?? []), r.name])
  return out
}

/** Pending (usable) codes per child: how many and when the last letter was printed. */
export async function pendingCodes(db: DbOrTx, { orgId, childIds }: { orgId: string; childIds: string[] }) {
  const out = new Map<string, { letters: number; emails: number; lastPrintedAt: Date | null }>()
  if (!childIds.length) return out
  const rows = await db
    .select({ childId: linkCodes.childId, channel: linkCodes.channel, lastPrintedAt: linkCodes.lastPrintedAt })
    .from(linkCodes)
    .where(and(eq(linkCodes.orgId, orgId), inArray(linkCodes.childId, childIds), isNull(linkCodes.usedAt), isNull(linkCodes.cancelledAt), gt(linkCodes.expiresAt, now())))
  for (const r of rows) {
    const cur = out.get(r.childId) ?? { letters: 0, emails: 0, lastPrintedAt: null }
    if (r.channel === 'letter') cur.letters++
    else cur.emails++
    if (r.lastPrintedAt && (!cur.lastPrintedAt || r.lastPrintedAt > cur.lastPrintedAt)) cur.lastPrintedAt = r.lastPrintedAt
    out.set(r.childId, cur)
  }
  return out
}

// The family space: the parent who signed the family up (its administrator) creates child
// profiles up to the plan's seats, invites a second guardian, gives parental consent for a
// child under the digital age of consent, and shows the child a login card. Family children
// log in the same ways as at school: the card's QR code / link, or the family's code + their
// name + the short code (the family has one "home" class for that, created with the first child).
import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { childProfiles, classes, enrolments, guardianLinks, invitationChildren, invitations, memberships, organizations, users } from '../../../drizzle/schema'
import { randomToken, sha256Hex, shortCode } from '../../crypto.server'
import { recordAcceptance } from '../../auth/signup.server'
import { checkPasswordPolicy, hashPassword } from '../../auth/password.server'
import { DAY, now } from '../../clock.server'
import { config } from '../../config.server'
import type { Db, DbOrTx, Tx } from '../../db.server'
import { Conflict, Invalid, NotFound, validName } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { t, type Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { currentSchoolYear } from '../classes/classes.server'
import { issueChildCard } from '../children/login-card.server'
import { cardUrl } from '../children/print-cards.server'
import { familyLoginBlock, latestParentalConsent, type ChildLoginBlock } from './authorisations.server'
import { ageOn, digitalAgeOfConsent, needsParentalConsent } from './consent-age'
import { createLink, isUuid, MAX_GUARDIANS_PER_CHILD, type Actor } from './links.server'
import { activeLinkWhere } from '../../permissions/guardian-links.server'

/** Child seats per family plan. */
export const PLAN_SEATS = { solo: 1, family: 3 } as const
export const FAMILY_INVITATION_TTL = 7 * DAY

export function seatLimit(plan: string | null | undefined) {
  return PLAN_SEATS[(plan ?? 'family') as keyof typeof PLAN_SEATS] ?? PLAN_SEATS.family
}

export async function getFamily(db: DbOrTx, { orgId }: { orgId: string }) {
  if (!isUuid(orgId)) throw new NotFound('family')
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId))
  if (!org || org.kind !== 'family') throw new NotFound('family')
  return org
}

async function activeChildCount(db: DbOrTx, orgId: string) {
  const [r] = await db
    .select({ n: count() })
    .from(memberships)
    .innerJoin(users, and(eq(users.id, memberships.userId), isNull(users.deactivatedAt)))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
  return r?.n ?? 0
}

/** The family's guardians: its adult members (administrators and guardians), creator first. */
async function familyAdults(db: DbOrTx, orgId: string) {
  const rows = await db
    .select({ userId: memberships.userId, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, and(eq(users.id, memberships.userId), eq(users.kind, 'adult'), isNull(users.deactivatedAt)))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ['admin', 'guardian']), eq(memberships.status, 'active')))
    .orderBy(asc(memberships.createdAt))
  return [...new Set(rows.map((r) => r.userId))]
}

/** The family's "home" class: its login code is what a child types first, like a class code. */
async function ensureHomeClass(tx: DbOrTx, org: { id: string; name: string }) {
  const [existing] = await tx
    .select()
    .from(classes)
    .where(and(eq(classes.orgId, org.id), isNull(classes.archivedAt)))
    .orderBy(asc(classes.createdAt))
    .limit(1)
  if (existing) return existing
  for (let attempt = 0; attempt < 6; attempt++) {
    const [row] = await tx
      .insert(classes)
      .values({ orgId: org.id, name: org.name.slice(0, 60), schoolYear: currentSchoolYear(), loginCode: shortCode(6), createdAt: now() })
      .onConflictDoNothing()
      .returning()
    if (row) return row
  }
  throw new Conflict('families.child.create_failed')
}

export type FamilyChildInput = { firstName: string; lastName: string; birthDate: string }

function validBirthDate(d: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false
  const date = new Date(`${d}T12:00:00Z`)
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== d) return false
  const age = ageOn(d, now())
  return age !== null && date.getTime() <= now().getTime() && age < 25
}

/**
 * Creates a child profile in the family, refusing beyond the plan's seats (Solo 1, Family 3).
 * Every adult of the family is linked to the child as a parent with full rights.
 */
export async function addFamilyChild(db: Db, a: FamilyChildInput & { orgId: string; by: Actor }) {
  const firstName = validName(a.firstName, 'families.child.first_name_required')
  const lastName = validName(a.lastName, 'families.child.last_name_required')
  if (!validBirthDate(a.birthDate)) throw new Invalid('families.child.birth_date_invalid')
  return db.transaction(async (tx) => {
    // Two parents adding a child at the same time must not both take the last seat.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'family-seats:' + a.orgId}))`)
    const org = await getFamily(tx, a)
    const limit = seatLimit(org.plan)
    if ((await activeChildCount(tx, org.id)) >= limit) throw new Conflict(`families.child.seat_limit_${org.plan === 'solo' ? 'solo' : 'family'}`, { max: limit })
    const at = now()
    const [child] = await tx.insert(users).values({ kind: 'child', firstName, lastName, birthDate: a.birthDate, createdAt: at }).returning()
    await tx.insert(memberships).values({ orgId: org.id, userId: child!.id, role: 'child', createdAt: at })
    const home = await ensureHomeClass(tx, org)
    await tx.insert(enrolments).values({ orgId: org.id, classId: home.id, childId: child!.id, createdAt: at })
    const adults = [a.by.actorId, ...(await familyAdults(tx, org.id)).filter((id) => id !== a.by.actorId)].slice(0, MAX_GUARDIANS_PER_CHILD)
    for (const guardianId of adults) {
      await createLink(tx, { orgId: org.id, childId: child!.id, guardianId, legalStatus: 'parent', by: a.by, via: 'family' })
    }
    await recordAudit(tx, {
      action: 'child.create',
      orgId: org.id,
      actorId: a.by.actorId,
      targetType: 'user',
      targetId: child!.id,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      details: { via: 'family' },
    })
    return child!
  })
}

export type FamilyChild = {
  id: string
  firstName: string
  lastName: string
  birthDate: string | null
  age: number | null
  needsConsent: boolean
  consent: { given: boolean; at: Date } | null
  block: ChildLoginBlock | null
  cardIssuedAt: Date | null
  canConsent: boolean
}

/** The family's children with their consent state, login block and card, as `viewerId` sees them. */
export async function listFamilyChildren(db: DbOrTx, { orgId, viewerId }: { orgId: string; viewerId: string }) {
  const org = await getFamily(db, { orgId })
  const rows = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, birthDate: users.birthDate, cardIssuedAt: childProfiles.cardIssuedAt })
    .from(memberships)
    .innerJoin(users, and(eq(users.id, memberships.userId), isNull(users.deactivatedAt)))
    .leftJoin(childProfiles, eq(childProfiles.childId, users.id))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .orderBy(asc(users.birthDate), asc(users.firstName))
  const ids = rows.map((r) => r.id)
  const consents = await latestParentalConsent(db, { orgId, childIds: ids })
  const myLinks = ids.length
    ? await db
        .select({ childId: guardianLinks.childId, canGiveConsent: guardianLinks.canGiveConsent })
        .from(guardianLinks)
        .where(and(eq(guardianLinks.orgId, orgId), eq(guardianLinks.guardianId, viewerId), inArray(guardianLinks.childId, ids), activeLinkWhere()))
    : []
  const consentRight = new Map(myLinks.map((l) => [l.childId, l.canGiveConsent]))
  const at = now()
  const children: FamilyChild[] = []
  for (const r of rows) {
    const c = consents.get(r.id)
    children.push({
      ...r,
      age: ageOn(r.birthDate, at),
      needsConsent: needsParentalConsent(org.country, r.birthDate, at),
      consent: c ? { given: c.given, at: c.at } : null,
      block: await familyLoginBlock(db, r.id),
      canConsent: consentRight.get(r.id) === true,
    })
  }
  const [home] = await db
    .select({ loginCode: classes.loginCode })
    .from(classes)
    .where(and(eq(classes.orgId, orgId), isNull(classes.archivedAt)))
    .orderBy(asc(classes.createdAt))
    .limit(1)
  return {
    org: { id: org.id, name: org.name, plan: org.plan ?? 'family', country: org.country, ageOfConsent: digitalAgeOfConsent(org.country) },
    seats: seatLimit(org.plan),
    children,
    familyCode: home?.loginCode ?? null,
  }
}

/** A new login card for a family child, shown on the parent's screen (QR + link + code). */
export async function familyChildCard(db: DbOrTx, a: { orgId: string; childId: string; by: Actor }) {
  if (!isUuid(a.childId)) throw new NotFound('child')
  await getFamily(db, a)
  const [child] = await db
    .select({ firstName: users.firstName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, a.orgId), eq(memberships.userId, a.childId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
  if (!child) throw new NotFound('child')
  const card = await issueChildCard(db, { orgId: a.orgId, childId: a.childId })
  await recordAudit(db, {
    action: 'child.card_regenerated',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'user',
    targetId: a.childId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { via: 'family' },
  })
  return { firstName: child.firstName, code: card.code, url: cardUrl(card.token) }
}

// ---- Second guardian -----------------------------------------------------------------

export type FamilyInvitationRow = typeof invitations.$inferSelect

export function familyInvitationLink(token: string) {
  return `${config.appUrl}/link/family/${token}`
}

/** Invites another adult (a second parent) to the family: once they accept, same rights. */
export async function inviteFamilyGuardian(db: Db, a: { orgId: string; email: string; by: Actor; lang: Lang }) {
  const email = a.email.trim().toLowerCase()
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new Invalid('families.invite.email_invalid')
  return db.transaction(async (tx) => {
    const org = await getFamily(tx, a)
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`invite:${org.id}:${email}`}))`)
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, org.id), eq(memberships.role, 'admin'), eq(memberships.status, 'active'), eq(users.email, email)))
    if (member) throw new Conflict('families.invite.already_member', { email })
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.orgId, org.id),
          eq(invitations.email, email),
          eq(invitations.role, 'guardian'),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now()),
        ),
      )
    if (pending) throw new Conflict('families.invite.duplicate', { email })
    const token = randomToken()
    const at = now()
    const [inv] = await tx
      .insert(invitations)
      .values({
        orgId: org.id,
        email,
        role: 'guardian',
        tokenHash: sha256Hex(token),
        invitedBy: a.by.actorId,
        createdAt: at,
        lastSentAt: at,
        expiresAt: new Date(at.getTime() + FAMILY_INVITATION_TTL),
      })
      .returning()
    const [inviter] = await tx.select({ firstName: users.firstName, lastName: users.lastName }).from(users).where(eq(users.id, a.by.actorId))
    const vars = {
      org: org.name,
      inviter: inviter ? `${inviter.firstName} ${inviter.lastName}` : '',
      link: familyInvitationLink(token),
      date: new Intl.DateTimeFormat(a.lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(inv!.expiresAt),
    }
    await queueMail(tx, { to: email, userId: null, subject: t(a.lang, 'families.family_mail.subject', vars), text: t(a.lang, 'families.family_mail.body', vars) })
    await recordAudit(tx, { action: 'families.family_invite', orgId: org.id, actorId: a.by.actorId, targetType: 'invitation', targetId: inv!.id, ip: a.by.ip, userAgent: a.by.userAgent })
    return { invitation: inv!, token }
  })
}

export async function listFamilyInvitations(db: DbOrTx, { orgId }: { orgId: string }) {
  const rows = await db
    .select({ id: invitations.id, email: invitations.email, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt, acceptedAt: invitations.acceptedAt, revokedAt: invitations.revokedAt })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.role, 'guardian')))
    .orderBy(desc(invitations.createdAt))
  const at = now()
  return rows.map((r) => ({ ...r, state: r.acceptedAt ? 'accepted' : r.revokedAt ? 'revoked' : r.expiresAt <= at ? 'expired' : 'pending' }))
}

export async function revokeFamilyInvitation(db: DbOrTx, a: { orgId: string; invitationId: string; by: Actor }) {
  if (!isUuid(a.invitationId)) throw new NotFound('invitation')
  const [row] = await db
    .update(invitations)
    .set({ revokedAt: now() })
    .where(and(eq(invitations.id, a.invitationId), eq(invitations.orgId, a.orgId), eq(invitations.role, 'guardian'), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .returning()
  if (!row) throw new NotFound('invitation')
  await recordAudit(db, { action: 'families.family_invite_revoke', orgId: a.orgId, actorId: a.by.actorId, targetType: 'invitation', targetId: row.id, ip: a.by.ip, userAgent: a.by.userAgent })
}

export type FamilyTokenLookup =
  { state: 'unknown' } | { state: 'pending' | 'expired' | 'accepted' | 'revoked'; invitation: FamilyInvitationRow; orgName: string; accountExists: boolean; childNames: string[] }

export async function lookupFamilyInvitation(db: DbOrTx, token: string): Promise<FamilyTokenLookup> {
  if (!token || token.length > 100) return { state: 'unknown' }
  const [row] = await db
    .select({ inv: invitations, orgName: organizations.name, kind: organizations.kind })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(and(eq(invitations.tokenHash, sha256Hex(token)), eq(invitations.role, 'guardian')))
  if (!row || row.kind !== 'family') return { state: 'unknown' }
  const inv = row.inv
  const state = inv.acceptedAt ? 'accepted' : inv.revokedAt ? 'revoked' : inv.expiresAt <= now() ? 'expired' : 'pending'
  const [account] = await db.select({ id: users.id }).from(users).where(eq(users.email, inv.email))
  const kids = await db
    .select({ firstName: users.firstName })
    .from(memberships)
    .innerJoin(users, and(eq(users.id, memberships.userId), isNull(users.deactivatedAt)))
    .where(and(eq(memberships.orgId, inv.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .orderBy(asc(users.firstName))
  return { state, invitation: inv, orgName: row.orgName, accountExists: !!account, childNames: kids.map((k) => k.firstName) }
}

async function usableFamilyInvitation(tx: Tx, token: string) {
  const [inv] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, sha256Hex(token)), eq(invitations.role, 'guardian')))
    .for('update')
  if (!inv) throw new Invalid('families.family_invite.unknown')
  await getFamily(tx, { orgId: inv.orgId }).catch(() => {
    throw new Invalid('families.family_invite.unknown')
  })
  if (inv.acceptedAt) throw new Invalid('families.family_invite.accepted')
  if (inv.revokedAt) throw new Invalid('families.family_invite.revoked')
  if (inv.expiresAt <= now()) throw new Invalid('families.family_invite.expired')
  return inv
}

/** Memberships (admin + guardian), a parent link to every child, Terms and Privacy accepted. */
async function joinFamily(tx: Tx, inv: FamilyInvitationRow, userId: string, lang: Lang, origin: RequestOrigin) {
  const at = now()
  for (const role of ['admin', 'guardian'] as const) {
    await tx
      .insert(memberships)
      .values({ orgId: inv.orgId, userId, role, status: 'active', createdAt: at })
      .onConflictDoUpdate({ target: [memberships.orgId, memberships.userId, memberships.role], set: { status: 'active' } })
  }
  await recordAcceptance(tx, { orgId: inv.orgId, userId, lang, kinds: ['terms', 'privacy'] })
  const kids = await tx
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, inv.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
  const by = { actorId: userId, ...origin }
  for (const k of kids) {
    await createLink(tx, { orgId: inv.orgId, childId: k.id, guardianId: userId, legalStatus: 'parent', by, via: 'family' }).catch((e) => {
      // Already linked (e.g. through a school code) or 4 guardians already: leave as is.
      if (!(e instanceof Conflict)) throw e
    })
    await tx.insert(invitationChildren).values({ invitationId: inv.id, childId: k.id }).onConflictDoNothing()
  }
  await tx.update(invitations).set({ acceptedAt: at, acceptedBy: userId }).where(eq(invitations.id, inv.id))
  await recordAudit(tx, { action: 'families.family_invite_accept', orgId: inv.orgId, actorId: userId, targetType: 'invitation', targetId: inv.id, ...origin })
}

export async function acceptFamilyInvitation(db: Db, a: { token: string; user: { id: string; email: string | null }; accepted: boolean; lang: Lang; origin: RequestOrigin }) {
  if (!a.accepted) throw new Invalid('families.link.accept_required')
  return db.transaction(async (tx) => {
    const inv = await usableFamilyInvitation(tx, a.token)
    if (!a.user.email || a.user.email.toLowerCase() !== inv.email.toLowerCase()) throw new Invalid('staff.accept_wrong_account', { email: inv.email, current: a.user.email ?? '—' })
    await joinFamily(tx, inv, a.user.id, a.lang, a.origin)
    return { orgId: inv.orgId }
  })
}

export async function signUpFromFamilyInvitation(db: Db, a: { token: string; firstName: string; lastName: string; password: string; lang: Lang; origin: RequestOrigin }) {
  return db.transaction(async (tx) => {
    const inv = await usableFamilyInvitation(tx, a.token)
    const problem = checkPasswordPolicy(a.password, { email: inv.email, names: [a.firstName, a.lastName] })
    if (problem) throw new Invalid(`password.${problem}`)
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, inv.email))
    if (existing) throw new Conflict('staff.accept_account_exists')
    const at = now()
    const [user] = await tx
      .insert(users)
      .values({
        kind: 'adult',
        email: inv.email,
        emailVerifiedAt: at,
        passwordHash: await hashPassword(a.password),
        firstName: validName(a.firstName, 'signup.first_name_required'),
        lastName: validName(a.lastName, 'signup.last_name_required'),
        locale: a.lang,
        createdAt: at,
        lastLoginAt: at,
      })
      .returning()
    await recordAudit(tx, { action: 'auth.signup', orgId: inv.orgId, actorId: user!.id, targetType: 'user', targetId: user!.id, ...a.origin, details: { via: 'family_invitation' } })
    await joinFamily(tx, inv, user!.id, a.lang, a.origin)
    return { user: user!, orgId: inv.orgId }
  })
}

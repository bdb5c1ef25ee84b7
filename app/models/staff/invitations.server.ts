// Staff invitations: an administrator invites a teacher, another administrator or a DPO by
// email. The link carries a random token; only its SHA-256 is stored. A link lasts 7 days,
// can be revoked, and re-sending replaces the token (the old link dies at once). The
// membership exists only once the invited person has accepted the current Terms and Privacy
// Policy (consent log), and every step is audited.
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { invitations, memberships, organizations, users } from '../../../drizzle/schema'
import { randomToken, sha256Hex } from '../../crypto.server'
import { checkPasswordPolicy, hashPassword } from '../../auth/password.server'
import { recordAcceptance } from '../../auth/signup.server'
import { DAY, now } from '../../clock.server'
import { config } from '../../config.server'
import type { Db, DbOrTx, Tx } from '../../db.server'
import { Conflict, Invalid, NotFound, validName } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { t, type Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { STAFF_INVITE_ROLES, type StaffInviteRole } from './invitations.schema'

// The form schema lives apart so the browser can load it without the model.
export { STAFF_INVITE_ROLES, type StaffInviteRole }
export const INVITATION_TTL = 7 * DAY

export type Actor = { actorId: string } & RequestOrigin
export type InvitationRow = typeof invitations.$inferSelect
export type InvitationState = 'pending' | 'expired' | 'accepted' | 'revoked'

export function invitationState(inv: Pick<InvitationRow, 'acceptedAt' | 'revokedAt' | 'expiresAt'>, at = now()): InvitationState {
  if (inv.acceptedAt) return 'accepted'
  if (inv.revokedAt) return 'revoked'
  if (inv.expiresAt.getTime() <= at.getTime()) return 'expired'
  return 'pending'
}

export function invitationLink(token: string) {
  return `${config.appUrl}/invitation/${token}`
}

/** Creates a staff invitation and emails its link. Refuses a second pending one for the same email and role. */
export async function inviteStaff(db: Db, a: { orgId: string; email: string; role: StaffInviteRole; by: Actor; lang: Lang }): Promise<{ invitation: InvitationRow; token: string }> {
  const email = a.email.trim().toLowerCase()
  if (!(STAFF_INVITE_ROLES as readonly string[]).includes(a.role)) throw new Invalid('staff.invite_role_required')
  return db.transaction(async (tx) => {
    // Two admins pressing "invite" at once must not create two pending invitations.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`invite:${a.orgId}:${email}`}))`)
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, a.orgId), eq(memberships.role, a.role), eq(memberships.status, 'active'), eq(users.email, email)))
    if (member) throw new Conflict('staff.invite_already_member', { email, role: t(a.lang, `role.${a.role}`) })
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.orgId, a.orgId),
          eq(invitations.email, email),
          eq(invitations.role, a.role),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now()),
        ),
      )
    if (pending) throw new Conflict('staff.invite_duplicate', { email, role: t(a.lang, `role.${a.role}`) })
    const token = randomToken()
    const at = now()
    const [invitation] = await tx
      .insert(invitations)
      .values({
        orgId: a.orgId,
        email,
        role: a.role,
        tokenHash: sha256Hex(token),
        invitedBy: a.by.actorId,
        createdAt: at,
        lastSentAt: at,
        expiresAt: new Date(at.getTime() + INVITATION_TTL),
      })
      .returning()
    await recordAudit(tx, {
      action: 'staff.invite',
      orgId: a.orgId,
      actorId: a.by.actorId,
      targetType: 'invitation',
      targetId: invitation!.id,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      details: { role: a.role },
    })
    await sendInvitationMail(tx, { invitation: invitation!, token, inviterId: a.by.actorId, lang: a.lang })
    return { invitation: invitation!, token }
  })
}

/** A new token and a fresh 7 days; the previous link stops working at once. */
export async function resendInvitation(db: Db, a: { orgId: string; invitationId: string; by: Actor; lang: Lang }) {
  return db.transaction(async (tx) => {
    const inv = await getInvitation(tx, a, true)
    const state = invitationState(inv)
    if (state === 'accepted' || state === 'revoked') throw new Conflict(`staff.invite_cannot_resend_${state}`)
    const token = randomToken()
    const at = now()
    const [updated] = await tx
      .update(invitations)
      .set({ tokenHash: sha256Hex(token), lastSentAt: at, expiresAt: new Date(at.getTime() + INVITATION_TTL) })
      .where(and(eq(invitations.id, inv.id), eq(invitations.orgId, a.orgId)))
      .returning()
    await recordAudit(tx, {
      action: 'staff.invite_resend',
      orgId: a.orgId,
      actorId: a.by.actorId,
      targetType: 'invitation',
      targetId: inv.id,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      details: { role: inv.role },
    })
    await sendInvitationMail(tx, { invitation: updated!, token, inviterId: a.by.actorId, lang: a.lang })
    return { invitation: updated!, token }
  })
}

export async function revokeInvitation(db: Db, a: { orgId: string; invitationId: string; by: Actor }) {
  return db.transaction(async (tx) => {
    const inv = await getInvitation(tx, a, true)
    const state = invitationState(inv)
    if (state === 'accepted') throw new Conflict('staff.invite_cannot_revoke_accepted')
    if (state === 'revoked') return inv
    const [updated] = await tx
      .update(invitations)
      .set({ revokedAt: now() })
      .where(and(eq(invitations.id, inv.id), eq(invitations.orgId, a.orgId)))
      .returning()
    await recordAudit(tx, {
      action: 'staff.invite_revoke',
      orgId: a.orgId,
      actorId: a.by.actorId,
      targetType: 'invitation',
      targetId: inv.id,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
    })
    return updated!
  })
}

export async function getInvitation(db: DbOrTx, { orgId, invitationId }: { orgId: string; invitationId: string }, forUpdate = false) {
  if (!/^[0-9a-f-]{36}$/i.test(invitationId)) throw new NotFound('invitation')
  const q = db
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, invitationId), eq(invitations.orgId, orgId), inArray(invitations.role, [...STAFF_INVITE_ROLES])))
  const [row] = forUpdate ? await q.for('update') : await q
  if (!row) throw new NotFound('invitation')
  return row
}

export type StaffInvitationListItem = {
  id: string
  email: string
  role: StaffInviteRole
  state: InvitationState
  createdAt: Date
  lastSentAt: Date | null
  expiresAt: Date
  acceptedAt: Date | null
  revokedAt: Date | null
  invitedBy: { firstName: string; lastName: string } | null
}

/** Every staff invitation of the organization, newest first, with its state. */
export async function listStaffInvitations(db: DbOrTx, { orgId, only }: { orgId: string; only?: InvitationState[] }): Promise<StaffInvitationListItem[]> {
  const rows = await db
    .select({ inv: invitations, inviterFirst: users.firstName, inviterLast: users.lastName })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.orgId, orgId), inArray(invitations.role, [...STAFF_INVITE_ROLES])))
    .orderBy(desc(invitations.createdAt))
  const at = now()
  return rows
    .map(({ inv, inviterFirst, inviterLast }) => ({
      id: inv.id,
      email: inv.email,
      role: inv.role as StaffInviteRole,
      state: invitationState(inv, at),
      createdAt: inv.createdAt,
      lastSentAt: inv.lastSentAt,
      expiresAt: inv.expiresAt,
      acceptedAt: inv.acceptedAt,
      revokedAt: inv.revokedAt,
      invitedBy: inviterFirst != null ? { firstName: inviterFirst, lastName: inviterLast ?? '' } : null,
    }))
    .filter((i) => !only || only.includes(i.state))
}

// ---- The invited person's side -------------------------------------------------------

export type TokenLookup = { state: 'unknown' } | { state: InvitationState; invitation: InvitationRow; orgName: string; accountExists: boolean }

/** What the public invitation page shows for a token. Guardian invitations are not handled here. */
export async function lookupInvitationToken(db: DbOrTx, token: string): Promise<TokenLookup> {
  if (!token || token.length > 100) return { state: 'unknown' }
  const [row] = await db
    .select({ inv: invitations, orgName: organizations.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(and(eq(invitations.tokenHash, sha256Hex(token)), inArray(invitations.role, [...STAFF_INVITE_ROLES])))
  if (!row) return { state: 'unknown' }
  const [account] = await db.select({ id: users.id }).from(users).where(eq(users.email, row.inv.email))
  return { state: invitationState(row.inv), invitation: row.inv, orgName: row.orgName, accountExists: !!account }
}

/** Records a refused use of an invitation link (unknown, expired, revoked or already used). */
export async function auditRefusedToken(db: DbOrTx, lookup: TokenLookup, a: { actorId: string | null } & RequestOrigin) {
  await recordAudit(db, {
    action: 'staff.invite_refused',
    outcome: 'failure',
    orgId: lookup.state === 'unknown' ? null : lookup.invitation.orgId,
    actorId: a.actorId,
    targetType: 'invitation',
    targetId: lookup.state === 'unknown' ? null : lookup.invitation.id,
    ip: a.ip,
    userAgent: a.userAgent,
    details: { reason: lookup.state },
  })
}

/** Locks the invitation row behind a token and checks it can still be used. */
async function usableInvitation(tx: Tx, token: string) {
  const [inv] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, sha256Hex(token)), inArray(invitations.role, [...STAFF_INVITE_ROLES])))
    .for('update')
  if (!inv) throw new Invalid('staff.accept_unknown')
  const state = invitationState(inv)
  if (state !== 'pending') throw new Invalid(`staff.accept_${state}`)
  return inv
}

async function activate(tx: Tx, inv: InvitationRow, userId: string, lang: Lang, origin: RequestOrigin) {
  const at = now()
  await tx
    .insert(memberships)
    .values({ orgId: inv.orgId, userId, role: inv.role, status: 'active', createdAt: at })
    .onConflictDoUpdate({ target: [memberships.orgId, memberships.userId, memberships.role], set: { status: 'active' } })
  await recordAcceptance(tx, { orgId: inv.orgId, userId, lang, kinds: ['terms', 'privacy'] })
  await tx.update(invitations).set({ acceptedAt: at, acceptedBy: userId }).where(eq(invitations.id, inv.id))
  await recordAudit(tx, {
    action: 'staff.invite_accept',
    orgId: inv.orgId,
    actorId: userId,
    targetType: 'invitation',
    targetId: inv.id,
    ...origin,
    details: { role: inv.role },
  })
  await recordAudit(tx, { action: 'member.create', orgId: inv.orgId, actorId: userId, targetType: 'user', targetId: userId, ...origin, details: { role: inv.role, via: 'invitation' } })
}

/**
 * A signed-in person accepts the invitation sent to their address: the acceptance of the
 * current Terms and Privacy Policy is appended to the consent log, then the membership is active.
 */
export async function acceptInvitation(db: Db, a: { token: string; user: { id: string; email: string | null }; accepted: boolean; lang: Lang; origin: RequestOrigin }) {
  if (!a.accepted) throw new Invalid('staff.accept_terms_required')
  return db.transaction(async (tx) => {
    const inv = await usableInvitation(tx, a.token)
    if (!a.user.email || a.user.email.toLowerCase() !== inv.email.toLowerCase()) throw new Invalid('staff.accept_wrong_account', { email: inv.email, current: a.user.email ?? '—' })
    await activate(tx, inv, a.user.id, a.lang, a.origin)
    return { orgId: inv.orgId, role: inv.role }
  })
}

/**
 * Someone without an account creates it from the invitation: the emailed link proves the
 * address, so it is verified at once. Account, acceptance records and membership are one
 * transaction.
 */
export async function signUpFromInvitation(db: Db, a: { token: string; firstName: string; lastName: string; password: string; lang: Lang; origin: RequestOrigin }) {
  return db.transaction(async (tx) => {
    const inv = await usableInvitation(tx, a.token)
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
        // The caller signs the person in at once: this is their first login.
        lastLoginAt: at,
      })
      .returning()
    await recordAudit(tx, { action: 'auth.signup', orgId: inv.orgId, actorId: user!.id, targetType: 'user', targetId: user!.id, ...a.origin, details: { via: 'invitation' } })
    await activate(tx, inv, user!.id, a.lang, a.origin)
    return { user: user!, orgId: inv.orgId, role: inv.role }
  })
}

// ---- Mail ----------------------------------------------------------------------------

async function sendInvitationMail(tx: DbOrTx, a: { invitation: InvitationRow; token: string; inviterId: string; lang: Lang }) {
  const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, a.invitation.orgId))
  const [inviter] = await tx.select({ firstName: users.firstName, lastName: users.lastName }).from(users).where(eq(users.id, a.inviterId))
  const vars = {
    org: org?.name ?? '',
    inviter: inviter ? `${inviter.firstName} ${inviter.lastName}` : '',
    role: t(a.lang, `role.${a.invitation.role}`),
    link: invitationLink(a.token),
    date: new Intl.DateTimeFormat(a.lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(a.invitation.expiresAt),
  }
  await queueMail(tx, { to: a.invitation.email, subject: t(a.lang, 'staff.mail_subject', vars), text: t(a.lang, 'staff.mail_body', vars), userId: null })
}

// Staff invitations (hashed token, 7 days, revocable, re-sendable, acceptance of the current
// Terms and Privacy Policy before the membership is active) and the access review.
import { and, desc, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { accessReviews, auditEvents, classTeachers, consentRecords, invitations, memberships, organizations, outboxMails, users } from '../../drizzle/schema'
import { sha256Hex } from '~/crypto.server'
import { createSession } from '~/auth/session.server'
import { DAY, useFakeClock } from '~/clock.server'
import { acceptInvitation, inviteStaff, listStaffInvitations, lookupInvitationToken, resendInvitation, revokeInvitation, signUpFromInvitation } from '~/models/staff/invitations.server'
import { listMembers, markReviewed, removeStaffMembership } from '~/models/staff/members.server'
import { defineAbilityFor } from '~/permissions/abilities'
import { loadPrincipal } from '~/permissions/principal.server'
import * as invitationPage from '~/routes/invitation.$token'
import * as membersRoute from '~/routes/org.$orgId.members'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeClass, makeOrg, teach } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let orgId: string
let admin: { id: string; email: string | null }
let dpo: { id: string }
const origin = { ip: '127.0.0.1', userAgent: 'vitest' }
const by = () => ({ actorId: admin.id, ...origin })
const PASSWORD = 'quatre mots faciles à retenir'
let clock: ReturnType<typeof useFakeClock> | null = null

beforeAll(async () => {
  t = await useTestDatabase()
  const org = await makeOrg(t.db, 'school', 'École Jules Ferry')
  orgId = org.id
  admin = await makeAdult(t.db, { orgId, role: 'admin' })
  dpo = await makeAdult(t.db, { orgId, role: 'dpo' })
})
afterAll(() => dropTestDatabase(t.name))
afterEach(() => {
  clock?.restore()
  clock = null
})

async function lastMailTo(to: string) {
  const [m] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, to)).orderBy(desc(outboxMails.createdAt)).limit(1)
  return m!
}
const tokenIn = (text: string) => text.match(/\/invitation\/([a-z0-9]+)/)![1]!

async function consentOf(userId: string) {
  return t.db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, orgId), eq(consentRecords.subjectId, userId)))
}

async function membershipOf(userId: string, role: 'teacher' | 'admin' | 'dpo') {
  const [m] = await t.db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), eq(memberships.role, role)))
  return m ?? null
}

describe('inviting', () => {
  test('the link is emailed, only the token hash is stored, it lasts 7 days, and the step is audited', async () => {
    clock = useFakeClock('2026-09-01T08:00:00Z')
    const { invitation, token } = await inviteStaff(t.db, { orgId, email: '  Marie.Curie@Ecole.fr ', role: 'teacher', by: by(), lang: 'fr' })
    expect(invitation.email).toBe('marie.curie@ecole.fr')
    expect(invitation.tokenHash).toBe(sha256Hex(token))
    expect(invitation.tokenHash).not.toContain(token)
    expect(invitation.expiresAt.toISOString()).toBe('2026-09-08T08:00:00.000Z')
    const mail = await lastMailTo('marie.curie@ecole.fr')
    expect(mail.subject).toContain('École Jules Ferry')
    expect(tokenIn(mail.text)).toBe(token)
    expect(mail.text).toMatch(/\/invitation\/[a-z0-9]+\n/)
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff.invite'), eq(auditEvents.targetId, invitation.id)))
    expect(audit).toMatchObject({ actorId: admin.id, orgId, outcome: 'success' })
    // No membership until the person accepts.
    expect((await listStaffInvitations(t.db, { orgId })).find((i) => i.id === invitation.id)?.state).toBe('pending')
  })

  test('a second pending invitation for the same email and role is refused with a clear message', async () => {
    await inviteStaff(t.db, { orgId, email: 'dup@ecole.fr', role: 'teacher', by: by(), lang: 'fr' })
    const err = await inviteStaff(t.db, { orgId, email: 'DUP@ecole.fr', role: 'teacher', by: by(), lang: 'en' }).catch((e) => e)
    expect(err).toMatchObject({ code: 'staff.invite_duplicate', vars: { email: 'dup@ecole.fr', role: 'Teacher' } })
    // Another role for the same person is a different invitation.
    await expect(inviteStaff(t.db, { orgId, email: 'dup@ecole.fr', role: 'dpo', by: by(), lang: 'fr' })).resolves.toBeTruthy()
    // An existing member with that role cannot be invited again.
    await expect(inviteStaff(t.db, { orgId, email: admin.email!, role: 'admin', by: by(), lang: 'fr' })).rejects.toMatchObject({ code: 'staff.invite_already_member' })
  })
})

describe('accepting', () => {
  test('sign-up from the link: account, acceptance of Terms and Privacy in the consent log, then an active membership', async () => {
    const { token, invitation } = await inviteStaff(t.db, { orgId, email: 'nouvelle@ecole.fr', role: 'teacher', by: by(), lang: 'fr' })
    // The policy still applies to the password.
    await expect(signUpFromInvitation(t.db, { token, firstName: 'Ada', lastName: 'Nouvelle', password: 'court', lang: 'fr', origin })).rejects.toMatchObject({ code: 'password.too_short' })
    const { user } = await signUpFromInvitation(t.db, { token, firstName: 'Ada', lastName: 'Nouvelle', password: PASSWORD, lang: 'fr', origin })
    expect(user).toMatchObject({ email: 'nouvelle@ecole.fr', kind: 'adult' })
    expect(user.emailVerifiedAt).not.toBeNull()
    expect(await membershipOf(user.id, 'teacher')).toMatchObject({ status: 'active' })
    const consent = await consentOf(user.id)
    expect(consent.map((c) => [c.event, c.state, c.documentKind, c.method]).sort()).toEqual([
      ['terms_accepted', 'given', 'privacy', 'web_checkbox'],
      ['terms_accepted', 'given', 'terms', 'web_checkbox'],
    ])
    const [row] = await t.db.select().from(invitations).where(eq(invitations.id, invitation.id))
    expect(row).toMatchObject({ acceptedBy: user.id })
    // The link works once.
    await expect(signUpFromInvitation(t.db, { token, firstName: 'Ada', lastName: 'Bis', password: PASSWORD, lang: 'fr', origin })).rejects.toMatchObject({ code: 'staff.accept_accepted' })
    const audits = await t.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.actorId, user.id))
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.signup', 'staff.invite_accept', 'member.create']))
  })

  test('an existing account accepts while signed in; another account is refused; the box must be ticked', async () => {
    const existing = await makeAdult(t.db, { email: 'deja@ecole.fr' })
    const other = await makeAdult(t.db, { email: 'autre@ecole.fr' })
    const { token } = await inviteStaff(t.db, { orgId, email: 'deja@ecole.fr', role: 'dpo', by: by(), lang: 'fr' })
    await expect(acceptInvitation(t.db, { token, user: other, accepted: true, lang: 'fr', origin })).rejects.toMatchObject({ code: 'staff.accept_wrong_account' })
    await expect(acceptInvitation(t.db, { token, user: existing, accepted: false, lang: 'fr', origin })).rejects.toMatchObject({ code: 'staff.accept_terms_required' })
    expect(await membershipOf(existing.id, 'dpo')).toBeNull()
    expect(await consentOf(existing.id)).toHaveLength(0)
    await acceptInvitation(t.db, { token, user: existing, accepted: true, lang: 'en', origin })
    expect(await membershipOf(existing.id, 'dpo')).toMatchObject({ status: 'active' })
    expect((await consentOf(existing.id)).map((c) => `${c.documentKind}:${c.language}`).sort()).toEqual(['privacy:en', 'terms:en'])
  })

  test('through the public page: the unticked box is refused, the ticked one lets the person in', async () => {
    const person = await makeAdult(t.db, { email: 'page@ecole.fr' })
    const { token: sessionToken } = await createSession(t.db, person.id, { kind: 'adult' })
    const { token } = await inviteStaff(t.db, { orgId, email: 'page@ecole.fr', role: 'teacher', by: by(), lang: 'fr' })
    const req = (body: Record<string, string>) =>
      new Request(`http://localhost/invitation/${token}`, {
        method: 'POST',
        headers: { cookie: `carnet_session=${sessionToken}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      })
    const page = (await invitationPage.loader({
      request: new Request(`http://localhost/invitation/${token}`, { headers: { cookie: `carnet_session=${sessionToken}` } }),
      params: { token },
      context: {},
    })) as {
      state: string
      orgName: string
      signedIn: { matches: boolean }
    }
    expect(page).toMatchObject({ state: 'pending', orgName: 'École Jules Ferry', role: 'teacher', signedIn: { matches: true } })
    const refused = await invitationPage.action({ request: req({ intent: 'accept' }), params: { token }, context: {} })
    expect(refused).toMatchObject({ status: 'error', error: { acceptTerms: [expect.any(String)] } })
    expect(await membershipOf(person.id, 'teacher')).toBeNull()
    const done = (await invitationPage.action({ request: req({ intent: 'accept', acceptTerms: 'on' }), params: { token }, context: {} })) as Response
    expect(done.status).toBe(302)
    expect(done.headers.get('location')).toBe(`/org/${orgId}?joined=teacher`)
    expect(await membershipOf(person.id, 'teacher')).toMatchObject({ status: 'active' })
  })
})

describe('refused links', () => {
  test('expired after 7 days: refused with a clear state, and the refusal is audited', async () => {
    clock = useFakeClock('2026-09-01T08:00:00Z')
    const { token, invitation } = await inviteStaff(t.db, { orgId, email: 'tard@ecole.fr', role: 'teacher', by: by(), lang: 'fr' })
    clock.advance(7 * DAY - 1000)
    expect((await lookupInvitationToken(t.db, token)).state).toBe('pending')
    clock.advance(1000)
    expect((await lookupInvitationToken(t.db, token)).state).toBe('expired')
    await expect(signUpFromInvitation(t.db, { token, firstName: 'Léa', lastName: 'Tard', password: PASSWORD, lang: 'fr', origin })).rejects.toMatchObject({ code: 'staff.accept_expired' })
    expect((await listStaffInvitations(t.db, { orgId })).find((i) => i.id === invitation.id)?.state).toBe('expired')

    const page = await invitationPage.loader({ request: new Request(`http://localhost/invitation/${token}`), params: { token }, context: {} })
    expect(page).toMatchObject({ state: 'expired', orgName: 'École Jules Ferry' })
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff.invite_refused'), eq(auditEvents.targetId, invitation.id)))
    expect(audit).toMatchObject({ outcome: 'failure', details: { reason: 'expired' } })

    // An expired invitation may be re-sent: a fresh link for 7 more days.
    const again = await resendInvitation(t.db, { orgId, invitationId: invitation.id, by: by(), lang: 'fr' })
    expect((await lookupInvitationToken(t.db, again.token)).state).toBe('pending')
  })

  test('revoked: refused', async () => {
    const { token, invitation } = await inviteStaff(t.db, { orgId, email: 'annule@ecole.fr', role: 'admin', by: by(), lang: 'fr' })
    await revokeInvitation(t.db, { orgId, invitationId: invitation.id, by: by() })
    expect((await lookupInvitationToken(t.db, token)).state).toBe('revoked')
    await expect(signUpFromInvitation(t.db, { token, firstName: 'Rémi', lastName: 'Annulé', password: PASSWORD, lang: 'fr', origin })).rejects.toMatchObject({ code: 'staff.accept_revoked' })
    await expect(resendInvitation(t.db, { orgId, invitationId: invitation.id, by: by(), lang: 'fr' })).rejects.toMatchObject({ code: 'staff.invite_cannot_resend_revoked' })
    const [u] = await t.db.select().from(users).where(eq(users.email, 'annule@ecole.fr'))
    expect(u).toBeUndefined()
  })

  test('re-sending kills the old token at once; the new one works', async () => {
    const first = await inviteStaff(t.db, { orgId, email: 'renvoi@ecole.fr', role: 'teacher', by: by(), lang: 'fr' })
    const second = await resendInvitation(t.db, { orgId, invitationId: first.invitation.id, by: by(), lang: 'fr' })
    expect(second.token).not.toBe(first.token)
    expect(tokenIn((await lastMailTo('renvoi@ecole.fr')).text)).toBe(second.token)
    expect((await lookupInvitationToken(t.db, first.token)).state).toBe('unknown')
    await expect(signUpFromInvitation(t.db, { token: first.token, firstName: 'Paul', lastName: 'Renvoi', password: PASSWORD, lang: 'fr', origin })).rejects.toMatchObject({
      code: 'staff.accept_unknown',
    })
    const { user } = await signUpFromInvitation(t.db, { token: second.token, firstName: 'Paul', lastName: 'Renvoi', password: PASSWORD, lang: 'fr', origin })
    expect(await membershipOf(user.id, 'teacher')).toMatchObject({ status: 'active' })
  })

  test('invitations of another organization cannot be revoked or re-sent from this one', async () => {
    const otherOrg = await makeOrg(t.db)
    const otherAdmin = await makeAdult(t.db, { orgId: otherOrg.id, role: 'admin' })
    const { invitation } = await inviteStaff(t.db, { orgId: otherOrg.id, email: 'x@ailleurs.fr', role: 'teacher', by: { actorId: otherAdmin.id, ...origin }, lang: 'fr' })
    await expect(revokeInvitation(t.db, { orgId, invitationId: invitation.id, by: by() })).rejects.toMatchObject({ status: 404 })
    await expect(resendInvitation(t.db, { orgId, invitationId: invitation.id, by: by(), lang: 'fr' })).rejects.toMatchObject({ status: 404 })
  })
})

describe('access review', () => {
  test('members with roles and classes; mark reviewed records who and when', async () => {
    clock = useFakeClock('2026-10-01T09:00:00Z')
    const teacher = await makeAdult(t.db, { orgId, role: 'teacher' })
    const klass = await makeClass(t.db, orgId, 'CM1 A')
    await teach(t.db, { orgId, classId: klass.id, userId: teacher.id, role: 'lead' })
    const ability = defineAbilityFor(await loadPrincipal(t.db, { id: admin.id, kind: 'adult' }))
    const members = await listMembers(t.db, ability, { orgId })
    expect(members.find((m) => m.userId === teacher.id)).toMatchObject({ roles: ['teacher'], classes: [{ id: klass.id, name: 'CM1 A', role: 'lead' }] })
    expect(members.find((m) => m.userId === admin.id)?.roles).toEqual(['admin'])
    const review = await markReviewed(t.db, { orgId, by: by() })
    expect(review.membersCount).toBe(members.length)
    const [org] = await t.db.select().from(organizations).where(eq(organizations.id, orgId))
    expect(org).toMatchObject({ lastAccessReviewBy: admin.id })
    expect(org!.lastAccessReviewAt?.toISOString()).toBe('2026-10-01T09:00:00.000Z')
    expect(await t.db.select().from(accessReviews).where(eq(accessReviews.orgId, orgId))).toHaveLength(1)
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.review'), eq(auditEvents.orgId, orgId)))
    expect(audit).toMatchObject({ actorId: admin.id })

    // Removing the teacher role also removes the classes taught.
    await removeStaffMembership(t.db, { orgId, userId: teacher.id, role: 'teacher', by: by() })
    expect(await membershipOf(teacher.id, 'teacher')).toBeNull()
    expect(await t.db.select().from(classTeachers).where(eq(classTeachers.userId, teacher.id))).toHaveLength(0)
  })

  test('the last administrator cannot remove their own role', async () => {
    await expect(removeStaffMembership(t.db, { orgId, userId: admin.id, role: 'admin', by: by() })).rejects.toMatchObject({ code: 'staff.remove_self_last_admin' })
    expect(await membershipOf(admin.id, 'admin')).toMatchObject({ status: 'active' })
  })

  test('the DPO reads the review but cannot record one (403, audited)', async () => {
    const { token } = await createSession(t.db, dpo.id, { kind: 'adult' })
    const url = `http://localhost/org/${orgId}/members`
    const data = await membersRoute.loader({ request: new Request(url, { headers: { cookie: `carnet_session=${token}` } }), params: { orgId }, context: {} })
    expect(data).toMatchObject({ canReview: false, canRemove: false })
    const res = await membersRoute
      .action({
        request: new Request(url, { method: 'POST', headers: { cookie: `carnet_session=${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=review' }),
        params: { orgId },
        context: {},
      })
      .catch((e) => e)
    expect((res as Response).status).toBe(403)
    const denied = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, dpo.id)))
    expect(denied.length).toBeGreaterThan(0)
  })
})

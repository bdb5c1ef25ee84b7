import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { consentRecords, memberships, organizations, outboxMails, users } from '../../drizzle/schema'
import { signUp } from '~/auth/signup.server'
import { changePassword, resetPassword } from '~/auth/password-change.server'
import { issueToken } from '~/auth/email-tokens.server'
import { createSession, validateSessionToken } from '~/auth/session.server'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { HOUR, MINUTE, useFakeClock } from '~/clock.server'
import { DomainError } from '~/errors.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))
let clock: ReturnType<typeof useFakeClock> | null = null
afterEach(() => clock?.restore())

const origin = { ip: '198.51.100.20', userAgent: 'test' }
const input = (email: string, password = 'quatre-mots-bien-choisis') => ({
  orgKind: 'school' as const,
  orgName: 'École des Lilas',
  firstName: 'Inès',
  lastName: 'Garnier',
  email,
  password,
  acceptTerms: 'on' as const,
  lang: 'fr' as const,
  origin,
})

test('sign-up creates the organization, its administrator, the acceptances and the verification mail', async () => {
  const { org, user } = await signUp(t.db, input('ines@lilas.fr'))
  expect(org.kind).toBe('school')
  expect(await t.db.select().from(memberships).where(eq(memberships.userId, user.id))).toEqual([expect.objectContaining({ orgId: org.id, role: 'admin' })])
  const accepted = await t.db.select().from(consentRecords).where(eq(consentRecords.orgId, org.id))
  expect(accepted.map((r) => [r.event, r.documentKind, r.documentVersion, r.language, r.method])).toEqual([
    ['terms_accepted', 'terms', '2026-09', 'fr', 'web_checkbox'],
    ['terms_accepted', 'privacy', '2026-09', 'fr', 'web_checkbox'],
  ])
  const [mail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, 'ines@lilas.fr'))
  expect(mail!.text).toMatch(/\/verify-email\/[a-z0-9]+/)
})

test('a refused sign-up writes nothing: weak password, or an email already taken', async () => {
  const count = async () => (await t.db.select().from(organizations)).length
  const before = await count()
  await expect(signUp(t.db, input('weak@lilas.fr', 'motdepasse123'))).rejects.toMatchObject({ code: 'password.common' })
  await expect(signUp(t.db, input('ines@lilas.fr'))).rejects.toMatchObject({ code: 'signup.email_taken' })
  expect(await count()).toBe(before)
  expect(await t.db.select().from(users).where(eq(users.email, 'weak@lilas.fr'))).toHaveLength(0)
})

test('change password needs the current one and ends the other sessions, keeping this one', async () => {
  const { user } = await signUp(t.db, input('paul@lilas.fr'))
  const here = await createSession(t.db, user.id, { kind: 'adult' })
  const there = await createSession(t.db, user.id, { kind: 'adult' })
  await expect(changePassword(t.db, { userId: user.id, sessionId: here.session.id, current: 'faux-mot-de-passe', next: 'un-tout-nouveau-secret', origin })).rejects.toBeInstanceOf(DomainError)
  await changePassword(t.db, { userId: user.id, sessionId: here.session.id, current: 'quatre-mots-bien-choisis', next: 'un-tout-nouveau-secret', origin })
  expect((await validateSessionToken(t.db, here.token)).state).toBe('valid')
  expect((await validateSessionToken(t.db, there.token)).state).toBe('none')
  expect(await loginWithPassword(t.db, 'paul@lilas.fr', 'un-tout-nouveau-secret', origin)).toMatchObject({ ok: true })
})

test('a reset link works once, within one hour', async () => {
  clock = useFakeClock('2026-11-10T09:00:00Z')
  const { user } = await signUp(t.db, input('lea@lilas.fr'))
  const late = await issueToken(t.db, user.id, 'reset_password')
  clock.advance(HOUR + MINUTE)
  await expect(resetPassword(t.db, { token: late, password: 'encore-un-secret-long', origin })).rejects.toMatchObject({ code: 'auth.token_invalid_reset_password' })
  const token = await issueToken(t.db, user.id, 'reset_password')
  await resetPassword(t.db, { token, password: 'encore-un-secret-long', origin })
  await expect(resetPassword(t.db, { token, password: 'et-encore-un-autre', origin })).rejects.toMatchObject({ code: 'auth.token_invalid_reset_password' })
  expect(await loginWithPassword(t.db, 'lea@lilas.fr', 'encore-un-secret-long', origin)).toMatchObject({ ok: true })
})

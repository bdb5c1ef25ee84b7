import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { sessions, auditEvents } from '../../drizzle/schema'
import { createSession, invalidateSession, invalidateUserSessions, validateSessionToken, STAFF_IDLE_LOCK, ADULT_SESSION_TTL } from '~/auth/session.server'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { sha256Hex } from '~/crypto.server'
import { DAY, MINUTE, useFakeClock } from '~/clock.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg, TEST_PASSWORD } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))
let clock: ReturnType<typeof useFakeClock> | null = null
afterEach(() => clock?.restore())

const origin = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' }

describe('sessions', () => {
  test('the token is never stored in clear: only its SHA-256', async () => {
    const user = await makeAdult(t.db)
    const { token } = await createSession(t.db, user.id, { kind: 'adult' })
    const rows = await t.sql`select * from sessions where user_id = ${user.id}`
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(token)
    expect(rows[0]!.id).toBe(sha256Hex(token))
    expect((await validateSessionToken(t.db, token)).state).toBe('valid')
  })

  test('a revoked session is refused', async () => {
    const user = await makeAdult(t.db)
    const { token, session } = await createSession(t.db, user.id, { kind: 'adult' })
    await invalidateSession(t.db, session.id)
    expect((await validateSessionToken(t.db, token)).state).toBe('none')
  })

  test('log out everywhere ends every other session and keeps the current one', async () => {
    const user = await makeAdult(t.db)
    const a = await createSession(t.db, user.id, { kind: 'adult' })
    const b = await createSession(t.db, user.id, { kind: 'adult' })
    expect(await invalidateUserSessions(t.db, user.id, a.session.id)).toBe(1)
    expect((await validateSessionToken(t.db, a.token)).state).toBe('valid')
    expect((await validateSessionToken(t.db, b.token)).state).toBe('none')
  })

  test('an expired session is refused and removed; an active one slides', async () => {
    clock = useFakeClock('2026-11-01T08:00:00Z')
    const user = await makeAdult(t.db)
    const { token, session } = await createSession(t.db, user.id, { kind: 'adult' })
    clock.advance(20 * DAY) // past half its life: validating renews it
    const check = await validateSessionToken(t.db, token)
    expect(check.state).toBe('valid')
    const [renewed] = await t.db.select().from(sessions).where(eq(sessions.id, session.id))
    expect(renewed!.expiresAt.getTime()).toBe(new Date('2026-11-21T08:00:00Z').getTime() + ADULT_SESSION_TTL)
    clock.advance(ADULT_SESSION_TTL + MINUTE)
    expect((await validateSessionToken(t.db, token)).state).toBe('none')
    expect(await t.db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0)
  })

  test('staff sessions lock after 30 minutes idle; guardians do not', async () => {
    clock = useFakeClock('2026-11-02T08:00:00Z')
    const org = await makeOrg(t.db)
    const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
    const parent = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
    const staff = await createSession(t.db, teacher.id, { kind: 'adult' })
    const family = await createSession(t.db, parent.id, { kind: 'adult' })
    clock.advance(STAFF_IDLE_LOCK - MINUTE)
    expect((await validateSessionToken(t.db, staff.token)).state).toBe('valid') // activity resets the idle timer
    clock.advance(STAFF_IDLE_LOCK + MINUTE)
    expect((await validateSessionToken(t.db, staff.token)).state).toBe('locked')
    expect((await validateSessionToken(t.db, family.token)).state).toBe('valid')
  })
})

describe('login throttling', () => {
  test('5 failures for an account from one address within 15 minutes: the 6th attempt from there waits, even with the right password', async () => {
    clock = useFakeClock('2026-11-03T08:00:00Z')
    const user = await makeAdult(t.db)
    for (let i = 0; i < 5; i++) {
      const r = await loginWithPassword(t.db, user.email!, 'wrong password here', origin)
      expect(r).toMatchObject({ ok: false, reason: 'invalid' })
    }
    const blocked = await loginWithPassword(t.db, user.email!, TEST_PASSWORD, origin)
    expect(blocked).toMatchObject({ ok: false, reason: 'throttled' })
    const lockouts = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'auth.lockout'))
    expect(lockouts.length).toBeGreaterThanOrEqual(1)
    clock.advance(16 * MINUTE)
    expect(await loginWithPassword(t.db, user.email!, TEST_PASSWORD, origin)).toMatchObject({ ok: true })
  })

  test('20 failures for an account from anywhere within 15 minutes: the account waits at every address', async () => {
    clock = useFakeClock('2026-11-04T08:00:00Z')
    const user = await makeAdult(t.db)
    for (let i = 0; i < 20; i++) {
      expect(await loginWithPassword(t.db, user.email!, 'wrong password here', { ...origin, ip: `198.51.100.${i}` })).toMatchObject({ reason: 'invalid' })
    }
    expect(await loginWithPassword(t.db, user.email!, TEST_PASSWORD, { ...origin, ip: '198.51.100.200' })).toMatchObject({ reason: 'throttled' })
  })

  test('an unknown email gets the same answer as a wrong password', async () => {
    const r1 = await loginWithPassword(t.db, 'nobody@example.org', 'whatever-password', { ...origin, ip: '192.0.2.1' })
    const user = await makeAdult(t.db)
    const r2 = await loginWithPassword(t.db, user.email!, 'whatever-password', { ...origin, ip: '192.0.2.2' })
    expect(r1).toEqual(r2)
  })
})

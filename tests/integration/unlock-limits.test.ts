// The unlock page of a locked staff session, over real HTTP: a password login in all but name,
// so it obeys the login limits — and past them the session ends and the person is sent to the
// login page with a message saying when to retry.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents, sessions } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { LIMITS } from '~/auth/throttle.server'
import { now } from '~/clock.server'
import { t as translate } from '~/i18n'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { startTestServer } from '../helpers/app-server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg, TEST_PASSWORD } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let app: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  t = await useTestDatabase()
  app = await startTestServer()
})
afterAll(async () => {
  await app.stop()
  await dropTestDatabase(t.name)
})

async function lockedTeacher() {
  const org = await makeOrg(t.db)
  const user = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  const { token, session } = await createSession(t.db, user.id, { kind: 'adult' })
  await t.db.update(sessions).set({ lockedAt: now() }).where(eq(sessions.id, session.id))
  return { user, sessionId: session.id, cookie: `carnet_session=${token}` }
}

const unlock = (cookie: string, password: string) =>
  fetch(`${app.url}/unlock`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: app.url, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password, next: '/home' }),
  })

const sessionExists = async (id: string) => (await t.db.select().from(sessions).where(eq(sessions.id, id))).length === 1

describe('unlock limits', () => {
  test('the right password unlocks and goes on', async () => {
    const { cookie, sessionId } = await lockedTeacher()
    expect((await unlock(cookie, 'not my password at all')).status).toBe(200)
    const res = await unlock(cookie, TEST_PASSWORD)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/home')
    const [s] = await t.db.select().from(sessions).where(eq(sessions.id, sessionId))
    expect(s?.lockedAt).toBeNull()
  })

  test('5 wrong passwords: the session ends, the person goes to /login with when to retry, and it is audited', async () => {
    const { user, cookie, sessionId } = await lockedTeacher()
    for (let i = 1; i < LIMITS.password.accountAddress; i++) {
      const res = await unlock(cookie, `wrong password ${i}`)
      expect(res.status).toBe(200)
      expect(await sessionExists(sessionId)).toBe(true)
    }
    const last = await unlock(cookie, 'wrong password 5')
    expect(last.status).toBe(302)
    expect(last.headers.get('location')).toMatch(/^\/login\?ended=unlock&retry=(1[0-5]|[1-9])$/)
    expect(last.headers.get('set-cookie')).toMatch(/carnet_session=;.*Max-Age=0/)
    expect(await sessionExists(sessionId)).toBe(false)
    // The cookie no longer opens anything, even with the right password.
    await unlock(cookie, TEST_PASSWORD)
    const page = await fetch(`${app.url}/home`, { redirect: 'manual', headers: { cookie } })
    expect(page.headers.get('location')).toMatch(/^\/login\?next=/)
    const actions = await t.db.select({ action: auditEvents.action, details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.actorId, user.id))
    expect(actions.filter((a) => a.action === 'auth.unlock')).toHaveLength(5)
    expect(actions.find((a) => a.action === 'auth.lockout')?.details).toMatchObject({ by: 'account_address', via: 'unlock' })
    expect(actions.some((a) => a.action === 'auth.unlock_ended')).toBe(true)
    // Same counters as the login: from this address the account now waits there too.
    expect(await loginWithPassword(t.db, user.email!, TEST_PASSWORD, { ip: '127.0.0.1', userAgent: 'test' })).toMatchObject({ reason: 'throttled' })
  })

  test('30 wrong unlock attempts at once: 5 are checked, the session ends', async () => {
    const { user, cookie, sessionId } = await lockedTeacher()
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => unlock(cookie, `parallel guess ${i}`)))
    expect(answers.every((r) => r.status < 500)).toBe(true)
    expect(await sessionExists(sessionId)).toBe(false)
    const checked = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, 'auth.unlock')))
    expect(checked).toHaveLength(LIMITS.password.accountAddress)
  })

  test('the login page message says what happened and when to retry, in both languages', () => {
    expect(translate('fr', 'login.unlock_ended', { minutes: 12 })).toMatch(/session a été fermée.*dans 12 minute/)
    expect(translate('en', 'login.unlock_ended', { minutes: 12 })).toMatch(/session was closed.*in 12 minute/)
  })
})

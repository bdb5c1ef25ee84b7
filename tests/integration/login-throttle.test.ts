// Login throttling under attack (ADR 013), against a real PostgreSQL: attempts are reserved
// before the password is checked, so parallel guesses cannot race the limit; the counters fit a
// school (children's codes apart from adults' passwords, a much higher per-address ceiling, the
// school's own declared network).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, eq, inArray } from 'drizzle-orm'
import { auditEvents, sessions } from '../../drizzle/schema'
import { LIMITS, currentCount, passwordCounters } from '~/auth/throttle.server'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { loginWithCardToken, loginWithClassCode } from '~/models/children/child-login.server'
import { issueChildCard } from '~/models/children/login-card.server'
import { addNetwork, listNetworks, parseNetwork, removeNetwork } from '~/models/organizations/networks.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, TEST_PASSWORD } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

let n = 0
/** A fresh address per test, so one test's counters never spill into another's. */
const freshIp = () => `198.18.${Math.floor(++n / 250)}.${n % 250}`
const ua = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0'

async function sessionsOf(userId: string) {
  return t.db.select().from(sessions).where(eq(sessions.userId, userId))
}

/** Runs `fn` over `items` with at most `width` at a time (Argon2 on a small machine). */
async function pool<T, R>(items: T[], width: number, fn: (x: T, i: number) => Promise<R>) {
  const out: R[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i]!, i)
      }
    }),
  )
  return out
}

/**
 * Fires `wrong` guesses at once, then the right password while they are still being checked
 * (their Argon2 verifications take far longer than the reservations): as soon as every guess is
 * counted, not when they are answered.
 */
async function raceRightPasswordAfter(email: string, wrong: number, ipOf: (i: number) => string, counter: Parameters<typeof currentCount>[1]) {
  let answered = 0
  const guesses = Array.from({ length: wrong }, (_, i) => loginWithPassword(t.db, email, `wrong-guess-number-${i}`, { ip: ipOf(i), userAgent: ua }).finally(() => answered++))
  while ((await currentCount(t.db, counter)) < wrong) await new Promise((r) => setTimeout(r, 2))
  const inFlight = wrong - answered
  const right = loginWithPassword(t.db, email, TEST_PASSWORD, { ip: ipOf(wrong), userAgent: ua })
  return { results: await Promise.all(guesses), right: await right, inFlight }
}

describe('the limit cannot be raced', () => {
  test('30 parallel wrong guesses + the right one from one address: not signed in, and the count afterwards is 31', async () => {
    const user = await makeAdult(t.db)
    const ip = freshIp()
    const [accountAddress, account] = passwordCounters(user.email!, ip, null)
    const { results, right, inFlight } = await raceRightPasswordAfter(user.email!, 30, () => ip, accountAddress!)
    expect(inFlight, 'the right password was sent while the guesses were still being checked').toBeGreaterThan(0)
    expect(right).toMatchObject({ ok: false, reason: 'throttled' })
    expect(await sessionsOf(user.id)).toEqual([])
    // Only 5 guesses were checked at all; the 25 others waited without a password check.
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(LIMITS.password.accountAddress)
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(25)
    expect(await currentCount(t.db, accountAddress!)).toBe(31)
    expect(await currentCount(t.db, account!)).toBe(31)
    // One lockout, audited once, by the attempt that reached the ceiling.
    const lockouts = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.lockout'), eq(auditEvents.actorId, user.id)))
    expect(lockouts.map((l) => (l.details as { by: string }).by)).toEqual(['account_address'])
  })

  test('31 parallel guesses from 31 addresses: the account ceiling (20) holds, the right one is not signed in, count 31', async () => {
    const user = await makeAdult(t.db)
    const ips = Array.from({ length: 31 }, () => freshIp())
    const account = passwordCounters(user.email!, ips[0]!, null)[1]!
    const { results, right, inFlight } = await raceRightPasswordAfter(user.email!, 30, (i) => ips[i]!, account)
    expect(inFlight).toBeGreaterThan(0)
    expect(right).toMatchObject({ ok: false, reason: 'throttled' })
    expect(await sessionsOf(user.id)).toEqual([])
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(LIMITS.password.account)
    expect(await currentCount(t.db, account)).toBe(31)
  })

  test('all at once, in one burst: never more than 5 guesses checked for an account at one address', async () => {
    const user = await makeAdult(t.db)
    const ip = freshIp()
    const results = await Promise.all(Array.from({ length: 31 }, (_, i) => loginWithPassword(t.db, user.email!, `burst-guess-${i}`, { ip, userAgent: ua })))
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(LIMITS.password.accountAddress)
    expect(await currentCount(t.db, passwordCounters(user.email!, ip, null)[0]!)).toBe(31)
  })

  test('a success gives its reservation back: signing in does not count as a failure', async () => {
    const user = await makeAdult(t.db)
    const ip = freshIp()
    await loginWithPassword(t.db, user.email!, 'wrong password here', { ip, userAgent: ua })
    expect(await loginWithPassword(t.db, user.email!, TEST_PASSWORD, { ip, userAgent: ua })).toMatchObject({ ok: true })
    expect(await currentCount(t.db, passwordCounters(user.email!, ip, null)[0]!)).toBe(1)
  })
})

describe('children: the class code and the card are raced no better', () => {
  test('31 codes for one child at once: 5 are checked, the right one after them waits; count 31', async () => {
    const org = await makeOrg(t.db)
    const cls = await makeClass(t.db, org.id)
    const kid = await makeChild(t.db, { orgId: org.id, classId: cls.id })
    const { code } = await issueChildCard(t.db, { orgId: org.id, childId: kid.id })
    const origin = { ip: freshIp(), userAgent: ua }
    const results = await Promise.all(Array.from({ length: 31 }, (_, i) => loginWithClassCode(t.db, { classCode: cls.loginCode, childId: kid.id, code: `ZZZZ${i}`, origin })))
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(LIMITS.childCode.child)
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(26)
    expect(await loginWithClassCode(t.db, { classCode: cls.loginCode, childId: kid.id, code, origin })).toMatchObject({ ok: false, reason: 'throttled' })
    expect(await currentCount(t.db, { scope: 'childCode', by: 'child', subject: `${cls.loginCode}\0${kid.id}`, limit: 5 })).toBe(32)
    expect(await sessionsOf(kid.id)).toEqual([])
  })

  test('40 unknown cards scanned at once from one address: 30 are looked up, 10 wait', async () => {
    const ip = freshIp()
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => loginWithCardToken(t.db, `not-a-card-${i}`, { ip, userAgent: ua })))
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(LIMITS.card.address)
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(10)
  })
})

describe('a policy that fits a school', () => {
  test("a class of children mistyping codes from the school's address does not lock the staff's password logins from it", async () => {
    const org = await makeOrg(t.db)
    const cls = await makeClass(t.db, org.id)
    const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
    const kids = await Promise.all(Array.from({ length: 30 }, () => makeChild(t.db, { orgId: org.id, classId: cls.id })))
    for (const k of kids) await issueChildCard(t.db, { orgId: org.id, childId: k.id })
    const ip = freshIp()
    // 4 wrong codes each (under each child's own 5): 120 failures from one address.
    for (let round = 0; round < 4; round++) {
      for (const k of kids) await loginWithClassCode(t.db, { classCode: cls.loginCode, childId: k.id, code: 'ZZZZZZ', origin: { ip, userAgent: ua } })
    }
    // The children's address ceiling is reached …
    const card = await issueChildCard(t.db, { orgId: org.id, childId: kids[0]!.id })
    const child = await loginWithClassCode(t.db, { classCode: cls.loginCode, childId: kids[0]!.id, code: card.code, origin: { ip, userAgent: ua } })
    expect(child).toMatchObject({ ok: false, reason: 'throttled' })
    // … and the teacher, from the same address, still mistypes and signs in as usual.
    expect(await loginWithPassword(t.db, teacher.email!, 'a typo in the password', { ip, userAgent: ua })).toMatchObject({ ok: false, reason: 'invalid' })
    expect(await loginWithPassword(t.db, teacher.email!, TEST_PASSWORD, { ip, userAgent: ua })).toMatchObject({ ok: true })
  })

  test('the per-address ceiling still applies: 100 failures across accounts from one address, then even a right password waits', async () => {
    const user = await makeAdult(t.db)
    const ip = freshIp()
    const results = await pool(
      Array.from({ length: LIMITS.password.address }, (_, i) => i),
      4,
      (i) => loginWithPassword(t.db, `spray-${i}-${ip}@example.org`, 'Spring2026!', { ip, userAgent: ua }),
    )
    expect(results.every((r) => !r.ok && r.reason === 'invalid')).toBe(true)
    expect(await loginWithPassword(t.db, user.email!, TEST_PASSWORD, { ip, userAgent: ua })).toMatchObject({ ok: false, reason: 'throttled' })
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.login_throttled'), eq(auditEvents.actorId, user.id)))
    expect(audit?.details).toEqual({ by: 'address' })
    // Another address is not concerned.
    expect(await loginWithPassword(t.db, user.email!, TEST_PASSWORD, { ip: freshIp(), userAgent: ua })).toMatchObject({ ok: true })
  })
})

describe("a school's declared network", () => {
  test('its own ceiling replaces the per-address one for its accounts — here lower (20) — and only for its accounts', async () => {
    const school = await makeOrg(t.db)
    const admin = await makeAdult(t.db, { orgId: school.id, role: 'admin' })
    const staff = await Promise.all(Array.from({ length: 5 }, () => makeAdult(t.db, { orgId: school.id, role: 'teacher' })))
    const elsewhere = await makeAdult(t.db, { orgId: (await makeOrg(t.db)).id, role: 'teacher' })
    await addNetwork(t.db, { orgId: school.id, cidr: '203.0.113.0/24', label: 'Wi-Fi', ceiling: 20, actorId: admin.id, origin: { ip: '203.0.113.9', userAgent: ua } })
    const ip = '203.0.113.9'
    for (let round = 0; round < 4; round++) {
      await pool(staff, 5, (u) => loginWithPassword(t.db, u.email!, 'not the password', { ip, userAgent: ua }))
    }
    const blocked = await loginWithPassword(t.db, admin.email!, TEST_PASSWORD, { ip, userAgent: ua })
    expect(blocked).toMatchObject({ ok: false, reason: 'throttled' })
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.login_throttled'), eq(auditEvents.actorId, admin.id)))
    expect(audit?.details).toEqual({ by: 'network' })
    // Someone of another organization behind the same address is counted as before.
    expect(await loginWithPassword(t.db, elsewhere.email!, TEST_PASSWORD, { ip, userAgent: ua })).toMatchObject({ ok: true })
  })

  test("a higher ceiling (300) lets a whole class mistype from the school's network; an undeclared address waits after 100", async () => {
    const school = await makeOrg(t.db)
    const admin = await makeAdult(t.db, { orgId: school.id, role: 'admin' })
    await addNetwork(t.db, { orgId: school.id, cidr: '2001:db8:42::/48', label: 'École', ceiling: 300, actorId: admin.id, origin: { ip: null, userAgent: ua } })
    // The same morning in two classes of 30: 4 wrong codes each (under each child's own 5).
    const morning = async (ip: string) => {
      const cls = await makeClass(t.db, school.id)
      const kids = await Promise.all(Array.from({ length: 30 }, () => makeChild(t.db, { orgId: school.id, classId: cls.id })))
      const codes = new Map<string, string>()
      for (const k of kids) codes.set(k.id, (await issueChildCard(t.db, { orgId: school.id, childId: k.id })).code)
      for (let round = 0; round < 4; round++) {
        for (const k of kids) await loginWithClassCode(t.db, { classCode: cls.loginCode, childId: k.id, code: 'ZZZZZZ', origin: { ip, userAgent: ua } })
      }
      const last = kids[29]!
      return loginWithClassCode(t.db, { classCode: cls.loginCode, childId: last.id, code: codes.get(last.id)!, origin: { ip, userAgent: ua } })
    }
    expect(await morning('2001:db8:42::17')).toMatchObject({ ok: true })
    expect(await morning(freshIp())).toMatchObject({ ok: false, reason: 'throttled' })
  })

  test('declaring: too wide, out-of-range ceilings, junk and duplicates are refused with a reason; add and remove are audited', async () => {
    const school = await makeOrg(t.db)
    const admin = await makeAdult(t.db, { orgId: school.id, role: 'admin' })
    const origin = { ip: '192.0.2.10', userAgent: ua }
    const add = (cidr: string, ceiling = 300) => addNetwork(t.db, { orgId: school.id, cidr, label: 'Réseau', ceiling, actorId: admin.id, origin })
    await expect(add('0.0.0.0/0')).rejects.toMatchObject({ code: 'networks.too_wide' })
    await expect(add('10.0.0.0/8')).rejects.toMatchObject({ code: 'networks.too_wide' })
    await expect(add('2001:db8::/32')).rejects.toMatchObject({ code: 'networks.too_wide' })
    await expect(add('203.0.113.0/24', 5000)).rejects.toMatchObject({ code: 'networks.ceiling_range' })
    await expect(add('203.0.113.0/24', 1)).rejects.toMatchObject({ code: 'networks.ceiling_range' })
    for (const junk of ['école', '203.0.113.0/33', '203.0.113/24', '203.0.113.0/24/1', "1.2.3.4'; drop table users; --"]) {
      await expect(add(junk)).rejects.toMatchObject({ code: 'networks.invalid_cidr' })
    }
    expect(parseNetwork('198.51.100.7')).toEqual({ address: '198.51.100.7', prefix: 32 })
    const row = await add('198.51.100.77/24')
    expect(row.cidr).toBe('198.51.100.0/24') // written canonically
    await expect(add('198.51.100.0/24')).rejects.toMatchObject({ code: 'networks.duplicate' })
    await removeNetwork(t.db, { orgId: school.id, networkId: row.id, actorId: admin.id, origin })
    expect(await listNetworks(t.db, school.id)).toEqual([])
    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, school.id), inArray(auditEvents.action, ['org.network_add', 'org.network_remove'])))
    expect(audits.map((a) => [a.action, a.actorId, (a.details as { cidr: string }).cidr]).sort()).toEqual([
      ['org.network_add', admin.id, '198.51.100.0/24'],
      ['org.network_remove', admin.id, '198.51.100.0/24'],
    ])
  })
})

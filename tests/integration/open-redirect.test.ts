// `next=` after login, unlock and a language change, over real HTTP: whatever the payload, the
// answer is never a 500 and never a redirect off Carnet's origin.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { sessions } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { now } from '~/clock.server'
import { startTestServer } from '../helpers/app-server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg, TEST_PASSWORD } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let app: Awaited<ReturnType<typeof startTestServer>>
let email: string
let userId: string
beforeAll(async () => {
  t = await useTestDatabase()
  app = await startTestServer()
  const org = await makeOrg(t.db)
  const user = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  email = user.email!
  userId = user.id
})
afterAll(async () => {
  await app.stop()
  await dropTestDatabase(t.name)
})

const PAYLOADS = [
  '/\t/evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '//evil.example',
  '/.//evil.example',
  'https://evil.example',
  '/%2F%2Fevil.example',
  'javascript:alert(1)',
  '\u000b',
  '/\u000b/evil.example',
  '/home\r\nSet-Cookie: x=1',
]
// The same payloads as an attacker types them in a link (percent-encoded by hand).
const RAW_QUERIES = ['next=/%09/evil.example', 'next=%2F%5Cevil.example', 'next=%5C%5Cevil', 'next=/%252F%252Fevil', 'next=%0B', 'next=javascript:alert(1)']

function expectOnSite(res: Response) {
  expect(res.status, `status for ${res.url}`).toBeLessThan(500)
  const location = res.headers.get('location')
  if (location === null) return
  const target = new URL(location, app.url)
  expect(target.origin, `Location: ${location}`).toBe(app.url)
  expect(location.startsWith('/') && !location.startsWith('//')).toBe(true)
}

const post = (path: string, form: Record<string, string>, cookie?: string) =>
  fetch(app.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: app.url, 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
    body: new URLSearchParams(form),
  })
const get = (path: string, cookie?: string) => fetch(app.url + path, { redirect: 'manual', headers: cookie ? { cookie } : {} })

async function signedIn() {
  const { token } = await createSession(t.db, userId, { kind: 'adult' })
  return `carnet_session=${token}`
}

async function locked() {
  const { token, session } = await createSession(t.db, userId, { kind: 'adult' })
  await t.db.update(sessions).set({ lockedAt: now() }).where(eq(sessions.id, session.id))
  return `carnet_session=${token}`
}

describe('login', () => {
  test.each(PAYLOADS)('signing in with next=%j stays on Carnet', async (next) => {
    const res = await post('/login', { identifier: email, password: TEST_PASSWORD, next })
    expect(res.status).toBe(302)
    expect(res.headers.get('set-cookie')).toMatch(/carnet_session=/)
    expect(res.headers.get('location')).toBe('/home')
  })

  test.each([...PAYLOADS.map((p) => `next=${encodeURIComponent(p)}`), ...RAW_QUERIES])('already signed in, GET /login?%s stays on Carnet', async (query) => {
    const res = await get(`/login?${query}`, await signedIn())
    expectOnSite(res)
    expect(res.headers.get('location')).toBe('/home')
  })

  test('a same-origin next is still followed', async () => {
    const res = await post('/login', { identifier: email, password: TEST_PASSWORD, next: '/account?tab=devices' })
    expect(res.headers.get('location')).toBe('/account?tab=devices')
  })
})

describe('language', () => {
  test.each(PAYLOADS)('choosing a language with next=%j stays on Carnet', async (next) => {
    const res = await post('/language', { lang: 'en', next })
    expectOnSite(res)
    expect(res.headers.get('location')).toBe('/')
  })
})

describe('unlock', () => {
  test.each(PAYLOADS)('unlocking with next=%j stays on Carnet', async (next) => {
    const res = await post('/unlock', { password: TEST_PASSWORD, next }, await locked())
    expectOnSite(res)
    expect(res.headers.get('location')).toBe('/home')
  })

  test.each(RAW_QUERIES)('GET /unlock?%s without a locked session stays on Carnet', async (query) => {
    const res = await get(`/unlock?${query}`, await signedIn())
    expectOnSite(res)
    expect(res.headers.get('location')).toBe('/home')
  })
})

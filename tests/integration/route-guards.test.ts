// Over real HTTP, for every route module: an id in the path that is not a UUID is a 404 — never
// a 500 — for members and non-members alike, and the denial is audited for a signed-in person;
// a GET on an action-only route is a 405 with nothing written to the error log.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { and, eq, gt } from 'drizzle-orm'
import { auditEvents } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import type { RouteAccess } from '~/permissions/access'
import { startTestServer, testBuild } from '../helpers/app-server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let app: Awaited<ReturnType<typeof startTestServer>>
const ids: Record<string, string> = {}
const people: Record<'member' | 'outsider', { id: string; cookie: string }> = {} as never
beforeAll(async () => {
  t = await useTestDatabase()
  app = await startTestServer()
  const org = await makeOrg(t.db)
  const other = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  const outsider = await makeAdult(t.db, { orgId: other.id, role: 'admin' })
  Object.assign(ids, { orgA: org.id, classA1: cls.id, childA1: child.id, memberTeacher: teacher.id })
  for (const [name, user] of [
    ['member', admin],
    ['outsider', outsider],
  ] as const) {
    people[name] = { id: user.id, cookie: `carnet_session=${(await createSession(t.db, user.id, { kind: 'adult' })).token}` }
  }
})
afterAll(async () => {
  await app.stop()
  await dropTestDatabase(t.name)
})

type Mod = { loader?: unknown; action?: unknown; default?: unknown; handle?: { access?: RouteAccess } }
const build = testBuild()
/** Every route with its full path pattern (flat routes nest: a child's path is relative). */
const routes = Object.values(build.routes)
  .filter((r) => r.id !== 'root')
  .map((r) => {
    const parts: string[] = []
    for (let cur: typeof r | undefined = r; cur && cur.id !== 'root'; cur = cur.parentId ? build.routes[cur.parentId] : undefined) if (cur.path) parts.unshift(cur.path)
    return { id: r.id, pattern: '/' + parts.join('/'), mod: r.module as unknown as Mod }
  })

const withIds = routes.filter((r) => Object.values(r.mod.handle?.access?.params ?? {}).some((k) => k !== 'token'))
const actionOnly = routes.filter((r) => r.mod.action && !r.mod.loader && !r.mod.default)

/** The route's URL with every id valid except `bad` (a malformed value). */
function urlFor(pattern: string, access: RouteAccess, bad: string, value: string) {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    if (name === bad) return encodeURIComponent(value)
    const kind = access.params?.[name]
    return kind === 'token' ? 'x0000000000000000000000000000000' : ids[kind!]!
  })
}

const MALFORMED = ['not-a-uuid', "1' or '1'='1", '\u000b', '00000000-0000-0000-0000-00000000000g']

describe('malformed ids in the path', () => {
  test('the fixture covers routes with ids', () => {
    expect(withIds.length).toBeGreaterThan(30)
    expect(withIds.map((r) => r.pattern)).toContain('/org/:orgId')
  })

  test.each(withIds.map((r) => [r.pattern, r] as const))('%s: 404 for a member and a non-member, audited', async (_p, route) => {
    const access = route.mod.handle!.access!
    const idParams = Object.entries(access.params!)
      .filter(([, k]) => k !== 'token')
      .map(([n]) => n)
    for (const who of ['member', 'outsider'] as const) {
      for (const param of idParams) {
        for (const value of MALFORMED) {
          const url = urlFor(route.pattern, access, param, value)
          const before = new Date(Date.now() - 1000)
          const answers: Response[] = []
          if (route.mod.loader) answers.push(await fetch(app.url + url, { redirect: 'manual', headers: { cookie: people[who].cookie } }))
          if (route.mod.action) {
            answers.push(
              await fetch(app.url + url, {
                method: 'POST',
                redirect: 'manual',
                headers: { cookie: people[who].cookie, origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
                body: 'intent=x',
              }),
            )
          }
          for (const res of answers) expect(`${who} ${value} → ${res.status}`).toBe(`${who} ${value} → 404`)
          const audited = await t.db
            .select()
            .from(auditEvents)
            .where(and(eq(auditEvents.actorId, people[who].id), eq(auditEvents.action, 'access.denied'), gt(auditEvents.at, before)))
          expect(
            audited.some((a) => (a.details as { reason?: string }).reason === 'invalid_id'),
            `${who} on ${url}: denial audited`,
          ).toBe(true)
        }
      }
    }
  })
})

describe('GET on action-only routes', () => {
  test.each(actionOnly.map((r) => [r.pattern, r] as const))('%s answers 405, with no stack trace in the log', async (_p, route) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const url = urlFor(route.pattern, route.mod.handle!.access!, '', '')
      for (const method of ['GET', 'HEAD']) {
        const res = await fetch(app.url + url, { method, redirect: 'manual', headers: { cookie: people.member.cookie } })
        expect(res.status).toBe(405)
        expect(res.headers.get('allow')).toBe('POST')
        if (method === 'GET') expect(await res.text()).toBe('Cette adresse reçoit seulement des formulaires.')
      }
      expect(errors).not.toHaveBeenCalled()
    } finally {
      errors.mockRestore()
    }
  })
})

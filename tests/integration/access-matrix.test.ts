// The route × persona matrix: every route module is discovered automatically, must declare
// who may open it (handle.access), and is checked for each persona against the real loaders
// and actions with real sessions on a real database. A new route without a declaration fails.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { allowedPersonas, PERSONAS, type ParamKind, type Persona, type RouteAccess } from '~/permissions/access'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach } from '../helpers/factories'

type RouteModule = {
  handle?: { access?: RouteAccess }
  loader?: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>
  action?: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>
}

// A route is a file of app/routes, or a folder with its route.tsx (Remix flat-routes folders).
const modules = import.meta.glob<RouteModule>(['../../app/routes/*.tsx', '../../app/routes/*/route.tsx'], { eager: true })

let t: Awaited<ReturnType<typeof useTestDatabase>>
const cookies = {} as Record<Persona, string | null>
const ids = {} as Record<Exclude<ParamKind, 'token'>, string>
const actorOf = {} as Record<Persona, string | null>

beforeAll(async () => {
  t = await useTestDatabase()
  const db = t.db
  const orgA = await makeOrg(db, 'school', 'École A')
  const orgB = await makeOrg(db, 'school', 'École B')
  const a1 = await makeClass(db, orgA.id, 'A1')
  const a2 = await makeClass(db, orgA.id, 'A2')
  const people = {
    admin: await makeAdult(db, { orgId: orgA.id, role: 'admin' }),
    teacher: await makeAdult(db, { orgId: orgA.id, role: 'teacher' }),
    coteacher: await makeAdult(db, { orgId: orgA.id, role: 'teacher' }),
    otherTeacher: await makeAdult(db, { orgId: orgA.id, role: 'teacher' }),
    dpo: await makeAdult(db, { orgId: orgA.id, role: 'dpo' }),
    guardian: await makeAdult(db, { orgId: orgA.id, role: 'guardian' }),
    outsider: await makeAdult(db, { orgId: orgB.id, role: 'admin' }),
    child: await makeChild(db, { orgId: orgA.id, classId: a1.id }),
  }
  await teach(db, { orgId: orgA.id, classId: a1.id, userId: people.teacher.id, role: 'lead' })
  await teach(db, { orgId: orgA.id, classId: a1.id, userId: people.coteacher.id, role: 'co' })
  await teach(db, { orgId: orgA.id, classId: a2.id, userId: people.otherTeacher.id, role: 'lead' })
  Object.assign(ids, { orgA: orgA.id, classA1: a1.id, childA1: people.child.id, memberTeacher: people.teacher.id })
  cookies.anonymous = null
  actorOf.anonymous = null
  for (const [persona, user] of Object.entries(people) as [Exclude<Persona, 'anonymous'>, { id: string; kind: 'adult' | 'child' }][]) {
    const { token } = await createSession(db, user.id, { kind: user.kind })
    cookies[persona] = `carnet_session=${token}`
    actorOf[persona] = user.id
  }
})
afterAll(() => dropTestDatabase(t.name))

function routePath(file: string) {
  // Remix flat routes: dots are slashes, $x is a param, _index is the index, trailing _ drops.
  const name = file.replace(/^.*\/routes\//, '').replace(/\/route\.tsx$|\.tsx$/, '')
  const segments = name.split('.').filter((s) => s !== '_index')
  return (
    '/' +
    segments
      .map((s) => (s.startsWith('_') ? '' : s.replace(/_$/, '')))
      .filter(Boolean)
      .join('/')
  )
}

function fill(path: string, access: RouteAccess) {
  const params: Record<string, string> = {}
  const url = path.replace(/\$(\w+)/g, (_, name: string) => {
    const kind = access.params?.[name]
    if (!kind) throw new Error(`${path}: param ${name} has no kind in handle.access.params`)
    params[name] = kind === 'token' ? 'x0000000000000000000000000000000' : ids[kind]
    return params[name]
  })
  return { url, params }
}

type Outcome = 'allowed' | 'denied'

async function call(fn: NonNullable<RouteModule['loader']>, request: Request, params: Record<string, string>): Promise<{ outcome: Outcome; status: number }> {
  let res: unknown
  try {
    res = await fn({ request, params, context: {} })
  } catch (thrown) {
    res = thrown
  }
  if (res instanceof Response) {
    const location = res.headers.get('location') ?? ''
    if (res.status === 403) return { outcome: 'denied', status: 403 }
    if (res.status >= 300 && res.status < 400 && /^\/(login|unlock|child-login)/.test(location)) return { outcome: 'denied', status: res.status }
    if (res.status >= 500) throw new Error(`server error ${res.status}`)
    return { outcome: 'allowed', status: res.status }
  }
  if (res instanceof Error) throw res
  return { outcome: 'allowed', status: 200 }
}

const entries = Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))

test('every route module declares its access', () => {
  const undeclared = entries.filter(([, m]) => !m.handle?.access).map(([f]) => f)
  expect(undeclared, 'add `export const handle = { access: {...} }` to these routes').toEqual([])
})

describe.each(entries.filter(([, m]) => m.handle?.access))('%s', (file, mod) => {
  const access = mod.handle!.access!
  const allowed = new Set(allowedPersonas(access))
  test.each([...PERSONAS])('%s', async (persona) => {
    const { url, params } = fill(routePath(file), access)
    const headers: Record<string, string> = { 'user-agent': 'matrix', 'x-carnet-remote-addr': '127.0.0.1' }
    if (cookies[persona]) headers.cookie = cookies[persona]!
    const expected: Outcome = allowed.has(persona) ? 'allowed' : 'denied'
    const checks: { kind: string; outcome: Outcome; status: number }[] = []
    if (mod.loader) checks.push({ kind: 'loader', ...(await call(mod.loader, new Request(`http://localhost${url}`, { headers }), params)) })
    // Actions of restricted routes are probed with an empty form: they must refuse before acting.
    if (mod.action && access.allow !== 'everyone') {
      const request = new Request(`http://localhost${url}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
      const r = await call(mod.action, request, params).catch((e) => ({ outcome: 'allowed' as const, status: 400, error: e }))
      checks.push({ kind: 'action', ...r })
    }
    for (const c of checks) expect(`${c.kind}: ${c.outcome}`, `${persona} on ${url} (${c.kind} answered ${c.status})`).toBe(`${c.kind}: ${expected}`)
    // Every 403 leaves an audit entry naming the person who tried.
    if (checks.some((c) => c.status === 403) && actorOf[persona]) {
      const rows = await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, actorOf[persona]!)))
      expect(rows.length, `denial of ${persona} on ${url} is audited`).toBeGreaterThan(0)
    }
  })
})

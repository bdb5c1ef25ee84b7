// Guardians never reach children they are not linked to. Real sessions, real loaders and
// actions, real policy: a guardian linked to Zoé (school A, class A1), one whose link to Zoé
// is suspended, one whose link ended, the parent of another family, and the guardian of a
// child of another school — against the guardian's pages, the staff pages and the models.
import { subject } from '@casl/ability'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { auditEvents, guardianLinks } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { listChildren } from '~/models/classes/children.server'
import { addFamilyChild } from '~/models/families/family.server'
import { createLink, endLink, suspendLink } from '~/models/families/links.server'
import { defineAbilityFor } from '~/permissions/abilities'
import { loadPrincipal } from '~/permissions/principal.server'
import * as guardianChild from '~/routes/children.$childId'
import * as myChildren from '~/routes/children._index'
import * as staffChild from '~/routes/org.$orgId.children.$childId/route'
import * as classPage from '~/routes/org.$orgId.classes.$classId/route'
import * as classGuardians from '~/routes/org.$orgId.classes.$classId_.guardians/route'
import * as authorisations from '~/routes/org.$orgId.classes.$classId_.authorisations/route'
import * as familyPage from '~/routes/org.$orgId.family/route'
import * as orgHome from '~/routes/org.$orgId._index'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>

let t: Awaited<ReturnType<typeof useTestDatabase>>
const ids = {} as Record<'orgA' | 'orgB' | 'family' | 'classA1' | 'zoe' | 'hugo' | 'bChild' | 'leo', string>
const people = {} as Record<'linked' | 'suspended' | 'ended' | 'otherFamily' | 'otherSchool' | 'admin', { id: string; cookie: string }>
let linkedLinkId = ''

async function call(fn: unknown, url: string, params: Record<string, string>, cookie: string | null, form?: Record<string, string>) {
  const headers: Record<string, string> = { 'user-agent': 'vitest', 'x-carnet-remote-addr': '127.0.0.9' }
  if (cookie) headers.cookie = cookie
  const request = form
    ? new Request(`http://localhost${url}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) })
    : new Request(`http://localhost${url}`, { headers })
  try {
    const res = await (fn as Fn)({ request, params, context: {} })
    return res instanceof Response ? { status: res.status, location: res.headers.get('location'), data: null } : { status: 200, location: null, data: res as any }
  } catch (e) {
    if (e instanceof Response) return { status: e.status, location: e.headers.get('location'), data: null }
    throw e
  }
}

beforeAll(async () => {
  t = await useTestDatabase()
  const db = t.db
  const orgA = await makeOrg(db, 'school', 'École A')
  const orgB = await makeOrg(db, 'school', 'École B')
  const fam = await makeOrg(db, 'family', 'Famille Autre')
  const a1 = await makeClass(db, orgA.id, 'A1')
  const b1 = await makeClass(db, orgB.id, 'B1')
  const zoe = await makeChild(db, { orgId: orgA.id, classId: a1.id, firstName: 'Zoé' })
  const hugo = await makeChild(db, { orgId: orgA.id, classId: a1.id, firstName: 'Hugo' })
  const bChild = await makeChild(db, { orgId: orgB.id, classId: b1.id, firstName: 'Bastien' })
  const admin = await makeAdult(db, { orgId: orgA.id, role: 'admin' })
  const linked = await makeAdult(db)
  const suspended = await makeAdult(db)
  const ended = await makeAdult(db)
  const otherFamily = await makeAdult(db, { orgId: fam.id, role: 'admin' })
  const otherSchool = await makeAdult(db)
  const by = (actorId: string) => ({ actorId, ip: '127.0.0.1', userAgent: 'vitest' })
  const leo = await addFamilyChild(db, { orgId: fam.id, firstName: 'Léo', lastName: 'Autre', birthDate: '2017-05-10', by: by(otherFamily.id) })
  linkedLinkId = (await createLink(db, { orgId: orgA.id, childId: zoe.id, guardianId: linked.id, legalStatus: 'parent', by: by(admin.id), via: 'code' })).id
  const s = await createLink(db, { orgId: orgA.id, childId: zoe.id, guardianId: suspended.id, legalStatus: 'parent', by: by(admin.id), via: 'code' })
  await suspendLink(db, { orgId: orgA.id, linkId: s.id, reason: 'Décision de justice', by: by(admin.id) })
  const e = await createLink(db, { orgId: orgA.id, childId: zoe.id, guardianId: ended.id, legalStatus: 'other_contact', by: by(admin.id), via: 'code' })
  await endLink(db, { orgId: orgA.id, linkId: e.id, by: by(admin.id) })
  await createLink(db, { orgId: orgB.id, childId: bChild.id, guardianId: otherSchool.id, legalStatus: 'parent', by: by(admin.id), via: 'code' })
  Object.assign(ids, { orgA: orgA.id, orgB: orgB.id, family: fam.id, classA1: a1.id, zoe: zoe.id, hugo: hugo.id, bChild: bChild.id, leo: leo.id })
  for (const [k, u] of Object.entries({ linked, suspended, ended, otherFamily, otherSchool, admin })) {
    const { token } = await createSession(db, u.id, { kind: 'adult' })
    people[k as keyof typeof people] = { id: u.id, cookie: `carnet_session=${token}` }
  }
})
afterAll(() => dropTestDatabase(t.name))

const GUARDIANS = ['linked', 'suspended', 'ended', 'otherFamily', 'otherSchool'] as const

describe('the guardian’s view of a child (/children/:childId)', () => {
  test.each(GUARDIANS)('%s', async (who) => {
    const r = await call(guardianChild.loader, `/children/${ids.zoe}`, { childId: ids.zoe }, people[who].cookie)
    if (who === 'linked') {
      expect(r.status).toBe(200)
      expect(r.data.child.firstName).toBe('Zoé')
      expect(r.data.child.orgs.map((o: { orgName: string; classes: { name: string }[] }) => [o.orgName, o.classes.map((c) => c.name)])).toEqual([['École A', ['A1']]])
    } else {
      expect(r.status).toBe(403)
      const audited = await t.db.select().from(auditEvents).where(eq(auditEvents.actorId, people[who].id))
      expect(audited.some((a) => a.action === 'access.denied')).toBe(true)
    }
  })

  test('the linked guardian cannot open a classmate, a child of another school or of another family', async () => {
    for (const childId of [ids.hugo, ids.bChild, ids.leo]) {
      expect((await call(guardianChild.loader, `/children/${childId}`, { childId }, people.linked.cookie)).status).toBe(403)
    }
  })

  test('the other family’s parent sees their own child, and only them', async () => {
    const r = await call(guardianChild.loader, `/children/${ids.leo}`, { childId: ids.leo }, people.otherFamily.cookie)
    expect(r.status).toBe(200)
    expect(r.data.child.firstName).toBe('Léo')
  })
})

describe('the child switcher (/children) lists exactly the linked children', () => {
  test.each([
    ['linked', ['Zoé']],
    ['suspended', []],
    ['ended', []],
    ['otherFamily', ['Léo']],
    ['otherSchool', ['Bastien']],
  ] as const)('%s', async (who, names) => {
    const r = await call(myChildren.loader, '/children', {}, people[who].cookie)
    expect(r.status).toBe(200)
    expect(r.data.children.map((c: { firstName: string }) => c.firstName)).toEqual(names)
  })
})

describe('staff pages and the other family’s space stay closed to guardians', () => {
  test.each(GUARDIANS)('%s', async (who) => {
    const cookie = people[who].cookie
    const routes: [unknown, string, Record<string, string>][] = [
      [staffChild.loader, `/org/${ids.orgA}/children/${ids.zoe}`, { orgId: ids.orgA, childId: ids.zoe }],
      [classPage.loader, `/org/${ids.orgA}/classes/${ids.classA1}`, { orgId: ids.orgA, classId: ids.classA1 }],
      [classGuardians.loader, `/org/${ids.orgA}/classes/${ids.classA1}/guardians`, { orgId: ids.orgA, classId: ids.classA1 }],
      [authorisations.loader, `/org/${ids.orgA}/classes/${ids.classA1}/authorisations`, { orgId: ids.orgA, classId: ids.classA1 }],
    ]
    if (who !== 'otherFamily') routes.push([familyPage.loader, `/org/${ids.family}/family`, { orgId: ids.family }])
    for (const [fn, url, params] of routes) expect((await call(fn, url, params, cookie)).status, `${who} on ${url}`).toBe(403)
  })

  test('the school home: the linked guardian sees Zoé and no other child; the others are refused', async () => {
    const r = await call(orgHome.loader, `/org/${ids.orgA}`, { orgId: ids.orgA }, people.linked.cookie)
    expect(r.status).toBe(200)
    expect(r.data.children.map((c: { firstName: string }) => c.firstName)).toEqual(['Zoé'])
    for (const who of ['suspended', 'ended', 'otherFamily', 'otherSchool'] as const) {
      expect((await call(orgHome.loader, `/org/${ids.orgA}`, { orgId: ids.orgA }, people[who].cookie)).status).toBe(403)
    }
  })
})

describe('models and the policy', () => {
  test.each(GUARDIANS)('%s: the ability and the SQL list filter agree', async (who) => {
    const principal = await loadPrincipal(t.db, { id: people[who].id, kind: 'adult' })
    const ability = defineAbilityFor(principal)
    const canZoe = ability.can('read', subject('Child', { orgId: ids.orgA, id: ids.zoe, classIds: [ids.classA1] }) as never)
    const canHugo = ability.can('read', subject('Child', { orgId: ids.orgA, id: ids.hugo, classIds: [ids.classA1] }) as never)
    expect(canZoe).toBe(who === 'linked')
    expect(canHugo).toBe(false)
    const listA = await listChildren(t.db, ability, { orgId: ids.orgA })
    expect(listA.map((c) => c.firstName)).toEqual(who === 'linked' ? ['Zoé'] : [])
    const listB = await listChildren(t.db, ability, { orgId: ids.orgB })
    expect(listB.map((c) => c.firstName)).toEqual(who === 'otherSchool' ? ['Bastien'] : [])
    // Published learning items only, and only with the right to see the record.
    expect(ability.can('read', subject('LearningRecord', { orgId: ids.orgA, childId: ids.zoe, published: true }) as never)).toBe(who === 'linked')
    expect(ability.can('read', subject('LearningRecord', { orgId: ids.orgA, childId: ids.zoe, published: false }) as never)).toBe(false)
  })
})

describe('losing access', () => {
  test('the school suspends the link: the guardian loses the child on the next request', async () => {
    const admin = people.admin
    const before = await call(guardianChild.loader, `/children/${ids.zoe}`, { childId: ids.zoe }, people.linked.cookie)
    expect(before.status).toBe(200)
    const r = await call(classGuardians.action, `/org/${ids.orgA}/classes/${ids.classA1}/guardians`, { orgId: ids.orgA, classId: ids.classA1 }, admin.cookie, {
      intent: 'suspend',
      linkId: linkedLinkId,
      reason: 'Décision du juge aux affaires familiales',
    })
    expect(r.data?.status).toBe('success')
    const after = await call(guardianChild.loader, `/children/${ids.zoe}`, { childId: ids.zoe }, people.linked.cookie)
    expect(after.status).toBe(403)
    // The school lifts it again (the next test removes the link from the guardian's side).
    await call(classGuardians.action, `/org/${ids.orgA}/classes/${ids.classA1}/guardians`, { orgId: ids.orgA, classId: ids.classA1 }, admin.cookie, { intent: 'resume', linkId: linkedLinkId })
    expect((await call(guardianChild.loader, `/children/${ids.zoe}`, { childId: ids.zoe }, people.linked.cookie)).status).toBe(200)
  })

  test('a guardian removes their own link (confirmation required), then cannot see the child', async () => {
    const url = `/children/${ids.zoe}`
    const noConfirm = await call(guardianChild.action, url, { childId: ids.zoe }, people.linked.cookie, { intent: 'remove-link', orgId: ids.orgA, linkId: linkedLinkId })
    expect(noConfirm.data?.status).toBe('error')
    const done = await call(guardianChild.action, url, { childId: ids.zoe }, people.linked.cookie, { intent: 'remove-link', orgId: ids.orgA, linkId: linkedLinkId, confirm: 'on' })
    expect(done.status).toBe(302)
    expect(done.location).toBe('/children?removed=1')
    const [row] = await t.db.select().from(guardianLinks).where(eq(guardianLinks.id, linkedLinkId))
    expect(row!.endedBy).toBe(people.linked.id)
    expect((await call(guardianChild.loader, url, { childId: ids.zoe }, people.linked.cookie)).status).toBe(403)
  })

  test('a teacher of the class cannot suspend a link (administrators only)', async () => {
    const teacher = await makeAdult(t.db, { orgId: ids.orgA, role: 'teacher' })
    const { teach } = await import('../helpers/factories')
    await teach(t.db, { orgId: ids.orgA, classId: ids.classA1, userId: teacher.id })
    const { token } = await createSession(t.db, teacher.id, { kind: 'adult' })
    const g = await makeAdult(t.db)
    const link = await createLink(t.db, { orgId: ids.orgA, childId: ids.hugo, guardianId: g.id, legalStatus: 'parent', by: { actorId: teacher.id, ip: null, userAgent: null }, via: 'code' })
    const r = await call(classGuardians.action, `/org/${ids.orgA}/classes/${ids.classA1}/guardians`, { orgId: ids.orgA, classId: ids.classA1 }, `carnet_session=${token}`, {
      intent: 'suspend',
      linkId: link.id,
      reason: 'Essai',
    })
    expect(r.status).toBe(403)
  })
})

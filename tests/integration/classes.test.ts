// Classes and children lists are filtered in SQL by the policy's own conditions: a teacher
// sees only the classes they teach (and their children) in one query; a co-teacher edits a
// class but can neither delete nor transfer it.
import { subject } from '@casl/ability'
import { and, eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as schema from '../../drizzle/schema'
import { auditEvents, classes, classTeachers, enrolments, memberships } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import type { Db } from '~/db.server'
import { listChildren } from '~/models/classes/children.server'
import { assignTeacher, createClass, deleteClass, getClass, listClasses, updateClass } from '~/models/classes/classes.server'
import { createGroup, deleteGroup, listGroups, renameGroup, setChildGroup } from '~/models/classes/groups.server'
import { defineAbilityFor } from '~/permissions/abilities'
import { loadPrincipal } from '~/permissions/principal.server'
import * as classRoute from '~/routes/org.$orgId.classes.$classId/route'
import * as classesRoute from '~/routes/org.$orgId.classes._index'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let counting: { db: Db; queries: string[]; end: () => Promise<void> }
const by = { actorId: '00000000-0000-4000-8000-000000000000', ip: '127.0.0.1', userAgent: 'vitest' }

type Person = { id: string; kind: 'adult' | 'child' }
const f = {} as {
  orgA: string
  orgB: string
  a1: string
  a2: string
  b1: string
  people: Record<'admin' | 'teacher' | 'coteacher' | 'otherTeacher' | 'dpo' | 'guardian' | 'outsider', Person>
  a1Children: string[]
  a2Children: string[]
  archivedChild: string
}

async function abilityOf(who: keyof typeof f.people) {
  return defineAbilityFor(await loadPrincipal(t.db, f.people[who]))
}

async function cookieOf(who: keyof typeof f.people) {
  const { token } = await createSession(t.db, f.people[who].id, { kind: 'adult' })
  return `carnet_session=${token}`
}

function post(url: string, cookie: string, body: Record<string, string>) {
  return new Request(`http://localhost${url}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'vitest' },
    body: new URLSearchParams(body).toString(),
  })
}

async function outcome(p: Promise<unknown>) {
  try {
    return await p
  } catch (e) {
    return e
  }
}

beforeAll(async () => {
  t = await useTestDatabase()
  const db = t.db
  const orgA = await makeOrg(db, 'school', 'École A')
  const orgB = await makeOrg(db, 'school', 'École B')
  const a1 = await makeClass(db, orgA.id, 'A1')
  const a2 = await makeClass(db, orgA.id, 'A2')
  const b1 = await makeClass(db, orgB.id, 'B1')
  const people = {
    admin: await makeAdult(db, { orgId: orgA.id, role: 'admin' }),
    teacher: await makeAdult(db, { orgId: orgA.id, role: 'teacher' }),
    coteacher: await makeAdult(db, { orgId: orgA.id, role: 'teacher' }),
    otherTeacher: await makeAdult(db, { orgId: orgA.id, role: 'teacher' }),
    dpo: await makeAdult(db, { orgId: orgA.id, role: 'dpo' }),
    guardian: await makeAdult(db, { orgId: orgA.id, role: 'guardian' }),
    outsider: await makeAdult(db, { orgId: orgB.id, role: 'admin' }),
  }
  await teach(db, { orgId: orgA.id, classId: a1.id, userId: people.teacher.id, role: 'lead' })
  await teach(db, { orgId: orgA.id, classId: a1.id, userId: people.coteacher.id, role: 'co' })
  await teach(db, { orgId: orgA.id, classId: a2.id, userId: people.otherTeacher.id, role: 'lead' })
  const a1Children = []
  for (const name of ['Zoé', 'Łukasz', 'Ömer']) a1Children.push((await makeChild(db, { orgId: orgA.id, classId: a1.id, firstName: name })).id)
  const a2Children = []
  for (const name of ['Inès', 'Noah']) a2Children.push((await makeChild(db, { orgId: orgA.id, classId: a2.id, firstName: name })).id)
  await makeChild(db, { orgId: orgB.id, classId: b1.id, firstName: 'Bruno' })
  // A child who left: archived membership, still enrolled — must not show in lists.
  const archived = await makeChild(db, { orgId: orgA.id, classId: a1.id, firstName: 'Parti' })
  await db.update(memberships).set({ status: 'archived' }).where(eq(memberships.userId, archived.id))
  Object.assign(f, { orgA: orgA.id, orgB: orgB.id, a1: a1.id, a2: a2.id, b1: b1.id, people, a1Children, a2Children, archivedChild: archived.id })

  // A second connection that records every statement it sends.
  const queries: string[] = []
  const sql = postgres(t.url, { max: 1, onnotice: () => {}, debug: (_conn, query) => queries.push(query) })
  counting = { db: drizzle(sql, { schema }) as Db, queries, end: () => sql.end({ timeout: 5 }) }
  await sql`select 1` // the connection's own start-up queries are not counted
})
afterAll(async () => {
  await counting?.end()
  await dropTestDatabase(t.name)
})

describe('listClasses: filtered in SQL by the policy', () => {
  test('admin sees every class of the school with child counts; never another school', async () => {
    const rows = await listClasses(t.db, { ability: await abilityOf('admin'), orgId: f.orgA })
    expect(rows.map((r) => [r.name, r.childCount])).toEqual([
      ['A1', 3],
      ['A2', 2],
    ])
    expect(await listClasses(t.db, { ability: await abilityOf('admin'), orgId: f.orgB })).toEqual([])
  })

  test('a teacher sees only the classes they teach, in one query', async () => {
    const ability = await abilityOf('teacher')
    counting.queries.length = 0
    const rows = await listClasses(counting.db, { ability, orgId: f.orgA })
    expect(counting.queries).toHaveLength(1)
    expect(rows.map((r) => r.name)).toEqual(['A1'])
    expect(rows[0]!.childCount).toBe(3)
    expect(rows[0]!.teachers.map((x) => x.role).sort()).toEqual(['co', 'lead'])
    expect((await listClasses(t.db, { ability: await abilityOf('coteacher'), orgId: f.orgA })).map((r) => r.name)).toEqual(['A1'])
    expect((await listClasses(t.db, { ability: await abilityOf('otherTeacher'), orgId: f.orgA })).map((r) => r.name)).toEqual(['A2'])
  })

  test('DPO and guardian see no class (and no query is sent); another school sees none of ours', async () => {
    for (const who of ['dpo', 'guardian'] as const) {
      const ability = await abilityOf(who)
      counting.queries.length = 0
      expect(await listClasses(counting.db, { ability, orgId: f.orgA })).toEqual([])
      expect(counting.queries, who).toHaveLength(0)
    }
    expect(await listClasses(t.db, { ability: await abilityOf('outsider'), orgId: f.orgA })).toEqual([])
  })
})

describe('listChildren: one query, filtered by the classes taught', () => {
  test("a teacher's list holds only the children of the classes they teach", async () => {
    const ability = await abilityOf('teacher')
    counting.queries.length = 0
    const rows = await listChildren(counting.db, ability, { orgId: f.orgA })
    expect(counting.queries).toHaveLength(1)
    // The policy's condition is in the SQL itself, not applied afterwards in JavaScript.
    expect(counting.queries[0]).toMatch(/"enrolments"\."class_id" in \(\$\d+\)/)
    expect(rows.map((r) => r.id).sort()).toEqual([...f.a1Children].sort())
    expect(rows.every((r) => r.className === 'A1')).toBe(true)
    expect(rows.map((r) => r.id)).not.toContain(f.archivedChild)
    // Asking for a class they do not teach gives nothing.
    expect(await listChildren(t.db, ability, { orgId: f.orgA, classId: f.a2 })).toEqual([])
  })

  test('co-teacher, other teacher, admin, DPO, guardian, outsider', async () => {
    const ids = async (who: keyof typeof f.people, orgId = f.orgA) => (await listChildren(t.db, await abilityOf(who), { orgId })).map((r) => r.id).sort()
    expect(await ids('coteacher')).toEqual([...f.a1Children].sort())
    expect(await ids('otherTeacher')).toEqual([...f.a2Children].sort())
    expect(await ids('admin')).toEqual([...f.a1Children, ...f.a2Children].sort())
    expect(await ids('dpo')).toEqual([...f.a1Children, ...f.a2Children].sort())
    expect(await ids('guardian')).toEqual([])
    expect(await ids('outsider')).toEqual([])
    expect(await ids('outsider', f.orgB)).toHaveLength(1)
  })
})

describe('class management', () => {
  test('create gives a unique login code; same name in the same year is refused; update', async () => {
    const c = await createClass(t.db, { orgId: f.orgA, name: 'CM2 B', level: 'CM2', schoolYear: '2026-2027', leadTeacherId: f.people.otherTeacher.id, by })
    expect(c.loginCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/)
    const [lead] = await t.db.select().from(classTeachers).where(eq(classTeachers.classId, c.id))
    expect(lead).toMatchObject({ userId: f.people.otherTeacher.id, role: 'lead' })
    await expect(createClass(t.db, { orgId: f.orgA, name: 'CM2 B', schoolYear: '2026-2027', by })).rejects.toMatchObject({ code: 'classes.name_taken' })
    await expect(createClass(t.db, { orgId: f.orgA, name: 'CM2 C', schoolYear: '2026-2028', by })).rejects.toMatchObject({ code: 'classes.school_year_invalid' })
    // A DPO is not a teacher: cannot lead a class.
    await expect(createClass(t.db, { orgId: f.orgA, name: 'CM2 D', schoolYear: '2026-2027', leadTeacherId: f.people.dpo.id, by })).rejects.toMatchObject({ code: 'classes.teacher_unknown' })
    const u = await updateClass(t.db, { orgId: f.orgA, classId: c.id, name: 'CM2 Bis', level: 'CM2', schoolYear: '2026-2027', by })
    expect(u.name).toBe('CM2 Bis')
    // Lookups are scoped by organization.
    await expect(getClass(t.db, { orgId: f.orgB, classId: c.id })).rejects.toMatchObject({ status: 404 })
    await deleteClass(t.db, { orgId: f.orgA, classId: c.id, by })
    const audits = await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.id))
    expect(audits.map((a) => a.action).sort()).toEqual(['class.create', 'class.delete', 'class.update'])
  })

  test('groups: create, rename, move a child, delete (the child stays in the class)', async () => {
    const g = await createGroup(t.db, { orgId: f.orgA, classId: f.a1, name: 'Lecture 1', by })
    await expect(createGroup(t.db, { orgId: f.orgA, classId: f.a1, name: 'Lecture 1', by })).rejects.toMatchObject({ code: 'classes.group_name_taken' })
    await renameGroup(t.db, { orgId: f.orgA, classId: f.a1, groupId: g.id, name: 'Lecture A', by })
    await setChildGroup(t.db, { orgId: f.orgA, classId: f.a1, childId: f.a1Children[0]!, groupId: g.id, by })
    // A child of another class cannot be put in this class's group.
    await expect(setChildGroup(t.db, { orgId: f.orgA, classId: f.a1, childId: f.a2Children[0]!, groupId: g.id, by })).rejects.toMatchObject({ status: 404 })
    expect(await listGroups(t.db, { orgId: f.orgA, classId: f.a1 })).toEqual([{ id: g.id, name: 'Lecture A', childCount: 1 }])
    const rows = await listChildren(t.db, await abilityOf('teacher'), { orgId: f.orgA, classId: f.a1 })
    expect(rows.find((r) => r.id === f.a1Children[0])?.groupName).toBe('Lecture A')
    await deleteGroup(t.db, { orgId: f.orgA, classId: f.a1, groupId: g.id, by })
    const [e] = await t.db.select().from(enrolments).where(eq(enrolments.childId, f.a1Children[0]!))
    expect(e).toMatchObject({ classId: f.a1, groupId: null })
  })

  test('making a co-teacher lead turns the previous lead into a co-teacher (transfer)', async () => {
    const c = await makeClass(t.db, f.orgA, 'Transfert')
    await teach(t.db, { orgId: f.orgA, classId: c.id, userId: f.people.teacher.id, role: 'lead' })
    await assignTeacher(t.db, { orgId: f.orgA, classId: c.id, userId: f.people.coteacher.id, role: 'lead', by })
    const rows = await t.db.select().from(classTeachers).where(eq(classTeachers.classId, c.id))
    expect(Object.fromEntries(rows.map((r) => [r.userId, r.role]))).toEqual({ [f.people.teacher.id]: 'co', [f.people.coteacher.id]: 'lead' })
  })
})

describe('co-teacher cannot delete or transfer the class', () => {
  test('the policy', async () => {
    const [a1] = await t.db.select().from(classes).where(eq(classes.id, f.a1))
    const row = subject('Class', { ...a1! }) as never
    const co = await abilityOf('coteacher')
    const lead = await abilityOf('teacher')
    const admin = await abilityOf('admin')
    expect([co.can('read', row), co.can('update', row), co.can('delete', row), co.can('transfer', row)]).toEqual([true, true, false, false])
    expect([lead.can('delete', row), lead.can('transfer', row)]).toEqual([true, true])
    expect([admin.can('delete', row), admin.can('transfer', row)]).toEqual([true, true])
  })

  test('through the class page: 403 and audited for the co-teacher, done for the lead teacher', async () => {
    const c = await makeClass(t.db, f.orgA, 'À supprimer')
    await teach(t.db, { orgId: f.orgA, classId: c.id, userId: f.people.teacher.id, role: 'lead' })
    await teach(t.db, { orgId: f.orgA, classId: c.id, userId: f.people.coteacher.id, role: 'co' })
    const url = `/org/${f.orgA}/classes/${c.id}`
    const params = { orgId: f.orgA, classId: c.id }

    const denied = await outcome(classRoute.action({ request: post(url, await cookieOf('coteacher'), { intent: 'delete', confirm: 'yes' }), params, context: {} }))
    expect(denied).toBeInstanceOf(Response)
    expect((denied as Response).status).toBe(403)
    expect(await t.db.select().from(classes).where(eq(classes.id, c.id))).toHaveLength(1)
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, f.people.coteacher.id), eq(auditEvents.targetId, c.id)))
    expect(audit[0]?.details).toMatchObject({ attempted: 'delete' })

    // Nor may the co-teacher hand the class to someone else.
    const transfer = await outcome(
      classRoute.action({ request: post(url, await cookieOf('coteacher'), { intent: 'assign-teacher', userId: f.people.coteacher.id, role: 'lead' }), params, context: {} }),
    )
    expect((transfer as Response).status).toBe(403)

    // The co-teacher may still edit it.
    const edited = await classRoute.action({ request: post(url, await cookieOf('coteacher'), { intent: 'update', name: 'À supprimer', level: 'CE1', schoolYear: '2026-2027' }), params, context: {} })
    expect(edited).toMatchObject({ status: 'success' })

    // Without the confirmation box, nothing is deleted.
    const unconfirmed = await classRoute.action({ request: post(url, await cookieOf('teacher'), { intent: 'delete' }), params, context: {} })
    expect(unconfirmed).toMatchObject({ status: 'error', error: { confirm: [expect.any(String)] } })

    const done = await classRoute.action({ request: post(url, await cookieOf('teacher'), { intent: 'delete', confirm: 'yes' }), params, context: {} })
    expect((done as Response).status).toBe(302)
    expect(await t.db.select().from(classes).where(eq(classes.id, c.id))).toHaveLength(0)
  })

  test('a teacher who does not teach the class cannot open it; a teacher cannot create a class', async () => {
    const url = `/org/${f.orgA}/classes/${f.a1}`
    const res = await outcome(
      classRoute.loader({ request: new Request(`http://localhost${url}`, { headers: { cookie: await cookieOf('otherTeacher') } }), params: { orgId: f.orgA, classId: f.a1 }, context: {} }),
    )
    expect((res as Response).status).toBe(403)
    const create = await outcome(
      classesRoute.action({ request: post(`/org/${f.orgA}/classes`, await cookieOf('teacher'), { name: 'Pirate', schoolYear: '2026-2027' }), params: { orgId: f.orgA }, context: {} }),
    )
    expect((create as Response).status).toBe(403)
    const created = await classesRoute.action({
      request: post(`/org/${f.orgA}/classes`, await cookieOf('admin'), { name: 'CP A', level: 'CP', schoolYear: '2026-2027' }),
      params: { orgId: f.orgA },
      context: {},
    })
    expect((created as Response).status).toBe(302)
    expect((created as Response).headers.get('location')).toMatch(new RegExp(`^/org/${f.orgA}/classes/[0-9a-f-]{36}\\?created=1$`))
  })
})

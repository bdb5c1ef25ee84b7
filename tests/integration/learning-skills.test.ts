// The school's skills: the starter set (French curriculum, cycles 1–3) arrives on first use,
// and the school's administrators edit it — add, rename, archive, restore — through the skills
// page's form (the route's action); a bad or duplicate code comes back as a clear message and
// changes nothing; teachers may read the skills but not edit them (audited 403).
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { auditEvents, skills } from '../../drizzle/schema'
import { t as translate } from '~/i18n'
import { listSkills } from '~/models/learning/skills.server'
import * as editRoute from '~/routes/org.$orgId.classes.$classId_.learning_.skills.edit'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeClass, makeOrg, teach } from '../helpers/factories'
import { cookieFor } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
const S = {} as { orgId: string; classId: string; admin: string; teacher: string; teacherId: string }
beforeAll(async () => {
  t = await useTestDatabase()
  const org = await makeOrg(t.db, 'school', 'École des Tilleuls')
  const klass = await makeClass(t.db, org.id, 'CE2')
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const teacher = await makeAdult(t.db, { orgId: org.id, role: 'teacher' })
  await teach(t.db, { orgId: org.id, classId: klass.id, userId: teacher.id })
  Object.assign(S, { orgId: org.id, classId: klass.id, admin: await cookieFor(t.db, admin), teacher: await cookieFor(t.db, teacher), teacherId: teacher.id })
})
afterAll(() => dropTestDatabase(t.name))

/** Posts the skills form as the browser would; returns where it redirects (or the thrown status). */
async function post(cookie: string, form: Record<string, string>) {
  const url = `http://localhost/org/${S.orgId}/classes/${S.classId}/learning/skills/edit`
  const request = new Request(url, {
    method: 'POST',
    headers: { cookie, 'user-agent': 'vitest', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  })
  try {
    const res = (await editRoute.action({ request, params: { orgId: S.orgId, classId: S.classId }, context: {} })) as Response
    return { status: res.status, location: new URL(res.headers.get('location')!, url) }
  } catch (e) {
    if (e instanceof Response) return { status: e.status, location: null }
    throw e
  }
}

describe('the school’s skills', () => {
  test('a new school gets the starter set for cycles 1 to 3, once', async () => {
    const first = await listSkills(t.db, { orgId: S.orgId })
    expect(new Set(first.map((s) => s.cycle))).toEqual(new Set([1, 2, 3]))
    expect(first.find((s) => s.code === 'C1-LANG-1')).toMatchObject({ domain: 'Langage', label: 'Oser entrer en communication' })
    expect(await listSkills(t.db, { orgId: S.orgId })).toHaveLength(first.length)
  })

  test('an administrator adds, renames, archives and restores a skill; each step audited', async () => {
    const created = await post(S.admin, { intent: 'create', code: 'ce2-poesie', label: 'Réciter un poème', domain: 'Français', cycle: '2' })
    expect(created.location!.searchParams.get('done')).toBe('created')
    const [skill] = await t.db
      .select()
      .from(skills)
      .where(and(eq(skills.orgId, S.orgId), eq(skills.code, 'CE2-POESIE')))
    expect(skill).toMatchObject({ label: 'Réciter un poème', domain: 'Français', cycle: 2 })

    await post(S.admin, { intent: 'update', skillId: skill!.id, code: 'CE2-POESIE', label: 'Dire un poème de mémoire', domain: 'Français', cycle: '2' })
    expect((await listSkills(t.db, { orgId: S.orgId })).find((s) => s.id === skill!.id)?.label).toBe('Dire un poème de mémoire')

    await post(S.admin, { intent: 'archive', skillId: skill!.id })
    expect((await listSkills(t.db, { orgId: S.orgId })).some((s) => s.id === skill!.id)).toBe(false)
    expect((await listSkills(t.db, { orgId: S.orgId, includeArchived: true })).some((s) => s.id === skill!.id)).toBe(true)
    await post(S.admin, { intent: 'restore', skillId: skill!.id })
    expect((await listSkills(t.db, { orgId: S.orgId })).some((s) => s.id === skill!.id)).toBe(true)

    const audit = await t.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, skill!.id))
    expect(audit.map((a) => a.action).sort()).toEqual(['skill.archive', 'skill.create', 'skill.restore', 'skill.update'])
  })

  test('a duplicate or malformed code comes back as a message in the user’s language, and nothing changes', async () => {
    const before = await listSkills(t.db, { orgId: S.orgId, includeArchived: true })
    const dup = await post(S.admin, { intent: 'create', code: 'c1-lang-1', label: 'Doublon', domain: 'Langage', cycle: '1' })
    expect(dup.location!.searchParams.get('error')).toBe('learning.skills.code_taken')
    expect(translate('fr', 'learning.skills.code_taken', { code: dup.location!.searchParams.get('code')! })).toBe('Le code C1-LANG-1 existe déjà dans l’école.')
    const bad = await post(S.admin, { intent: 'create', code: 'pas de code !', label: 'X', domain: 'Y', cycle: '2' })
    expect(bad.location!.searchParams.get('error')).toBe('learning.skills.code_invalid')
    const renameOnto = await post(S.admin, { intent: 'update', skillId: before.find((s) => s.code === 'C1-LANG-2')!.id, code: 'C1-LANG-1', label: 'X', domain: 'Y', cycle: '1' })
    expect(renameOnto.location!.searchParams.get('error')).toBe('learning.skills.code_taken')
    expect(await listSkills(t.db, { orgId: S.orgId, includeArchived: true })).toEqual(before)
  })

  test('a teacher of the class cannot edit the school’s skills: 403, audited', async () => {
    const res = await post(S.teacher, { intent: 'create', code: 'MINE', label: 'Ma compétence', domain: 'Autre', cycle: '3' })
    expect(res.status).toBe(403)
    expect(
      await t.db
        .select()
        .from(skills)
        .where(and(eq(skills.orgId, S.orgId), eq(skills.code, 'MINE'))),
    ).toEqual([])
    const denied = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, S.teacherId), eq(auditEvents.action, 'access.denied')))
    expect(denied).toHaveLength(1)
  })
})

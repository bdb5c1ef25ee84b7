// The learning record against a real database: quizzes scored for the child they are
// assigned to, observations for several children at once, the class grid in two queries for
// 30 × 60, publishing (now, with a release date, whole activities) as guardians see it, the
// guardian's and the child's reach, and the demo seed.
import { subject } from '@casl/ability'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import * as schema from '../../drizzle/schema'
import { activities, auditEvents, classes, groups, enrolments, results } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { DAY, useFakeClock } from '~/clock.server'
import type { Db } from '~/db.server'
import { seedDemo } from '~/models/demo/seed.server'
import { createLink } from '~/models/families/links.server'
import { createActivity, validateQuestions } from '~/models/learning/activities.server'
import { childActivities, quizForChild, submitQuiz } from '~/models/learning/child-quiz.server'
import { classGrid } from '~/models/learning/grid.server'
import { recordObservations } from '~/models/learning/observations.server'
import { setActivitiesPublished, setItemsPublished } from '~/models/learning/publish.server'
import { loadObservations, loadResults } from '~/models/learning/record.server'
import { listSkills } from '~/models/learning/skills.server'
import { defineAbilityFor } from '~/permissions/abilities'
import { loadPrincipal } from '~/permissions/principal.server'
import * as recordPage from '~/routes/org.$orgId.children.$childId_.record/route'
import * as quizPage from '~/routes/me_.activities.$activityId'
import * as progressPage from '~/routes/me_.activities._index'
import * as gridPage from '~/routes/org.$orgId.classes.$classId_.learning'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach } from '../helpers/factories'

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>

let t: Awaited<ReturnType<typeof useTestDatabase>>
const origin = { ip: '127.0.0.1', userAgent: 'vitest' }

async function call(fn: unknown, url: string, params: Record<string, string>, cookie: string | null, form?: Record<string, string | string[]>) {
  const headers: Record<string, string> = { 'user-agent': 'vitest', 'x-carnet-remote-addr': '127.0.0.9' }
  if (cookie) headers.cookie = cookie
  let body: URLSearchParams | undefined
  if (form) {
    body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
  }
  const request = body
    ? new Request(`http://localhost${url}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body })
    : new Request(`http://localhost${url}`, { headers })
  try {
    const res = await (fn as Fn)({ request, params, context: {} })
    return res instanceof Response ? { status: res.status, location: res.headers.get('location'), data: null as any } : { status: 200, location: null, data: res as any }
  } catch (e) {
    if (e instanceof Response) return { status: e.status, location: e.headers.get('location'), data: null as any }
    throw e
  }
}

async function cookieOf(userId: string, kind: 'adult' | 'child' = 'adult') {
  const { token } = await createSession(t.db, userId, { kind })
  return `carnet_session=${token}`
}

const S = {} as {
  orgId: string
  a1: string
  a2: string
  teacher: { id: string }
  other: { id: string }
  zoe: { id: string }
  hugo: { id: string }
  b2: { id: string }
  guardian: { id: string }
  skill: string
  skill2: string
}

beforeAll(async () => {
  t = await useTestDatabase()
  const db = t.db
  const org = await makeOrg(db, 'school', 'École Jules Ferry')
  const a1 = await makeClass(db, org.id, 'CM1 A')
  const a2 = await makeClass(db, org.id, 'CM1 B')
  const teacher = await makeAdult(db, { orgId: org.id, role: 'teacher' })
  const other = await makeAdult(db, { orgId: org.id, role: 'teacher' })
  const admin = await makeAdult(db, { orgId: org.id, role: 'admin' })
  await teach(db, { orgId: org.id, classId: a1.id, userId: teacher.id })
  await teach(db, { orgId: org.id, classId: a2.id, userId: other.id })
  const zoe = await makeChild(db, { orgId: org.id, classId: a1.id, firstName: 'Zoé', lastName: 'Müller' })
  const hugo = await makeChild(db, { orgId: org.id, classId: a1.id, firstName: 'Hugo', lastName: 'Łukasiewicz' })
  const b2 = await makeChild(db, { orgId: org.id, classId: a2.id, firstName: 'Ömer', lastName: 'Yılmaz' })
  const guardian = await makeAdult(db, { orgId: org.id, role: 'guardian' })
  await createLink(db, { orgId: org.id, childId: zoe.id, guardianId: guardian.id, legalStatus: 'parent', by: { actorId: admin.id, ...origin }, via: 'code' })
  const skills = await listSkills(db, { orgId: org.id })
  Object.assign(S, {
    orgId: org.id,
    a1: a1.id,
    a2: a2.id,
    teacher,
    other,
    zoe,
    hugo,
    b2,
    guardian,
    skill: skills.find((s) => s.code === 'C3-MA-NOMB-1')!.id,
    skill2: skills.find((s) => s.code === 'C3-FR-LIRE-1')!.id,
  })
})
afterAll(() => dropTestDatabase(t.name))

const by = () => ({ actorId: S.teacher.id, ...origin })
const quiz = (classId = S.a1, groupId: string | null = null, title = 'Fractions') =>
  createActivity(t.db, {
    orgId: S.orgId,
    classId,
    groupId,
    kind: 'quiz',
    title,
    skillIds: [S.skill],
    questions: [
      { text: 'Un demi plus un demi ?', choices: ['Un', 'Deux'], correctIndex: 0 },
      { text: 'Le plus grand ?', choices: ['Un tiers', '', 'Un demi'], correctIndex: 2 },
      { text: '', choices: ['', '', ''], correctIndex: -1 }, // an empty block is skipped
    ],
    by: by(),
  })

describe('quizzes', () => {
  test('blank choices are dropped and the right answer follows them; an empty block is skipped', async () => {
    const a = await quiz()
    const q = await quizForChild(t.db, { childId: S.zoe.id, activityId: a.id })
    expect(q.questions.map((x) => x.choices)).toEqual([
      ['Un', 'Deux'],
      ['Un tiers', 'Un demi'],
    ])
    // The child's view never carries the answers before they are done.
    expect(JSON.stringify(q)).not.toContain('correct')
  })

  test('a question may carry a picture (an uploaded image, or one of Carnet’s own); anything else is refused', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    const [withPicture] = validateQuestions([{ text: 'Quel animal ?', choices: ['Un chat', 'Un chien'], correctIndex: 0, pictureUrl: png }])
    expect(withPicture!.pictureUrl).toBe(png)
    expect(validateQuestions([{ text: 'Q', choices: ['a', 'b'], correctIndex: 0, pictureUrl: '/pictures/chat.svg' }])[0]!.pictureUrl).toBe('/pictures/chat.svg')
    for (const bad of ['data:text/html;base64,PHNjcmlwdD4=', 'javascript:alert(1)', '//evil.example/x.png', 'https://tracker.example/pixel.gif'])
      expect(() => validateQuestions([{ text: 'Q', choices: ['a', 'b'], correctIndex: 0, pictureUrl: bad }]), bad).toThrow(expect.objectContaining({ code: 'learning.quiz.picture_invalid' }))
  })

  test('auto-scored; the first submission counts; the child sees the review afterwards', async () => {
    const a = await quiz()
    const r = await submitQuiz(t.db, { childId: S.zoe.id, activityId: a.id, answers: [0, 0], durationMs: 65_000, origin })
    expect(r).toEqual({ score: 1, max: 2, alreadyDone: false })
    const again = await submitQuiz(t.db, { childId: S.zoe.id, activityId: a.id, answers: [0, 1], durationMs: 1, origin })
    expect(again).toEqual({ score: 1, max: 2, alreadyDone: true })
    const q = await quizForChild(t.db, { childId: S.zoe.id, activityId: a.id })
    expect(q.result).toEqual({
      score: 1,
      max: 2,
      review: [
        { chosen: 0, correct: 0 },
        { chosen: 0, correct: 1 },
      ],
    })
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'result.create'), eq(auditEvents.actorId, S.zoe.id)))
    expect(audit.length).toBeGreaterThan(0)
  })

  test('a child of another class, or of another group, cannot open or answer the quiz', async () => {
    const a = await quiz()
    await expect(quizForChild(t.db, { childId: S.b2.id, activityId: a.id })).rejects.toThrow(/not_found/)
    await expect(submitQuiz(t.db, { childId: S.b2.id, activityId: a.id, answers: [0, 2], origin })).rejects.toThrow(/not_found/)
    const [g] = await t.db
      .insert(groups)
      .values({ orgId: S.orgId, classId: S.a1, name: `G${Date.now()}` })
      .returning()
    await t.db
      .update(enrolments)
      .set({ groupId: g!.id })
      .where(and(eq(enrolments.childId, S.hugo.id), eq(enrolments.classId, S.a1)))
    const forGroup = await quiz(S.a1, g!.id, 'Pour le groupe')
    expect((await childActivities(t.db, S.hugo.id)).map((x) => x.title)).toContain('Pour le groupe')
    expect((await childActivities(t.db, S.zoe.id)).map((x) => x.title)).not.toContain('Pour le groupe')
    await expect(quizForChild(t.db, { childId: S.zoe.id, activityId: forGroup.id })).rejects.toThrow(/not_found/)
    await t.db.update(enrolments).set({ groupId: null }).where(eq(enrolments.childId, S.hugo.id))
  })

  test('the quiz page refuses adults and answers 404 for an unknown activity', async () => {
    const a = await quiz()
    const teacherCookie = await cookieOf(S.teacher.id)
    expect((await call(quizPage.loader, `/me/activities/${a.id}`, { activityId: a.id }, teacherCookie)).status).toBe(403)
    const child = await cookieOf(S.b2.id, 'child')
    expect((await call(quizPage.loader, `/me/activities/${a.id}`, { activityId: a.id }, child)).status).toBe(404)
    const zoe = await cookieOf(S.zoe.id, 'child')
    const ok = await call(quizPage.loader, `/me/activities/${a.id}`, { activityId: a.id }, zoe)
    expect(ok.status).toBe(200)
    const posted = await call(quizPage.action, `/me/activities/${a.id}`, { activityId: a.id }, zoe, { a0: '0', a1: '1', durationMs: '42000' })
    expect(posted.status).toBe(302)
    const [row] = await t.db
      .select()
      .from(results)
      .where(and(eq(results.activityId, a.id), eq(results.childId, S.zoe.id)))
    expect(row).toMatchObject({ score: 2, max: 2, durationMs: 42000, answers: [0, 1] })
  })
})

describe('observations', () => {
  test('several children at once, one skill, a dated note; children of another class are refused', async () => {
    const rows = await recordObservations(t.db, {
      orgId: S.orgId,
      classId: S.a1,
      skillId: S.skill2,
      observedOn: '2026-03-02',
      entries: [
        { childId: S.zoe.id, level: 'in_progress', note: 'Lit lentement mais juste.' },
        { childId: S.hugo.id, level: 'acquired' },
      ],
      by: by(),
    })
    expect(rows).toHaveLength(2)
    await expect(
      recordObservations(t.db, { orgId: S.orgId, classId: S.a1, skillId: S.skill2, observedOn: '2026-03-02', entries: [{ childId: S.b2.id, level: 'acquired' }], by: by() }),
    ).rejects.toThrow(/not_found/)
  })
})

describe('the class grid', () => {
  test('30 children × 60 activities: one SQL statement, every cell filled', async () => {
    const db = t.db
    const org = await makeOrg(db, 'school', 'École Grille')
    const klass = await makeClass(db, org.id, 'CM2 grille')
    const kids = []
    for (let i = 0; i < 30; i++) kids.push(await makeChild(db, { orgId: org.id, classId: klass.id, firstName: `Élève${i}` }))
    const skill = (await listSkills(db, { orgId: org.id }))[0]!
    const acts = await db
      .insert(activities)
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          orgId: org.id,
          classId: klass.id,
          kind: (i % 6 === 5 ? 'observation' : 'quiz') as 'quiz' | 'observation',
          title: `Activité ${i}`,
          createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
        })),
      )
      .returning()
    await db.insert(schema.activitySkills).values(acts.map((a) => ({ orgId: org.id, activityId: a.id, skillId: skill.id })))
    const quizzes = acts.filter((a) => a.kind === 'quiz')
    await db
      .insert(results)
      .values(kids.flatMap((k, i) => quizzes.map((a, j) => ({ orgId: org.id, childId: k.id, activityId: a.id, score: (i + j) % 6, max: 5, answers: [], completedAt: new Date() }))))
    const obsActs = acts.filter((a) => a.kind === 'observation')
    await db.insert(schema.observations).values(
      kids.flatMap((k) =>
        obsActs.map((a) => ({
          orgId: org.id,
          classId: klass.id,
          activityId: a.id,
          childId: k.id,
          skillId: skill.id,
          level: 'in_progress' as const,
          observedOn: '2026-02-01',
          createdAt: new Date(),
        })),
      ),
    )

    // A separate connection whose logger counts what classGrid sends.
    const sql = postgres(t.url, { max: 2, onnotice: () => {} })
    let queries = 0
    const counted = drizzle(sql, { schema, logger: { logQuery: () => void queries++ } }) as unknown as Db
    const started = performance.now()
    const grid = await classGrid(counted, { orgId: org.id, classId: klass.id })
    const ms = performance.now() - started
    await sql.end()
    expect(queries).toBe(1)
    expect(grid.children).toHaveLength(30)
    expect(grid.activities).toHaveLength(60)
    const filled = grid.children.reduce((n, c) => n + Object.keys(grid.results[c.id] ?? {}).length + Object.keys(grid.obsByActivity[c.id] ?? {}).length, 0)
    expect(filled).toBe(30 * 60)
    expect(grid.bySkill[kids[0]!.id]![skill.id]).toMatchObject({ level: 'in_progress' })
    expect(ms).toBeLessThan(2000)
  })

  test('filters: a group, a skill and a period narrow the grid', async () => {
    const a = await quiz(S.a1, null, 'Filtrée')
    await t.db
      .update(activities)
      .set({ createdAt: new Date('2025-09-10T10:00:00Z') })
      .where(eq(activities.id, a.id))
    const all = await classGrid(t.db, { orgId: S.orgId, classId: S.a1 })
    expect(all.activities.map((x) => x.title)).toContain('Filtrée')
    const outside = await classGrid(t.db, { orgId: S.orgId, classId: S.a1, filters: { from: '2026-01-01' } })
    expect(outside.activities.map((x) => x.title)).not.toContain('Filtrée')
    const inside = await classGrid(t.db, { orgId: S.orgId, classId: S.a1, filters: { from: '2025-09-01', to: '2025-09-30' } })
    expect(inside.activities.map((x) => x.title)).toEqual(['Filtrée'])
    const bySkill = await classGrid(t.db, { orgId: S.orgId, classId: S.a1, filters: { skillId: S.skill2 } })
    expect(bySkill.activities.every((x) => x.skills.some((s) => s.id === S.skill2))).toBe(true)
    // A group: its children only (named with their group), its activities and the class-wide ones.
    const [g] = await t.db.insert(groups).values({ orgId: S.orgId, classId: S.a1, name: 'Les lecteurs' }).returning()
    await t.db
      .update(enrolments)
      .set({ groupId: g!.id })
      .where(and(eq(enrolments.childId, S.hugo.id), eq(enrolments.classId, S.a1)))
    await quiz(S.a1, g!.id, 'Pour les lecteurs')
    const byGroup = await classGrid(t.db, { orgId: S.orgId, classId: S.a1, filters: { groupId: g!.id } })
    expect(byGroup.children).toEqual([expect.objectContaining({ id: S.hugo.id, groupId: g!.id, groupName: 'Les lecteurs' })])
    expect(byGroup.activities.map((x) => x.title)).toEqual(expect.arrayContaining(['Pour les lecteurs', 'Filtrée']))
    expect((await classGrid(t.db, { orgId: S.orgId, classId: S.a1 })).children.length).toBeGreaterThan(1)
    await t.db.update(enrolments).set({ groupId: null }).where(eq(enrolments.childId, S.hugo.id))
  })

  test('the grid page: the class’s teacher yes, a teacher of another class no', async () => {
    const ok = await call(gridPage.loader, `/org/${S.orgId}/classes/${S.a1}/learning`, { orgId: S.orgId, classId: S.a1 }, await cookieOf(S.teacher.id))
    expect(ok.status).toBe(200)
    expect(ok.data.grid.view.rows.map((r: { name: string }) => r.name)).toContain('Zoé Müller')
    expect(ok.data.grid.view.rows.every((r: { cells: unknown }) => typeof r.cells === 'string')).toBe(true)
    const no = await call(gridPage.loader, `/org/${S.orgId}/classes/${S.a1}/learning`, { orgId: S.orgId, classId: S.a1 }, await cookieOf(S.other.id))
    expect(no.status).toBe(403)
  })
})

describe('publishing to families', () => {
  test('unpublished → hidden; a release date → hidden until that day; then visible', async () => {
    // Ahead of the real clock: the guardian's link (started now) is active throughout.
    const start = new Date(Date.now() + DAY)
    const day = (n: number) => new Date(start.getTime() + n * DAY).toISOString().slice(0, 10)
    const clock = useFakeClock(start)
    try {
      const a = await quiz(S.a1, null, 'Publication')
      await submitQuiz(t.db, { childId: S.zoe.id, activityId: a.id, answers: [0, 1], origin })
      const [obs] = await recordObservations(t.db, {
        orgId: S.orgId,
        classId: S.a1,
        skillId: S.skill,
        observedOn: day(0),
        entries: [{ childId: S.zoe.id, level: 'acquired', note: 'Publiée plus tard' }],
        by: by(),
      })
      const guardian = defineAbilityFor(await loadPrincipal(t.db, { id: S.guardian.id, kind: 'adult' }))
      const seen = async () => {
        const rs = await loadResults(t.db, { orgId: S.orgId, childIds: [S.zoe.id], visibleTo: { ability: guardian } })
        const os = await loadObservations(t.db, { orgId: S.orgId, childIds: [S.zoe.id], visibleTo: { ability: guardian } })
        return { results: rs.filter((r) => r.activityId === a.id).length, obs: os.filter((o) => o.id === obs!.id).length }
      }
      expect(await seen()).toEqual({ results: 0, obs: 0 })
      const [res] = await t.db
        .select()
        .from(results)
        .where(and(eq(results.activityId, a.id), eq(results.childId, S.zoe.id)))
      await setItemsPublished(t.db, { orgId: S.orgId, classId: S.a1, resultIds: [res!.id], observationIds: [obs!.id], publish: true, releaseAt: new Date(`${day(9)}T05:00:00Z`), by: by() })
      expect(await seen()).toEqual({ results: 0, obs: 0 })
      clock.set(`${day(8)}T23:00:00Z`)
      expect(await seen()).toEqual({ results: 0, obs: 0 })
      clock.set(`${day(9)}T06:00:00Z`)
      expect(await seen()).toEqual({ results: 1, obs: 1 })
      await setItemsPublished(t.db, { orgId: S.orgId, classId: S.a1, resultIds: [], observationIds: [obs!.id], publish: false, by: by() })
      expect(await seen()).toEqual({ results: 1, obs: 0 })
    } finally {
      clock.restore()
    }
  })

  test('publishing a whole activity also publishes the results that come in later', async () => {
    const a = await quiz(S.a1, null, 'Publiée en bloc')
    await submitQuiz(t.db, { childId: S.zoe.id, activityId: a.id, answers: [0, 1], origin })
    const r = await setActivitiesPublished(t.db, { orgId: S.orgId, classId: S.a1, activityIds: [a.id], publish: true, by: by() })
    expect(r.results).toBe(1)
    await submitQuiz(t.db, { childId: S.hugo.id, activityId: a.id, answers: [1, 1], origin })
    const rows = await t.db.select().from(results).where(eq(results.activityId, a.id))
    expect(rows.every((x) => x.publishedAt !== null)).toBe(true)
    // A teacher of another class cannot publish this class's items.
    await expect(setActivitiesPublished(t.db, { orgId: S.orgId, classId: S.a2, activityIds: [a.id], publish: false, by: by() })).rejects.toThrow(/not_found/)
  })

  test('the record page: the guardian sees published items only; another child of the class is refused', async () => {
    const a = await quiz(S.a1, null, 'Vue parent')
    await submitQuiz(t.db, { childId: S.zoe.id, activityId: a.id, answers: [0, 1], origin })
    await recordObservations(t.db, {
      orgId: S.orgId,
      classId: S.a1,
      skillId: S.skill,
      observedOn: '2026-04-02',
      entries: [{ childId: S.zoe.id, level: 'not_yet', note: 'Note jamais publiée' }],
      by: by(),
    })
    await setActivitiesPublished(t.db, { orgId: S.orgId, classId: S.a1, activityIds: [a.id], publish: true, by: by() })
    const cookie = await cookieOf(S.guardian.id)
    const r = await call(recordPage.loader, `/org/${S.orgId}/children/${S.zoe.id}/record`, { orgId: S.orgId, childId: S.zoe.id }, cookie)
    expect(r.status).toBe(200)
    expect(r.data.staff).toBe(false)
    expect(r.data.results.map((x: { title: string }) => x.title)).toContain('Vue parent')
    expect(JSON.stringify(r.data)).not.toContain('Note jamais publiée')
    expect(r.data.results.every((x: { state: string }) => x.state === 'published')).toBe(true)
    const other = await call(recordPage.loader, `/org/${S.orgId}/children/${S.hugo.id}/record`, { orgId: S.orgId, childId: S.hugo.id }, cookie)
    expect(other.status).toBe(403)
    // And the guardian cannot publish.
    const post = await call(recordPage.action, `/org/${S.orgId}/children/${S.zoe.id}/record`, { orgId: S.orgId, childId: S.zoe.id }, cookie, { intent: 'publish', resultId: 'x' })
    expect(post.data?.formError ?? post.status).toBeTruthy()
    const teacherView = await call(recordPage.loader, `/org/${S.orgId}/children/${S.zoe.id}/record`, { orgId: S.orgId, childId: S.zoe.id }, await cookieOf(S.teacher.id))
    expect(JSON.stringify(teacherView.data)).toContain('Note jamais publiée')
  })

  test('the child’s progress page: their own results, published levels only, nothing of a classmate', async () => {
    await recordObservations(t.db, { orgId: S.orgId, classId: S.a1, skillId: S.skill2, observedOn: '2026-03-03', entries: [{ childId: S.zoe.id, level: 'acquired', note: 'Brouillon' }], by: by() })
    const r = await call(progressPage.loader, '/me/activities', {}, await cookieOf(S.zoe.id, 'child'))
    expect(r.status).toBe(200)
    expect(r.data.results.length).toBeGreaterThan(0)
    expect(JSON.stringify(r.data)).not.toContain('Brouillon')
    expect(r.data.skills.every((s: { level: string }) => typeof s.level === 'string')).toBe(true)
    const hugo = await call(progressPage.loader, '/me/activities', {}, await cookieOf(S.hugo.id, 'child'))
    expect(JSON.stringify(hugo.data)).not.toContain(S.zoe.id)
    expect((await call(progressPage.loader, '/me/activities', {}, await cookieOf(S.teacher.id))).status).toBe(403)
  })

  test('policy: the child reads their own record, not a classmate’s', () => {
    const ability = defineAbilityFor({ userId: S.zoe.id, kind: 'child', memberships: [{ orgId: S.orgId, role: 'child' }], teaching: [], linkedChildren: [], isOperator: false })
    expect(ability.can('read', subject('LearningRecord', { orgId: S.orgId, childId: S.zoe.id, classIds: [S.a1], published: false }) as never)).toBe(true)
    expect(ability.can('read', subject('LearningRecord', { orgId: S.orgId, childId: S.hugo.id, classIds: [S.a1], published: true }) as never)).toBe(false)
  })
})

describe('the demo', () => {
  test('CM1 A has skills, a published quiz with results, and observations', async () => {
    const db = t.db
    const info = await seedDemo(db)
    expect(info.childCode?.classCode).toBe('JFCM1A')
    const [cm1] = await db.select().from(classes).where(eq(classes.loginCode, 'JFCM1A'))
    const grid = await classGrid(db, { orgId: cm1!.orgId, classId: cm1!.id })
    expect(grid.activities.map((a) => a.title)).toEqual(['Les fractions simples', 'Lecture à voix haute'])
    const withResults = grid.children.filter((c) => Object.keys(grid.results[c.id] ?? {}).length)
    expect(withResults).toHaveLength(4)
    expect(grid.activities[0]!.published).toBe(1)
    expect(Object.keys(grid.obsByActivity).length).toBe(4)
  })
})

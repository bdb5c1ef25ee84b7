// The class grid's cache against a real database: each kind of write that changes what a class
// grid shows moves the class's version (database triggers, the class_grid_versions migration), and the next page
// shows the change; a read with nothing changed reuses the cached grid; a write by another
// connection (another process) invalidates this process's copy; and a cached grid is never
// served to someone the policy refuses.
import postgres from 'postgres'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { classGridVersions, classes } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { useFakeClock } from '~/clock.server'
import { createActivity, deleteActivity } from '~/models/learning/activities.server'
import { submitQuiz } from '~/models/learning/child-quiz.server'
import { classGridCacheStats, clearClassGridCache } from '~/models/learning/grid-cache.server'
import { recordObservations } from '~/models/learning/observations.server'
import { setActivitiesPublished } from '~/models/learning/publish.server'
import { listSkills, updateSkill } from '~/models/learning/skills.server'
import { commitImport } from '~/models/roster-import/commit.server'
import { confirmImport, createImport } from '~/models/roster-import/imports.server'
import { requestDeletion } from '~/privacy/erasure/requests.server'
import { runDeletion } from '~/privacy/erasure/run.server'
import { unpackCells, type PackedView } from '~/ui/learning/grid-view'
import * as gridRoute from '~/routes/org.$orgId.classes.$classId_.learning'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach } from '../helpers/factories'

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>
type GridData = { grid: { view: PackedView | null; activities: { id: string; title: string; published: number }[] } }

let t: Awaited<ReturnType<typeof useTestDatabase>>
const origin = { ip: '127.0.0.1', userAgent: 'vitest' }
const S = {} as { orgId: string; classId: string; otherClassId: string; teacher: string; admin: string; zoe: string; hugo: string; skill: string; skill2: string }
const cookies = new Map<string, string>()

async function cookieOf(userId: string) {
  if (!cookies.has(userId)) cookies.set(userId, `carnet_session=${(await createSession(t.db, userId, { kind: 'adult' })).token}`)
  return cookies.get(userId)!
}

/** The grid page's loader as the app runs it; `islands` set for a document request. */
async function open(userId: string, a: { orgId?: string; classId?: string; query?: string; islands?: Map<string, string> } = {}) {
  const orgId = a.orgId ?? S.orgId
  const classId = a.classId ?? S.classId
  const request = new Request(`http://localhost/org/${orgId}/classes/${classId}/learning${a.query ?? ''}`, {
    headers: { cookie: await cookieOf(userId), 'user-agent': 'vitest', 'x-carnet-remote-addr': '127.0.0.9' },
  })
  try {
    return { status: 200, data: (await (gridRoute.loader as unknown as Fn)({ request, params: { orgId, classId }, context: a.islands ? { islands: a.islands } : {} })) as GridData }
  } catch (e) {
    if (e instanceof Response) return { status: e.status, data: null }
    throw e
  }
}

/** The grid as the teacher sees it: "child name" → the cells' texts, and whether it came from the cache. */
async function grid(classId = S.classId, userId = S.teacher) {
  const before = classGridCacheStats()
  const r = await open(userId, { classId })
  expect(r.status).toBe(200)
  const after = classGridCacheStats()
  const view = r.data!.grid.view!
  const rows = Object.fromEntries(view.rows.map((row) => [row.name, unpackCells(view, row.cells).map((c) => (c ? c[0] : ''))]))
  return { rows, columns: view.columns.map((c) => c.title), activities: r.data!.grid.activities, cached: after.hits === before.hits + 1 && after.misses === before.misses }
}

async function version(classId = S.classId) {
  const [row] = await t.db.select().from(classGridVersions).where(eq(classGridVersions.classId, classId))
  return row?.version ?? 0
}

/** `write()` moves the class's version, and the next grid is read afresh (not from the cache). */
async function afterWrite<T>(write: () => Promise<T>, classId = S.classId) {
  const warm = await grid(classId)
  const again = await grid(classId)
  expect(again.cached).toBe(true) // nothing written: the same grid, from the cache
  expect(again.rows).toEqual(warm.rows)
  const v = await version(classId)
  const out = await write()
  expect(await version(classId)).not.toBe(v)
  const next = await grid(classId)
  expect(next.cached).toBe(false)
  return { before: warm, after: next, out }
}

const by = () => ({ actorId: S.teacher, ...origin })
const quiz = (title: string) =>
  createActivity(t.db, {
    orgId: S.orgId,
    classId: S.classId,
    kind: 'quiz',
    title,
    skillIds: [S.skill],
    questions: [
      { text: 'Un demi plus un demi ?', choices: ['Un', 'Deux'], correctIndex: 0 },
      { text: 'Le plus grand ?', choices: ['Un tiers', 'Un demi'], correctIndex: 1 },
    ],
    by: by(),
  })

beforeAll(async () => {
  t = await useTestDatabase()
  const db = t.db
  const org = await makeOrg(db, 'school', 'École du cache')
  const klass = await makeClass(db, org.id, 'CM1 cache')
  const other = await makeClass(db, org.id, 'CM1 voisine')
  const teacher = await makeAdult(db, { orgId: org.id, role: 'teacher' })
  const admin = await makeAdult(db, { orgId: org.id, role: 'admin' })
  await teach(db, { orgId: org.id, classId: klass.id, userId: teacher.id })
  const zoe = await makeChild(db, { orgId: org.id, classId: klass.id, firstName: 'Zoé', lastName: 'Müller' })
  const hugo = await makeChild(db, { orgId: org.id, classId: klass.id, firstName: 'Hugo', lastName: 'Martin' })
  const skills = await listSkills(db, { orgId: org.id })
  Object.assign(S, { orgId: org.id, classId: klass.id, otherClassId: other.id, teacher: teacher.id, admin: admin.id, zoe: zoe.id, hugo: hugo.id, skill: skills[0]!.id, skill2: skills[1]!.id })
})
afterAll(() => dropTestDatabase(t.name))
beforeEach(() => clearClassGridCache())

describe('each kind of write invalidates the class grid', () => {
  test('activity created, result saved, publication, activity edited, activity deleted', async () => {
    const created = await afterWrite(() => quiz('Fractions'))
    expect(created.after.columns).toEqual([...created.before.columns, 'Fractions'])
    const a = created.out

    const saved = await afterWrite(() => submitQuiz(t.db, { childId: S.zoe, activityId: a.id, answers: [0, 1], origin }))
    expect(saved.before.rows['Zoé Müller']).toEqual([''])
    expect(saved.after.rows['Zoé Müller']).toEqual(['2/2'])

    const published = await afterWrite(() => setActivitiesPublished(t.db, { orgId: S.orgId, classId: S.classId, activityIds: [a.id], publish: true, by: by() }))
    expect(published.before.activities.find((x) => x.id === a.id)!.published).toBe(0)
    expect(published.after.activities.find((x) => x.id === a.id)!.published).toBe(1)

    // No page edits an activity's title today: whatever writes it, the trigger sees it.
    const edited = await afterWrite(() => t.sql`update activities set title = 'Fractions (bis)' where id = ${a.id}`)
    expect(edited.after.columns).toEqual(['Fractions (bis)'])

    const deleted = await afterWrite(() => deleteActivity(t.db, { orgId: S.orgId, classId: S.classId, activityId: a.id, by: by() }))
    expect(deleted.after.columns).toEqual([])
  })

  test('observation added; a skill renamed', async () => {
    const session = await createActivity(t.db, { orgId: S.orgId, classId: S.classId, kind: 'observation', title: 'Lecture', skillIds: [S.skill2], by: by() })
    const observed = await afterWrite(() =>
      recordObservations(t.db, {
        orgId: S.orgId,
        classId: S.classId,
        activityId: session.id,
        skillId: S.skill2,
        observedOn: '2026-01-05',
        entries: [{ childId: S.hugo, level: 'acquired' }],
        by: by(),
      }),
    )
    expect(observed.before.rows['Hugo Martin']).toEqual([''])
    expect(observed.after.rows['Hugo Martin']).toEqual(['Acquis'])
    const [skill] = (await listSkills(t.db, { orgId: S.orgId })).filter((s) => s.id === S.skill2)
    await afterWrite(() => updateSkill(t.db, { orgId: S.orgId, skillId: S.skill2, code: 'LIRE-X', label: skill!.label, domain: skill!.domain, cycle: skill!.cycle, by: by() }))
    const bySkill = await open(S.teacher, { query: '?view=skills' })
    expect(bySkill.data!.grid.view!.columns.map((c) => c.title)).toContain('LIRE-X')
    await deleteActivity(t.db, { orgId: S.orgId, classId: S.classId, activityId: session.id, by: by() })
  })

  test('a scheduled publication coming due: the cached grid expires at that moment', async () => {
    const clock = useFakeClock('2026-03-02T08:00:00Z')
    try {
      const a = await quiz('Programmée')
      await submitQuiz(t.db, { childId: S.zoe, activityId: a.id, answers: [0, 0], origin })
      await setActivitiesPublished(t.db, { orgId: S.orgId, classId: S.classId, activityIds: [a.id], publish: true, releaseAt: new Date('2026-03-05T00:00:00Z'), by: by() })
      expect((await grid()).activities.find((x) => x.id === a.id)!.published).toBe(2)
      expect((await grid()).cached).toBe(true)
      clock.set('2026-03-05T00:00:01Z')
      const due = await grid()
      expect(due.cached).toBe(false)
      expect(due.activities.find((x) => x.id === a.id)!.published).toBe(1)
      await deleteActivity(t.db, { orgId: S.orgId, classId: S.classId, activityId: a.id, by: by() })
    } finally {
      clock.restore()
    }
  })

  test('a child erased: gone from the grid of their class', async () => {
    const leo = await makeChild(t.db, { orgId: S.orgId, classId: S.classId, firstName: 'Léo', lastName: 'Effacé' })
    const erased = await afterWrite(async () => {
      const req = await requestDeletion(t.db, { subjectId: leo.id, orgId: S.orgId, requestedBy: S.admin, role: 'admin', reason: 'left_school' })
      expect((await runDeletion(t.db, req.id)).status).toBe('erased')
    })
    expect(Object.keys(erased.before.rows)).toContain('Léo Effacé')
    expect(Object.keys(erased.after.rows)).not.toContain('Léo Effacé')
  })

  test('a class renamed (the table’s caption names it)', async () => {
    const islands = new Map<string, string>()
    await afterWrite(() => t.db.update(classes).set({ name: 'CM1 cache renommée' }).where(eq(classes.id, S.classId)))
    await open(S.teacher, { islands })
    expect([...islands.values()][0]).toContain('CM1 cache renommée')
  })
})

describe('the roster import: children joining, renamed, leaving', () => {
  const HEADER = 'Nom;Prénom;Date de naissance;Classe;Groupe;Identifiant;Email responsable 1;Email responsable 2'
  const csv = (lines: string[]) => [{ name: 'eleves.csv', bytes: Buffer.from([HEADER, ...lines].join('\r\n') + '\r\n', 'utf8') }]
  async function importRoster(lines: string[], archive: (plan: NonNullable<Awaited<ReturnType<typeof createImport>>['plan']>) => string[] = () => []) {
    const created = await createImport(t.db, { orgId: S.orgId, actorId: S.admin, files: csv(lines), schoolYear: '2026-2027' })
    const archiveChildIds = archive(created.plan!)
    await confirmImport(t.db, { orgId: S.orgId, importId: created.id, actorId: S.admin, archiveChildIds, origin })
    return commitImport(t.db, { orgId: S.orgId, importId: created.id, actorId: S.admin, origin })
  }

  test('each import that changes the class moves its version; the admin’s grid follows', async () => {
    const first = await importRoster(['Durand;Inès;03/04/2019;CE1 roster;;INE901;;', 'Petit;Tom;05/06/2019;CE1 roster;;INE902;;'])
    expect(first.childrenCreated).toBe(2)
    const [cls] = await t.db.select().from(classes).where(eq(classes.name, 'CE1 roster'))
    const names = async () => Object.keys((await grid(cls!.id, S.admin)).rows).sort()
    expect(await names()).toEqual(['Inès Durand', 'Tom Petit'])

    const adminAfterWrite = async (write: () => Promise<unknown>) => {
      await grid(cls!.id, S.admin)
      expect((await grid(cls!.id, S.admin)).cached).toBe(true)
      const v = await version(cls!.id)
      await write()
      expect(await version(cls!.id)).not.toBe(v)
      const next = await grid(cls!.id, S.admin)
      expect(next.cached).toBe(false)
      return Object.keys(next.rows).sort()
    }
    // A child joins.
    expect(
      await adminAfterWrite(() => importRoster(['Durand;Inès;03/04/2019;CE1 roster;;INE901;;', 'Petit;Tom;05/06/2019;CE1 roster;;INE902;;', 'Roux;Jade;01/01/2019;CE1 roster;;INE903;;'])),
    ).toEqual(['Inès Durand', 'Jade Roux', 'Tom Petit'])
    // A child renamed.
    expect(
      await adminAfterWrite(() => importRoster(['Durand;Inés;03/04/2019;CE1 roster;;INE901;;', 'Petit;Tom;05/06/2019;CE1 roster;;INE902;;', 'Roux;Jade;01/01/2019;CE1 roster;;INE903;;'])),
    ).toEqual(['Inés Durand', 'Jade Roux', 'Tom Petit'])
    // A child leaves (archived by the admin).
    expect(
      await adminAfterWrite(() =>
        importRoster(['Durand;Inés;03/04/2019;CE1 roster;;INE901;;', 'Petit;Tom;05/06/2019;CE1 roster;;INE902;;'], (plan) => plan.missing.filter((m) => m.firstName === 'Jade').map((m) => m.childId)),
      ),
    ).toEqual(['Inés Durand', 'Tom Petit'])
  })
})

describe('across processes', () => {
  test('a write from another connection invalidates this process’s cached grid', async () => {
    const a = await quiz('Par ailleurs')
    await submitQuiz(t.db, { childId: S.hugo, activityId: a.id, answers: [0, 0], origin })
    expect((await grid()).rows['Hugo Martin']).toEqual(['1/2'])
    expect((await grid()).cached).toBe(true)
    // Another process: its own connection, as the runtime role, no code of ours.
    const elsewhere = postgres(t.url, { max: 1, onnotice: () => {} })
    try {
      await elsewhere`update results set score = 2 where activity_id = ${a.id} and child_id = ${S.hugo}`
    } finally {
      await elsewhere.end()
    }
    const next = await grid()
    expect(next.cached).toBe(false)
    expect(next.rows['Hugo Martin']).toEqual(['2/2'])
    await deleteActivity(t.db, { orgId: S.orgId, classId: S.classId, activityId: a.id, by: by() })
  })
})

describe('concurrent writers', () => {
  test('two transactions moving a class’s version for the first time: the later commit moves it again', async () => {
    const fresh = await makeClass(t.db, S.orgId, 'CM2 en même temps')
    expect(await version(fresh.id)).toBe(0)
    const a = postgres(t.url, { max: 1, onnotice: () => {} })
    const b = postgres(t.url, { max: 1, onnotice: () => {} })
    const gate = () => {
      let open!: () => void
      const p = new Promise<void>((r) => (open = r))
      return { p, open }
    }
    const aWrote = gate()
    const aCommit = gate()
    const bWrote = gate()
    const bCommit = gate()
    try {
      const txA = a.begin(async (tx) => {
        await tx`insert into groups (org_id, class_id, name) values (${S.orgId}, ${fresh.id}, 'Groupe A')`
        aWrote.open()
        await aCommit.p
      })
      await aWrote.p
      // B's first bump meets A's uncommitted row and waits for A.
      const txB = b.begin(async (tx) => {
        await tx`insert into groups (org_id, class_id, name) values (${S.orgId}, ${fresh.id}, 'Groupe B')`
        bWrote.open()
        await bCommit.p
      })
      // Wait until B really waits on A's lock before A commits.
      for (let i = 0; i < 100; i++) {
        const [w] = await t.sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
        if (w!.n > 0) break
        await new Promise((r) => setTimeout(r, 50))
      }
      aCommit.open()
      await txA
      await bWrote.p
      const afterA = await version(fresh.id)
      expect(afterA).not.toBe(0)
      // A process caches the grid now: it has A's group, not B's.
      const cached = await open(S.admin, { classId: fresh.id })
      expect(cached.data!.grid.view).not.toBeUndefined()
      bCommit.open()
      await txB
      expect(await version(fresh.id)).not.toBe(afterA)
      const before = classGridCacheStats()
      await open(S.admin, { classId: fresh.id })
      expect(classGridCacheStats().misses).toBe(before.misses + 1)
    } finally {
      await a.end()
      await b.end()
    }
  })
})

describe('permissions still decide on every request', () => {
  test('a cached grid is refused to a teacher of another class, and to another organization’s admin', async () => {
    await grid()
    expect((await grid()).cached).toBe(true)
    const stats = classGridCacheStats()
    const neighbour = await makeAdult(t.db, { orgId: S.orgId, role: 'teacher' })
    await teach(t.db, { orgId: S.orgId, classId: S.otherClassId, userId: neighbour.id })
    expect((await open(neighbour.id)).status).toBe(403)
    const elsewhere = await makeOrg(t.db, 'school', 'Une autre école')
    const stranger = await makeAdult(t.db, { orgId: elsewhere.id, role: 'admin' })
    expect((await open(stranger.id)).status).toBe(403)
    // Same class id under the stranger's own organization: not found there.
    expect((await open(stranger.id, { orgId: elsewhere.id })).status).toBe(404)
    // None of them reached the cache.
    expect(classGridCacheStats()).toMatchObject({ hits: stats.hits, misses: stats.misses })
  })
})

describe('one representation of the cells', () => {
  test('a document request gets the table as HTML (an island) and no packed cells; a data request the packed cells only', async () => {
    const islands = new Map<string, string>()
    const page = await open(S.teacher, { islands })
    expect(page.data!.grid.view).toBeNull()
    const html = [...islands.values()][0]!
    expect(html).toMatch(/^<table class="lg-grid"/)
    expect(html).toContain('Zoé Müller')
    const data = await open(S.teacher)
    expect(data.data!.grid.view!.rows.map((r) => r.name)).toContain('Zoé Müller')
  })
})

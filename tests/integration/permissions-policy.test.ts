// The one policy (app/permissions/abilities.ts), rule by rule, on principals read from a real
// database the way every request reads them (loadPrincipal: memberships, classes taught,
// guardian links, retention periods, support grants). Each rule: who may, who may not — every
// role of school A, a guardian with and without a link, a child, school B's administrator, the
// operator with and without a support grant, and the same people once school A's contract ended.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { guardianLinks, organizations, skills } from '../../drizzle/schema'
import { DAY, now, useFakeClock } from '~/clock.server'
import { recordObservations } from '~/models/learning/observations.server'
import { setItemsPublished } from '~/models/learning/publish.server'
import { loadObservations } from '~/models/learning/record.server'
import { grantSupport } from '~/privacy/support-access/grants.server'
import { accountForDeletion } from '~/privacy/erasure/requests.server'
import { can, defineAbilityFor, deletionRequesterOf, mayAskErasure, otherDeletionRequesterOf, type Action, type AppAbility, type SubjectRows } from '~/permissions/abilities'
import { orgPages } from '~/permissions/pages'
import { loadPrincipal } from '~/permissions/principal.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg, teach } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))
afterEach(() => {
  clock?.restore()
  clock = null
})

type Who = 'admin' | 'teacher' | 'coteacher' | 'otherTeacher' | 'dpo' | 'guardian' | 'guardianNoConsent' | 'unlinkedGuardian' | 'child' | 'outsider' | 'operator'
const EVERYONE: Who[] = ['admin', 'teacher', 'coteacher', 'otherTeacher', 'dpo', 'guardian', 'guardianNoConsent', 'unlinkedGuardian', 'child', 'outsider', 'operator']

/** School A (class A1 with child Zoé, class A2), school B, and one person per role. */
async function world() {
  const orgA = await makeOrg(t.db)
  const orgB = await makeOrg(t.db)
  const a1 = await makeClass(t.db, orgA.id)
  const a2 = await makeClass(t.db, orgA.id)
  const child = await makeChild(t.db, { orgId: orgA.id, classId: a1.id })
  const people = {
    admin: await makeAdult(t.db, { orgId: orgA.id, role: 'admin' }),
    teacher: await makeAdult(t.db, { orgId: orgA.id, role: 'teacher' }),
    coteacher: await makeAdult(t.db, { orgId: orgA.id, role: 'teacher' }),
    otherTeacher: await makeAdult(t.db, { orgId: orgA.id, role: 'teacher' }),
    dpo: await makeAdult(t.db, { orgId: orgA.id, role: 'dpo' }),
    guardian: await makeAdult(t.db, { orgId: orgA.id, role: 'guardian' }),
    guardianNoConsent: await makeAdult(t.db, { orgId: orgA.id, role: 'guardian' }),
    unlinkedGuardian: await makeAdult(t.db, { orgId: orgA.id, role: 'guardian' }),
    child,
    outsider: await makeAdult(t.db, { orgId: orgB.id, role: 'admin' }),
    operator: await makeAdult(t.db),
  }
  await teach(t.db, { orgId: orgA.id, classId: a1.id, userId: people.teacher.id })
  await teach(t.db, { orgId: orgA.id, classId: a1.id, userId: people.coteacher.id, role: 'co' })
  await teach(t.db, { orgId: orgA.id, classId: a2.id, userId: people.otherTeacher.id })
  const link = (guardianId: string, rights: { canGiveConsent: boolean; canSeeRecord: boolean }) =>
    t.db
      .insert(guardianLinks)
      .values({ orgId: orgA.id, childId: child.id, guardianId, legalStatus: 'parent', ...rights, startedAt: new Date(now().getTime() - DAY), createdBy: people.admin.id, createdAt: now() })
  await link(people.guardian.id, { canGiveConsent: true, canSeeRecord: true })
  await link(people.guardianNoConsent.id, { canGiveConsent: false, canSeeRecord: false })
  process.env.CARNET_OPERATOR_IDS = people.operator.id
  const abilities = async () => {
    const out = {} as Record<Who, AppAbility>
    for (const w of EVERYONE) out[w] = defineAbilityFor(await loadPrincipal(t.db, people[w]))
    return out
  }
  return { orgA, orgB, a1, a2, child, people, abilities }
}

/** The people `ability` lets do `action` on the row. */
function allowed<S extends keyof SubjectRows>(abilities: Record<Who, AppAbility>, action: Action, name: S, row: SubjectRows[S]) {
  return EVERYONE.filter((w) => can(abilities[w], action, name, row))
}

describe('the policy, rule by rule', () => {
  test("pages: the staff area, the class list, the privacy area, the access review, the DPO's logs", async () => {
    const w = await world()
    const ab = await w.abilities()
    const orgId = w.orgA.id
    expect(allowed(ab, 'read', 'StaffArea', { orgId })).toEqual(['admin', 'teacher', 'coteacher', 'otherTeacher', 'dpo'])
    expect(allowed(ab, 'list', 'Class', { orgId })).toEqual(['admin', 'teacher', 'coteacher', 'otherTeacher'])
    expect(allowed(ab, 'read', 'PrivacyArea', { orgId })).toEqual(['admin', 'dpo'])
    expect(allowed(ab, 'administer', 'PrivacyArea', { orgId })).toEqual(['admin'])
    expect(allowed(ab, 'read', 'AccessReview', { orgId })).toEqual(['admin', 'dpo'])
    for (const log of ['AuditLog', 'ConsentLog', 'RightsRequest'] as const) expect(allowed(ab, 'read', log, { orgId })).toEqual(['admin', 'dpo'])
    // School B's pages: its own administrator only.
    expect(allowed(ab, 'read', 'StaffArea', { orgId: w.orgB.id })).toEqual(['outsider'])
    expect(allowed(ab, 'read', 'PrivacyArea', { orgId: w.orgB.id })).toEqual(['outsider'])
    // The organization's home: its adults (a guardian once linked); a child's space is /me.
    expect(allowed(ab, 'read', 'Organization', { id: orgId, orgId })).toEqual(['admin', 'teacher', 'coteacher', 'otherTeacher', 'dpo', 'guardian', 'guardianNoConsent'])
    expect(allowed(ab, 'read', 'ChildSpace', { userId: w.child.id })).toEqual(['child'])
    // The operator's registers: the operator only.
    expect(allowed(ab, 'read', 'PlatformRegister', {})).toEqual(['operator'])
    expect(allowed(ab, 'create', 'RightsRequest', {})).toEqual(['operator']) // logging a request received by the platform
  })

  test("a child's record page: the child's teachers, the admins, a guardian whose link shows the record", async () => {
    const w = await world()
    const ab = await w.abilities()
    const row = { orgId: w.orgA.id, childId: w.child.id, classIds: [w.a1.id] }
    expect(allowed(ab, 'read', 'ChildRecord', row)).toEqual(['admin', 'teacher', 'coteacher', 'guardian'])
    // The same child seen from school B's address: nobody of school A, not B's admin either.
    expect(allowed(ab, 'read', 'ChildRecord', { ...row, orgId: w.orgB.id })).toEqual(['outsider'])
  })

  test('the record items are filtered in SQL: a guardian reads the published ones, teachers their classes, strangers nothing', async () => {
    const w = await world()
    const [skill] = await t.db
      .insert(skills)
      .values({ orgId: w.orgA.id, code: `P-${w.a1.id.slice(0, 6)}`, label: 'Compter', domain: 'Nombres', cycle: 2, createdAt: now() })
      .returning()
    const by = { actorId: w.people.teacher.id, ip: null, userAgent: null }
    const day = now().toISOString().slice(0, 10)
    const [draft] = await recordObservations(t.db, { orgId: w.orgA.id, classId: w.a1.id, skillId: skill!.id, observedOn: day, entries: [{ childId: w.child.id, level: 'in_progress' }], by })
    const [shown] = await recordObservations(t.db, { orgId: w.orgA.id, classId: w.a1.id, skillId: skill!.id, observedOn: day, entries: [{ childId: w.child.id, level: 'acquired' }], by })
    await setItemsPublished(t.db, { orgId: w.orgA.id, classId: w.a1.id, resultIds: [], observationIds: [shown!.id], publish: true, by })
    const ab = await w.abilities()
    const seen = async (who: Who) => (await loadObservations(t.db, { orgId: w.orgA.id, childIds: [w.child.id], visibleTo: { ability: ab[who] } })).map((o) => o.id).sort()
    const both = [draft!.id, shown!.id].sort()
    expect(await seen('admin')).toEqual(both)
    expect(await seen('teacher')).toEqual(both)
    expect(await seen('coteacher')).toEqual(both)
    expect(await seen('guardian')).toEqual([shown!.id])
    for (const who of ['otherTeacher', 'dpo', 'guardianNoConsent', 'unlinkedGuardian', 'outsider', 'operator'] as const) expect(await seen(who)).toEqual([])
    // The child reads their own items through their space.
    expect(await seen('child')).toEqual(both)
  })

  test('who may ask for an account to be deleted, and as whom', async () => {
    const w = await world()
    const ab = await w.abilities()
    const zoe = (await accountForDeletion(t.db, { orgId: w.orgA.id, userId: w.child.id }))!
    expect(zoe.consentGuardianIds).toEqual([w.people.guardian.id])
    // A school's pupil: the admin erases; the guardian may only ask the school's DPO.
    expect(zoe.orgKind).toBe('school')
    expect(allowed(ab, 'delete', 'Account', zoe)).toEqual(['admin'])
    expect(EVERYONE.filter((w) => mayAskErasure(ab[w], zoe))).toEqual(['guardian'])
    expect(deletionRequesterOf(ab.admin, zoe)).toBe('admin')
    expect(deletionRequesterOf(ab.guardian, zoe)).toBe(null)
    // The same child in a family space: the guardian erases directly, nobody asks.
    const family = { ...zoe, orgKind: 'family' }
    expect(deletionRequesterOf(ab.guardian, family)).toBe('guardian')
    expect(EVERYONE.filter((w) => mayAskErasure(ab[w], family))).toEqual([])
    // Without the organization's kind, a guardian gets neither (the rule fails closed).
    expect(allowed(ab, 'delete', 'Account', { ...zoe, orgKind: undefined })).toEqual(['admin'])
    // A teacher's own account: the teacher (self) and the school's admin.
    const teacher = (await accountForDeletion(t.db, { orgId: w.orgA.id, userId: w.people.teacher.id }))!
    expect(allowed(ab, 'delete', 'Account', teacher)).toEqual(['admin', 'teacher'])
    expect(deletionRequesterOf(ab.teacher, teacher)).toBe('self')
    expect(otherDeletionRequesterOf(ab.teacher, teacher)).toBe(null) // the member page is for others' accounts
    // Not a member of school B: nothing to delete from there (B's admin included).
    expect(await accountForDeletion(t.db, { orgId: w.orgB.id, userId: w.child.id })).toBe(null)
    // A guardian whose link lost its consent rights loses the right.
    await t.db.update(guardianLinks).set({ canGiveConsent: false }).where(eq(guardianLinks.guardianId, w.people.guardian.id))
    const again = (await accountForDeletion(t.db, { orgId: w.orgA.id, userId: w.child.id }))!
    expect(allowed(ab, 'delete', 'Account', again)).toEqual(['admin'])
  })

  test('who may cancel a deletion request within the grace period', async () => {
    const w = await world()
    const ab = await w.abilities()
    const byGuardian = { orgId: w.orgA.id, requestedBy: w.people.guardian.id, subjectId: w.child.id }
    // Whoever asked, an admin of the organization, and the person themself.
    expect(allowed(ab, 'cancel', 'DeletionRequest', byGuardian)).toEqual(['admin', 'guardian', 'child'])
    const own = { orgId: null, requestedBy: w.people.teacher.id, subjectId: w.people.teacher.id }
    expect(allowed(ab, 'cancel', 'DeletionRequest', own)).toEqual(['teacher'])
  })

  test('rights requests filed in the app: about oneself in one’s organizations, about a linked child', async () => {
    const w = await world()
    const ab = await w.abilities()
    const orgId = w.orgA.id
    for (const who of ['admin', 'teacher', 'dpo', 'guardian', 'unlinkedGuardian'] as const) expect(can(ab[who], 'create', 'RightsRequest', { orgId, subjectId: w.people[who].id })).toBe(true)
    expect(can(ab.outsider, 'create', 'RightsRequest', { orgId, subjectId: w.people.outsider.id })).toBe(false)
    expect(can(ab.teacher, 'create', 'RightsRequest', { orgId, subjectId: w.people.dpo.id })).toBe(false)
    expect(can(ab.guardian, 'create', 'RightsRequest', { orgId, subjectId: w.child.id })).toBe(true)
    expect(can(ab.unlinkedGuardian, 'create', 'RightsRequest', { orgId, subjectId: w.child.id })).toBe(false)
  })

  test('what the navigation offers each person in school A', async () => {
    const w = await world()
    const ab = await w.abilities()
    const open = async (who: Who) => {
      const pages = orgPages({ principal: await loadPrincipal(t.db, w.people[who]), ability: ab[who] }, w.orgA.id)
      return Object.entries(pages)
        .filter(([, v]) => v)
        .map(([k]) => k)
    }
    expect(await open('admin')).toEqual(['administer', 'classes', 'exports', 'import', 'members', 'invitations', 'guardians', 'guardianAlerts', 'dpo', 'privacy', 'privacyAdmin'])
    expect(await open('teacher')).toEqual(['classes', 'exports'])
    expect(await open('otherTeacher')).toEqual(['classes', 'exports'])
    expect(await open('dpo')).toEqual(['exports', 'members', 'guardians', 'dpo', 'privacy'])
    expect(await open('guardian')).toEqual(['myChildren'])
    expect(await open('unlinkedGuardian')).toEqual(['myChildren'])
    expect(await open('child')).toEqual(['childSpaceOnly'])
    expect(await open('outsider')).toEqual([])
    expect(await open('operator')).toEqual([])
  })
})

describe('request-time facts in the policy', () => {
  test('during a support grant the operator reads learning data, and opens none of the staff or privacy pages', async () => {
    const w = await world()
    const row = { orgId: w.orgA.id, childId: w.child.id, classIds: [w.a1.id] }
    const before = await w.abilities()
    expect(can(before.operator, 'read', 'LearningRecord', { ...row, published: true })).toBe(false)
    await grantSupport(t.db, { orgId: w.orgA.id, by: w.people.admin.id, reason: 'Import bloqué', hours: 2 })
    const op = defineAbilityFor(await loadPrincipal(t.db, w.people.operator))
    expect(can(op, 'read', 'LearningRecord', { ...row, published: true })).toBe(true)
    expect(can(op, 'read', 'Child', { orgId: w.orgA.id, id: w.child.id, classIds: [w.a1.id] })).toBe(true)
    expect(can(op, 'update', 'Child', { orgId: w.orgA.id, id: w.child.id, classIds: [w.a1.id] })).toBe(false)
    expect(can(op, 'read', 'Child', { orgId: w.orgB.id, id: w.child.id })).toBe(false)
    for (const page of ['StaffArea', 'PrivacyArea', 'AccessReview'] as const) expect(can(op, 'read', page, { orgId: w.orgA.id })).toBe(false)
    expect(can(op, 'read', 'ChildRecord', row)).toBe(false)
    expect(can(op, 'read', 'AuditLog', { orgId: w.orgA.id })).toBe(false)
  })

  test('the retention period after the contract: the admins see, export, ask for (or cancel) deletion; nobody else anything', async () => {
    clock = useFakeClock('2027-09-01T08:00:00Z')
    const w = await world()
    await t.db
      .update(organizations)
      .set({ subscriptionEndsAt: new Date(now().getTime() - DAY) })
      .where(eq(organizations.id, w.orgA.id))
    const ab = await w.abilities()
    const orgId = w.orgA.id
    expect(allowed(ab, 'read', 'Organization', { id: orgId, orgId })).toEqual(['admin'])
    expect(allowed(ab, 'delete', 'Organization', { id: orgId, orgId })).toEqual(['admin'])
    expect(allowed(ab, 'export', 'LearningRecord', { orgId, classIds: [w.a1.id] })).toEqual(['admin'])
    expect(allowed(ab, 'read', 'StaffArea', { orgId })).toEqual(['admin'])
    expect(allowed(ab, 'read', 'PrivacyArea', { orgId })).toEqual(['admin'])
    expect(allowed(ab, 'administer', 'PrivacyArea', { orgId })).toEqual(['admin'])
    expect(allowed(ab, 'cancel', 'DeletionRequest', { orgId, requestedBy: w.people.dpo.id, subjectId: w.people.teacher.id })).toEqual(['admin', 'teacher', 'dpo'])
    // Nothing else: no class list, no access review, no logs, no record, no update.
    expect(allowed(ab, 'list', 'Class', { orgId })).toEqual([])
    expect(allowed(ab, 'read', 'AccessReview', { orgId })).toEqual([])
    expect(allowed(ab, 'read', 'AuditLog', { orgId })).toEqual([])
    expect(allowed(ab, 'read', 'ChildRecord', { orgId, childId: w.child.id, classIds: [w.a1.id] })).toEqual([])
    expect(allowed(ab, 'update', 'Organization', { id: orgId, orgId })).toEqual([])
    // The people's own rights outlive the contract: asking for a deletion (the admin for a member, a guardian for the child).
    const zoe = (await accountForDeletion(t.db, { orgId, userId: w.child.id }))!
    expect(allowed(ab, 'delete', 'Account', zoe)).toEqual(['admin'])
    expect(EVERYONE.filter((w) => mayAskErasure(ab[w], zoe))).toEqual(['guardian'])
    // School B is untouched.
    expect(allowed(ab, 'read', 'StaffArea', { orgId: w.orgB.id })).toEqual(['outsider'])
  })
})

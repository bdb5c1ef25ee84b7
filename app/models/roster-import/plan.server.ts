// The dry run: compares a parsed roster with what the organization already holds and says
// what the commit would do. Writes nothing. The organization is loaded once into maps
// (loadOrgState: a handful of queries), so 10,000 rows cost no more queries than 10.
import { randomUUID } from 'node:crypto'
import type { DbOrTx } from '../../db.server'
import { foldKey } from '../roster/normalize.server'
import type { RosterChild } from '../roster/index.server'
import { loadOrgState, type ExistingChild, type ExistingInvitation } from './existing.server'
import { findErased, type ErasedMatch } from './erased.server'
import { guessLevel } from './source.server'
import type {
  ChildChange,
  ImportPlan,
  ImportRejection,
  ImportRoster,
  PlanChild,
  PlanChildUpdate,
  PlanClass,
  PlanErasedChild,
  PlanGroup,
  PlanGuardianExisting,
  PlanGuardianNew,
  PlanMissing,
  PlanOptions,
  PlanTeacher,
} from './types.server'
import { isGuardianRole, isTeacherRole } from '../../roles'

export type PlanInput = { orgId: string; roster: ImportRoster; schoolYear: string; options?: PlanOptions; erased?: Map<number, ErasedMatch> }

export async function planImport(db: DbOrTx, input: PlanInput): Promise<ImportPlan> {
  const state = await loadOrgState(db, input.orgId)
  // Rows that match no existing child are looked up among the organization's erasures.
  const known = computePlan(state, input)
  const erased = await findErased(db, input.orgId, known.children.create)
  return erased.size ? computePlan(state, { ...input, erased }) : known
}

const nameKey = (firstName: string, lastName: string, birthDate: string | null) => `${foldKey(firstName)}|${foldKey(lastName)}|${birthDate ?? ''}`

/** foldKey for values that repeat on many rows (class and group names): computed once each. */
function memoFold() {
  const memo = new Map<string, string>()
  return (value: string) => {
    let key = memo.get(value)
    if (key === undefined) memo.set(value, (key = foldKey(value)))
    return key
  }
}

/** The pure part of the dry run, given the organization's state. */
export function computePlan(state: Awaited<ReturnType<typeof loadOrgState>>, input: PlanInput): ImportPlan {
  const { roster, schoolYear } = input
  const options = input.options ?? {}
  const rejected: ImportRejection[] = [...roster.rejected]

  // --- classes of the school year, by folded name
  const classById = new Map(state.classes.map((c) => [c.id, c]))
  const yearClasses = new Map<string, { id: string; name: string; level: string | null }>()
  for (const c of state.classes) if (c.schoolYear === schoolYear && !yearClasses.has(foldKey(c.name))) yearClasses.set(foldKey(c.name), c)
  const classesCreate = new Map<string, PlanClass>()
  const classesUnchanged = new Map<string, PlanClass>()
  /** Folded class name → class id (existing or to be created), or null when refused. */
  const foldName = memoFold()
  const classFor = (name: string): string | null => {
    const key = foldName(name)
    const existing = yearClasses.get(key)
    if (existing) {
      if (!classesUnchanged.has(key)) classesUnchanged.set(key, { classId: existing.id, name: existing.name, level: existing.level })
      return existing.id
    }
    if (options.existingClassesOnly) return null
    let planned = classesCreate.get(key)
    if (!planned) {
      planned = { classId: randomUUID(), name, level: guessLevel(name) }
      classesCreate.set(key, planned)
      createdNames.set(planned.classId, name)
    }
    return planned.classId
  }
  const createdNames = new Map<string, string>()
  const classNameOf = (classId: string) => classById.get(classId)?.name ?? createdNames.get(classId) ?? null

  // --- groups, by class and folded name
  const groupByKey = new Map(state.groups.map((g) => [`${g.classId}|${foldKey(g.name)}`, g]))
  const groupById = new Map(state.groups.map((g) => [g.id, g]))
  const groupsCreate = new Map<string, PlanGroup>()
  const groupFor = (classId: string, className: string, name: string) => {
    const key = `${classId}|${foldName(name)}`
    const existing = groupByKey.get(key)
    if (existing) return existing.id
    let planned = groupsCreate.get(key)
    if (!planned) {
      planned = { groupId: randomUUID(), classId, className, name }
      groupsCreate.set(key, planned)
    }
    return planned.groupId
  }

  // --- existing children, by external id and by name + birth date
  const byExternal = new Map<string, ExistingChild>()
  const byName = new Map<string, ExistingChild>()
  for (const c of state.children) {
    if (c.externalId) byExternal.set(foldKey(c.externalId), c)
    if (c.birthDate) {
      const key = nameKey(c.firstName, c.lastName, c.birthDate)
      if (!byName.has(key)) byName.set(key, c)
    }
  }
  // The child's enrolments in classes of this school year.
  const yearEnrolments = new Map<string, { classId: string; groupId: string | null }[]>()
  for (const e of state.enrolments) {
    if (classById.get(e.classId)?.schoolYear !== schoolYear) continue
    const list = yearEnrolments.get(e.childId)
    if (list) list.push(e)
    else yearEnrolments.set(e.childId, [e])
  }

  // Pass 1: external ids; pass 2: names, for rows and children not matched yet.
  const matched = new Map<RosterChild, ExistingChild>()
  const claimed = new Set<string>()
  // (A new school has no children: both passes are skipped.)
  if (byExternal.size)
    for (const row of roster.children) {
      const hit = row.externalId ? byExternal.get(foldKey(row.externalId)) : undefined
      if (hit && !claimed.has(hit.id)) {
        matched.set(row, hit)
        claimed.add(hit.id)
      }
    }
  if (byName.size)
    for (const row of roster.children) {
      if (matched.has(row)) continue
      const hit = byName.get(nameKey(row.firstName, row.lastName, row.birthDate))
      // Two different external ids mean two different children, even with the same name.
      if (hit && !claimed.has(hit.id) && !(hit.externalId && row.externalId)) {
        matched.set(row, hit)
        claimed.add(hit.id)
      }
    }

  const create: PlanChild[] = []
  const update: PlanChildUpdate[] = []
  /** Guardian email → children of the file, in file order. */
  const childrenOfEmail = new Map<string, string[]>()
  const unchanged: PlanChild[] = []
  const erased: PlanErasedChild[] = []
  for (const row of roster.children) {
    const classId = classFor(row.className)
    if (!classId) {
      rejected.push({
        line: row.line,
        ...(roster.format === 'oneroster' && { file: 'users.csv' }),
        reason: 'unknown_class',
        detail: `class "${row.className}" does not exist for ${schoolYear}`,
        messageKey: 'roster.reject.unknown_class',
      })
      continue
    }
    const className = classNameOf(classId) ?? row.className
    const groupName = roster.groupsKnown ? (row.groupName ?? null) : null
    const groupId = groupName ? groupFor(classId, className, groupName) : null
    const existing = matched.get(row)
    const base: PlanChild = {
      line: row.line,
      childId: existing?.id ?? randomUUID(),
      externalId: row.externalId ?? existing?.externalId ?? null,
      firstName: row.firstName,
      lastName: row.lastName,
      birthDate: row.birthDate,
      className,
      groupName,
      classId,
      groupId,
      guardians: row.guardianEmails.length,
    }
    for (const email of row.guardianEmails) {
      const list = childrenOfEmail.get(email)
      if (list) list.push(base.childId)
      else childrenOfEmail.set(email, [base.childId])
    }
    if (!existing) {
      const erasure = input.erased?.get(row.line)
      if (erasure) erased.push({ ...base, erasure })
      else create.push(base)
      continue
    }
    const changes: ChildChange[] = []
    const diff = (field: ChildChange['field'], from: string | null, to: string | null) => {
      if (from !== to) changes.push({ field, from, to })
    }
    diff('firstName', existing.firstName, row.firstName)
    diff('lastName', existing.lastName, row.lastName)
    diff('birthDate', existing.birthDate, row.birthDate)
    if (row.externalId) diff('externalId', existing.externalId, row.externalId)
    diff('status', existing.status, 'active')
    const current = yearEnrolments.get(existing.id) ?? []
    const inClass = current.find((e) => e.classId === classId)
    let fromClassId: string | null = null
    if (!inClass) {
      fromClassId = current[0]?.classId ?? null
      diff('className', fromClassId ? classNameOf(fromClassId) : null, className)
    }
    if (roster.groupsKnown) {
      const currentGroup = inClass?.groupId ? (groupById.get(inClass.groupId)?.name ?? null) : null
      if (inClass) diff('groupName', currentGroup, groupName)
      else if (groupName) diff('groupName', null, groupName)
    } else if (inClass?.groupId) {
      // The file says nothing about groups: keep the child's group.
      base.groupName = groupById.get(inClass.groupId)?.name ?? null
      base.groupId = inClass.groupId
    }
    if (changes.length) update.push({ ...base, changes, fromClassId })
    else unchanged.push(base)
  }

  // --- teachers (OneRoster): existing teacher → assign classes; pending invitation → unchanged; else invite
  const teacherByEmail = new Map(state.teachers.map((t) => [t.email, t.userId]))
  const pendingStaff = new Map<string, ExistingInvitation>()
  for (const i of state.invitations) if (isTeacherRole(i.role) && i.pending && !pendingStaff.has(i.email)) pendingStaff.set(i.email, i)
  const taught = new Set(state.classTeachers.map((ct) => `${ct.classId}|${ct.userId}`))
  const teachersInvite: PlanTeacher[] = []
  const teachersUnchanged: PlanTeacher[] = []
  const assign: ImportPlan['teachers']['assign'] = []
  for (const t of roster.teachers) {
    const email = t.email.toLowerCase()
    const userId = teacherByEmail.get(email) ?? null
    const pending = pendingStaff.get(email)
    const entry: PlanTeacher = { ...t, email, userId, invitationId: userId ? null : (pending?.id ?? null) }
    if (userId) {
      for (const name of t.classNames) {
        const classId = classFor(name)
        if (!classId || taught.has(`${classId}|${userId}`)) continue
        taught.add(`${classId}|${userId}`)
        assign.push({ userId, classId, role: t.leadClassNames.includes(name) ? 'lead' : 'co' })
      }
      teachersUnchanged.push(entry)
    } else if (pending) teachersUnchanged.push(entry)
    else teachersInvite.push(entry)
  }

  // --- guardian invitations: one per email, covering every child of that email
  const guardianInvitations = new Map<string, ExistingInvitation[]>()
  for (const i of state.invitations) {
    if (!isGuardianRole(i.role)) continue
    const list = guardianInvitations.get(i.email)
    if (list) list.push(i)
    else guardianInvitations.set(i.email, [i])
  }
  const guardiansCreate: PlanGuardianNew[] = []
  const guardiansUnchanged: PlanGuardianExisting[] = []
  for (const [email, childIds] of childrenOfEmail) {
    const existing = guardianInvitations.get(email) ?? []
    const covered = new Set(existing.flatMap((i) => i.childIds))
    const toLink = childIds.filter((id) => !covered.has(id))
    const pending = existing.find((i) => i.pending)
    if (pending) guardiansUnchanged.push({ email, invitationId: pending.id, childIds, addChildIds: toLink })
    else if (existing.length && !toLink.length) guardiansUnchanged.push({ email, invitationId: existing[0]!.id, childIds, addChildIds: [] })
    else guardiansCreate.push({ email, childIds: toLink })
  }

  // --- children of the organization the file does not mention: listed, never removed here
  const classOfChild = new Map<string, string>()
  for (const [childId, list] of yearEnrolments) if (list[0]) classOfChild.set(childId, list[0].classId)
  const missing: PlanMissing[] = state.children
    .filter((c) => c.status === 'active' && !claimed.has(c.id))
    .map((c) => {
      const classId = classOfChild.get(c.id)
      return { childId: c.id, firstName: c.firstName, lastName: c.lastName, className: classId ? classNameOf(classId) : null, externalId: c.externalId }
    })
    .sort((a, b) => (a.className ?? '').localeCompare(b.className ?? '') || a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))

  rejected.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line)
  const erasedIds = new Set(erased.map((c) => c.childId))
  const plan: ImportPlan = {
    schoolYear,
    basis: state.digest,
    classes: { create: [...classesCreate.values()], unchanged: [...classesUnchanged.values()] },
    groups: { create: [...groupsCreate.values()] },
    children: { create, update, unchanged, erased },
    teachers: { invite: teachersInvite, unchanged: teachersUnchanged, assign },
    guardians: { create: guardiansCreate, unchanged: guardiansUnchanged },
    rejected,
    missing,
    counts: {
      classesCreate: classesCreate.size,
      classesUnchanged: classesUnchanged.size,
      groupsCreate: groupsCreate.size,
      childrenCreate: create.length,
      childrenUpdate: update.length,
      childrenUnchanged: unchanged.length,
      teachersInvite: teachersInvite.length,
      teachersUnchanged: teachersUnchanged.length,
      // As the commit does when no erased row is ticked: invitations only for erased children are not sent.
      guardiansCreate: guardiansCreate.filter((g) => g.childIds.some((id) => !erasedIds.has(id))).length,
      guardiansUnchanged: guardiansUnchanged.length,
      rejected: rejected.length,
      missing: missing.length,
      childrenErased: erased.length,
    },
  }
  return plan
}

/** Rows the commit writes, for the progress bar. */
export function planWork(plan: ImportPlan) {
  return (
    plan.classes.create.length +
    plan.groups.create.length +
    plan.children.create.length +
    plan.children.update.length +
    plan.guardians.create.length +
    plan.guardians.unchanged.filter((g) => g.addChildIds.length).length +
    plan.teachers.invite.length +
    plan.teachers.assign.length
  )
}

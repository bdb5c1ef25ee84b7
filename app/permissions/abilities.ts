// The one permission policy. Each role's reach is written as CASL conditions on the rows
// themselves (orgId, classIds, id), never as `isOwner ? … : …` at call sites. The same
// conditions are turned into SQL by sql.server.ts, so lists are filtered in the database.
import { AbilityBuilder, createMongoAbility, type MongoAbility } from '@casl/ability'

export type Action = 'manage' | 'create' | 'read' | 'update' | 'delete' | 'transfer' | 'export' | 'invite' | 'review' | 'end'
export type SubjectName =
  | 'Organization'
  | 'Member' // a membership row (staff list, access review)
  | 'Invitation'
  | 'Class'
  | 'Group'
  | 'Child' // a child's profile; classIds = classes the child is enrolled in
  | 'LoginCard'
  | 'ChildSession'
  | 'RosterImport'
  | 'LearningRecord'
  | 'AuditLog'
  | 'ConsentLog'
  | 'RightsRequest'
  | 'PlatformRegister' // breach / sub-processor registers, operator-side
  | 'GuardianLink' // families: a guardian ↔ child link; classIds = the child's classes
  | 'Authorisation' // families: "guardians informed" and per-child authorisations (consent log)
  | 'ParentalConsent' // families: consent for a child under the digital age of consent
  | 'all'

export type AppAbility = MongoAbility<[Action, SubjectName | Record<string, unknown>]>

/** Everything the policy needs to know about the person behind a request. */
export type Principal = {
  userId: string
  kind: 'adult' | 'child'
  memberships: { orgId: string; role: 'admin' | 'teacher' | 'dpo' | 'guardian' | 'child' }[]
  /** Classes taught, per organization, with the teacher's role in each. */
  teaching: { orgId: string; classId: string; role: 'lead' | 'co' }[]
  /** Children a guardian may see (active links only), with the link's rights. */
  linkedChildren: { orgId: string; childId: string; canSeeRecord?: boolean; canGiveConsent?: boolean }[]
  isOperator: boolean
}

export function defineAbilityFor(p: Principal): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility)
  const orgsWith = (role: Principal['memberships'][number]['role']) => p.memberships.filter((m) => m.role === role).map((m) => m.orgId)

  const adminOrgs = orgsWith('admin')
  if (adminOrgs.length) {
    can('manage', 'all', { orgId: { $in: adminOrgs } })
    can(['read', 'update'], 'Organization', { id: { $in: adminOrgs } })
    can('review', 'Organization', { id: { $in: adminOrgs } })
  }

  const teacherOrgs = orgsWith('teacher')
  for (const orgId of teacherOrgs) {
    const taught = p.teaching.filter((t) => t.orgId === orgId).map((t) => t.classId)
    const led = p.teaching.filter((t) => t.orgId === orgId && t.role === 'lead').map((t) => t.classId)
    can('read', 'Organization', { id: orgId })
    can('read', 'Member', { orgId })
    can(['read', 'update'], 'Class', { orgId, id: { $in: taught } })
    can(['delete', 'transfer'], 'Class', { orgId, id: { $in: led } })
    can('read', 'Group', { orgId, classId: { $in: taught } })
    can(['create', 'update', 'delete'], 'Group', { orgId, classId: { $in: taught } })
    can(['read', 'update'], 'Child', { orgId, classIds: { $in: taught } })
    can(['read', 'create', 'update'], 'LearningRecord', { orgId, classIds: { $in: taught } })
    can('export', 'LearningRecord', { orgId, classIds: { $in: taught } })
    can(['read', 'create'], 'LoginCard', { orgId, classIds: { $in: taught } })
    can(['read', 'end'], 'ChildSession', { orgId, classIds: { $in: taught } })
    // Families: who is linked / pending for the children they teach; invitations and letters;
    // the class's "guardians informed" record and per-child authorisations.
    can(['read', 'invite'], 'GuardianLink', { orgId, classIds: { $in: taught } })
    can(['read', 'create'], 'Authorisation', { orgId, classIds: { $in: taught } })
  }

  for (const orgId of orgsWith('dpo')) {
    can('read', 'Organization', { id: orgId })
    can('read', ['Member', 'AuditLog', 'ConsentLog'], { orgId })
    can('read', ['GuardianLink', 'Authorisation'], { orgId })
    can('manage', 'RightsRequest', { orgId })
    can('read', 'Child', { orgId })
    // Reads learning data only to answer a rights request; never edits it.
    can('export', 'LearningRecord', { orgId })
  }

  for (const { orgId, childId, canSeeRecord, canGiveConsent } of p.linkedChildren) {
    can('read', 'Organization', { id: orgId })
    can('read', 'Child', { orgId, id: childId })
    if (canSeeRecord !== false) can('read', 'LearningRecord', { orgId, childId, published: true })
    can('create', 'RightsRequest', { orgId, subjectId: childId })
    can('read', 'GuardianLink', { orgId, childId, guardianId: p.userId })
    if (canGiveConsent) can(['create', 'read'], 'ParentalConsent', { orgId, childId })
  }
  // Anyone may end their own guardian link (even a suspended one).
  if (p.kind === 'adult') can('end', 'GuardianLink', { guardianId: p.userId })

  if (p.kind === 'child') {
    for (const m of p.memberships.filter((m) => m.role === 'child')) {
      can('read', 'Organization', { id: m.orgId })
      can('read', 'Child', { orgId: m.orgId, id: p.userId })
      can(['read', 'create'], 'LearningRecord', { orgId: m.orgId, childId: p.userId })
    }
  }

  if (p.isOperator) {
    // The operator runs the platform registers; learning data needs a support grant.
    can('manage', 'PlatformRegister')
    can('create', 'RightsRequest')
  }

  // Nobody edits the evidence logs, whatever other rule says.
  cannot(['update', 'delete'], ['AuditLog', 'ConsentLog'])
  return build()
}

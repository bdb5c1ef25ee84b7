// The one permission policy. Each role's reach is written as CASL conditions on the rows
// themselves (orgId, classIds, id), never as `isOwner ? … : …` at call sites. The same
// conditions are turned into SQL by sql.server.ts, so lists are filtered in the database.
// Pages are subjects too ('StaffArea', 'PrivacyArea', 'AccessReview'): who may open one is a
// rule here, and the page then checks its rows.
import { AbilityBuilder, createMongoAbility, subject as asSubject, type MongoAbility } from '@casl/ability'

export type Action =
  | 'manage'
  | 'create'
  | 'read'
  | 'update'
  | 'delete'
  | 'transfer'
  | 'export'
  | 'invite'
  | 'review'
  | 'end'
  | 'list' // open a list page; what it lists is then filtered by 'read'
  | 'administer' // the admin's side of a page (forms that change the organization's settings)
  | 'cancel'
  | 'ask' // ask the controller to act (a school's DPO to erase a child): the request, not the act

/** The rows each subject is checked on (fields the rules read; all optional but the scope). */
export type SubjectRows = {
  Organization: { id: string; orgId?: string }
  Member: { orgId: string; userId?: string; role?: string }
  Invitation: { orgId: string; id?: string }
  Class: { orgId: string; id?: string }
  Group: { orgId: string; classId?: string; id?: string }
  Child: { orgId: string; id?: string; classIds?: string[] }
  LoginCard: { orgId: string; classIds: string[] }
  ChildSession: { orgId: string; classIds: string[] }
  RosterImport: { orgId: string; id?: string }
  LearningRecord: { orgId: string; childId?: string | null; classIds?: string[]; published?: boolean }
  AuditLog: { orgId: string }
  ConsentLog: { orgId: string }
  RightsRequest: { orgId?: string; subjectId?: string | null; id?: string; requesterUserId?: string | null; requesterEmail?: string }
  PlatformRegister: Record<string, never>
  GuardianLink: { orgId?: string; id?: string; childId?: string; guardianId?: string; classIds?: string[] }
  Authorisation: { orgId: string; classIds?: string[]; childId?: string }
  ParentalConsent: { orgId: string; childId: string }
  StaffArea: { orgId: string }
  PrivacyArea: { orgId: string }
  AccessReview: { orgId: string }
  ChildRecord: { orgId: string; childId: string; classIds: string[] }
  ChildSpace: { userId: string }
  Account: { id: string; orgId?: string | null; orgKind?: string | null; consentGuardianIds?: string[] }
  DeletionRequest: { orgId: string | null; requestedBy: string | null; subjectId: string | null }
  Notice: { userId: string; id?: string }
}
export type SubjectName = keyof SubjectRows | 'all'
// Reading guide for the names above:
//   Member         a membership row (staff list, access review)
//   Child          a child's profile; classIds = classes the child is enrolled in
//   PlatformRegister breach / sub-processor registers, operator-side
//   GuardianLink   families: a guardian ↔ child link; classIds = the child's classes
//   Authorisation  families: "guardians informed" and per-child authorisations (consent log)
//   ParentalConsent families: consent for a child under the digital age of consent
//   StaffArea      an organization's staff pages (classes, children, learning, exports, family
//                  letters): its admins, teachers and DPO open them; each page then checks its rows
//   PrivacyArea    the organization's privacy pages: deletions and retention, support access,
//                  backups, breaches, sub-processors, records of processing
//   AccessReview   the staff list with its periodic access review: admins run it, the DPO reads it
//   ChildRecord    one child's learning record page: the child's teachers, the admins, a guardian
//                  whose link lets them see it (which items: 'read' 'LearningRecord')
//   ChildSpace     a child's own space (/me: their activities, their progress)
//   Account        a person, as the subject of a deletion request; consentGuardianIds = the
//                  guardians whose link gives consent rights for that person in orgId, orgKind
//                  = that organization's kind (a school decides on its pupils' erasure)
//   DeletionRequest an open deletion request (cancelled within the grace period)
//   Notice         an in-app notice addressed to one person (a proof of erasure): theirs only

export type AppAbility = MongoAbility<[Action, SubjectName | Record<string, unknown>]>

type Role = 'admin' | 'teacher' | 'dpo' | 'guardian' | 'child'

/** Everything the policy needs to know about the person behind a request. */
export type Principal = {
  userId: string
  kind: 'adult' | 'child'
  memberships: { orgId: string; role: Role }[]
  /** Classes taught, per organization, with the teacher's role in each. */
  teaching: { orgId: string; classId: string; role: 'lead' | 'co' }[]
  /** Children a guardian may see (active links only), with the link's rights. */
  linkedChildren: { orgId: string; childId: string; canSeeRecord?: boolean; canGiveConsent?: boolean }[]
  isOperator: boolean
  /** Member organizations whose subscription has ended (retention period, GTCS §21.2). */
  retentionOrgs?: string[]
  /** Operator only: the support grants in force (an admin's time-limited permission). */
  supportGrants?: { id: string; orgId: string }[]
  /** The account's email once verified (lower case): requests filed with it on the public form are theirs to follow. */
  verifiedEmail?: string | null
}

/** Who a deletion is asked by (the `reason` of the rule that allows it). */
export type DeletionRequester = 'self' | 'guardian' | 'admin'

export function defineAbilityFor(p: Principal): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility)
  // An organization in its retention period: every rule about it goes (below, its admins get
  // back only what GTCS §21.2 leaves them: see it, export, ask for early deletion).
  const retention = new Set(p.retentionOrgs ?? [])
  const live = <T extends { orgId: string }>(xs: T[]) => xs.filter((x) => !retention.has(x.orgId))
  const memberships = live(p.memberships)
  const teaching = live(p.teaching)
  const orgsWith = (role: Role, ms = memberships) => ms.filter((m) => m.role === role).map((m) => m.orgId)

  const adminOrgs = orgsWith('admin')
  if (adminOrgs.length) {
    // 'all' includes the pages: StaffArea, PrivacyArea (administer too), AccessReview, ChildRecord…
    can('manage', 'all', { orgId: { $in: adminOrgs } })
    can(['read', 'update'], 'Organization', { id: { $in: adminOrgs } })
    can('review', 'Organization', { id: { $in: adminOrgs } })
  }

  const teacherOrgs = orgsWith('teacher')
  for (const orgId of teacherOrgs) {
    const taught = teaching.filter((t) => t.orgId === orgId).map((t) => t.classId)
    const led = teaching.filter((t) => t.orgId === orgId && t.role === 'lead').map((t) => t.classId)
    can('read', 'Organization', { id: orgId })
    can('read', 'StaffArea', { orgId })
    can('list', 'Class', { orgId })
    can('read', 'Member', { orgId })
    can(['read', 'update'], 'Class', { orgId, id: { $in: taught } })
    can(['delete', 'transfer'], 'Class', { orgId, id: { $in: led } })
    can('read', 'Group', { orgId, classId: { $in: taught } })
    can(['create', 'update', 'delete'], 'Group', { orgId, classId: { $in: taught } })
    can(['read', 'update'], 'Child', { orgId, classIds: { $in: taught } })
    can(['read', 'create', 'update'], 'LearningRecord', { orgId, classIds: { $in: taught } })
    can('read', 'ChildRecord', { orgId, classIds: { $in: taught } })
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
    can('read', ['StaffArea', 'PrivacyArea', 'AccessReview'], { orgId })
    can('read', ['Member', 'AuditLog', 'ConsentLog'], { orgId })
    can('read', ['GuardianLink', 'Authorisation'], { orgId })
    can('manage', 'RightsRequest', { orgId })
    can('read', 'Child', { orgId })
    // Reads learning data only to answer a rights request; never edits it.
    can('export', 'LearningRecord', { orgId })
  }

  for (const { orgId, childId, canSeeRecord, canGiveConsent } of live(p.linkedChildren)) {
    can('read', 'Organization', { id: orgId })
    can('read', 'Child', { orgId, id: childId })
    if (canSeeRecord !== false) {
      can('read', 'ChildRecord', { orgId, childId })
      can('read', 'LearningRecord', { orgId, childId, published: true })
    }
    can('create', 'RightsRequest', { orgId, subjectId: childId })
    can('read', 'GuardianLink', { orgId, childId, guardianId: p.userId })
    if (canGiveConsent) can(['create', 'read'], 'ParentalConsent', { orgId, childId })
  }

  if (p.kind === 'child') {
    // A child's space is /me (the organization's pages are for adults).
    can('read', 'ChildSpace', { userId: p.userId })
    for (const orgId of orgsWith('child')) {
      can('read', 'Child', { orgId, id: p.userId })
      can(['read', 'create'], 'LearningRecord', { orgId, childId: p.userId })
    }
  }

  // GTCS §21.2: during the retention period, an organization's admins may still see it, export
  // its data, and ask for its early deletion (or a member's), or cancel such a request.
  for (const orgId of p.memberships.filter((m) => m.role === 'admin' && retention.has(m.orgId)).map((m) => m.orgId)) {
    can(['read', 'delete'], 'Organization', { id: orgId })
    can('export', 'LearningRecord', { orgId })
    can('read', 'StaffArea', { orgId })
    can(['read', 'administer'], 'PrivacyArea', { orgId })
    can('cancel', 'DeletionRequest', { orgId })
  }

  if (p.isOperator) {
    // The operator runs the platform registers; learning data needs a support grant.
    can('manage', 'PlatformRegister')
    can('create', 'RightsRequest')
  }
  for (const g of p.supportGrants ?? []) {
    can('read', 'Organization', { id: g.orgId })
    can('read', ['Class', 'Group', 'Child', 'LearningRecord', 'Member'], { orgId: g.orgId })
  }

  // Rights of the people themselves: they outlive the contract (no retention filter).
  if (p.kind === 'adult') {
    // Anyone may end their own guardian link (even a suspended one).
    can('end', 'GuardianLink', { guardianId: p.userId })
    // A rights request about oneself, in each organization one belongs to.
    for (const orgId of new Set(p.memberships.map((m) => m.orgId))) can('create', 'RightsRequest', { orgId, subjectId: p.userId })
    // Following one's own requests ("My requests"): checked on the row as its requester sees it,
    // without its orgId, so a school's own rules (its DPO's) never open someone else's here.
    can('read', 'RightsRequest', { requesterUserId: p.userId })
    if (p.verifiedEmail) can('read', 'RightsRequest', { requesterEmail: p.verifiedEmail })
    // Deletion of an account: the later rule wins when several apply (self, then guardian, then admin).
    const allAdminOrgs = orgsWith('admin', p.memberships)
    if (allAdminOrgs.length) can('delete', 'Account', { orgId: { $in: allAdminOrgs } }).because('admin')
    // A guardian erases a child of a family space (or a practice) directly; a school's record
    // belongs to the school (the controller): the guardian asks its DPO, by a rights request.
    can('delete', 'Account', { consentGuardianIds: p.userId, orgKind: { $in: ['family', 'practice'] } }).because('guardian')
    can('ask', 'Account', { consentGuardianIds: p.userId, orgKind: 'school' }).because('guardian')
    can('delete', 'Account', { id: p.userId }).because('self')
  }
  // A deletion request: whoever asked, or the person, may cancel it (admins: 'manage all').
  can('cancel', 'DeletionRequest', { requestedBy: p.userId })
  can('cancel', 'DeletionRequest', { subjectId: p.userId })
  // One's own notices: read and dismissed by their addressee only.
  can(['read', 'update'], 'Notice', { userId: p.userId })

  // Nobody edits the evidence logs, whatever other rule says.
  cannot(['update', 'delete'], ['AuditLog', 'ConsentLog'])
  return build()
}

/** A plain row as a CASL subject (CASL denies rows it cannot name). */
export function asRow<S extends keyof SubjectRows>(name: S, row: SubjectRows[S]) {
  return asSubject(name, { ...row }) as unknown as Record<string, unknown>
}

/** `can` typed per subject: `can(ability, 'read', 'Child', { orgId, id, classIds })`. */
export function can<S extends keyof SubjectRows>(ability: AppAbility, action: Action, name: S, row: SubjectRows[S]): boolean {
  return ability.can(action, asRow(name, row))
}

/**
 * Who may ask for this account's deletion, and as whom: the person themself, a guardian whose
 * link gives consent rights, an admin of the organization. null: nobody of that kind.
 */
export function deletionRequesterOf(ability: AppAbility, row: SubjectRows['Account']): DeletionRequester | null {
  const rule = ability.relevantRuleFor('delete', asRow('Account', row))
  if (!rule || rule.inverted) return null
  return rule.reason === 'self' || rule.reason === 'guardian' || rule.reason === 'admin' ? rule.reason : null
}

/** As deletionRequesterOf, for someone else's account (a member's, a linked child's): never 'self'. */
export function otherDeletionRequesterOf(ability: AppAbility, row: SubjectRows['Account']): Exclude<DeletionRequester, 'self'> | null {
  const r = deletionRequesterOf(ability, row)
  return r === 'self' ? null : r
}

/**
 * A guardian who may not erase this account themself (a school's pupil: the school decides) but
 * may ask the school's DPO to. Not an admin's 'manage' (an admin erases), not oneself.
 */
export function mayAskErasure(ability: AppAbility, row: SubjectRows['Account']): boolean {
  if (deletionRequesterOf(ability, row)) return false
  const rule = ability.relevantRuleFor('ask', asRow('Account', row))
  return !!rule && !rule.inverted && rule.reason === 'guardian'
}

// Shapes of a roster import: what was read from the file (the payload), what a dry run says
// will happen (the plan) and what the commit did (the result). All of them are stored as jsonb
// on the roster_imports row between the dry run and the confirmation.
import type { MessageKey } from '../../i18n'
import type { ColumnMapping, MappingOverride, RosterChild, RosterEncoding, RosterRejectReason, RosterTeacher, CsvDelimiter } from '../roster/index.server'

export type ImportFormat = 'generic' | 'oneroster'

/** A rejected line, from the parser or from the plan. `file` is set for OneRoster sets. */
export type ImportRejection = {
  line: number
  file?: string
  reason: RosterRejectReason
  detail: string
  /** An i18n key that explains the reason better than the parser's sentence (plan-level rejections). */
  messageKey?: MessageKey
}

/** The normalized content of an uploaded file, whatever its format. */
export type ImportRoster = {
  format: ImportFormat
  children: RosterChild[]
  teachers: RosterTeacher[]
  rejected: ImportRejection[]
  /** The file has a group column: an empty cell then means "no group". Otherwise groups are left alone. */
  groupsKnown: boolean
}

/** What the upload step learned about the file, shown to the admin. */
export type ImportSourceInfo = {
  fileName: string
  format: ImportFormat
  encoding: RosterEncoding | null
  delimiter: CsvDelimiter | null
  /** Generic CSV only: the file's header row and the column mapping in use. */
  headers: string[]
  mapping: ColumnMapping | null
  override: MappingOverride | null
}

/**
 * Stored in roster_imports.payload. `source` is the uploaded bytes (base64), the one copy of the
 * file's rows: re-read for a new column mapping or a new dry run, and dropped at commit.
 */
export type ImportPayload = {
  info: ImportSourceInfo
  schoolYear: string
  options: PlanOptions
  source?: { name: string; base64: string }[] | null
  /** What the admin chose when confirming (ids only). */
  confirm?: ConfirmInfo
  /** Counts of what the commit did. */
  result?: CommitResult
}

export type PlanOptions = {
  /** Reject rows whose class does not exist yet for the school year (instead of creating it). */
  existingClassesOnly?: boolean
}

export type ChildField = 'firstName' | 'lastName' | 'birthDate' | 'className' | 'groupName' | 'externalId' | 'status'
export type ChildChange = { field: ChildField; from: string | null; to: string | null }

export type PlanChild = {
  line: number
  /** A new id for children to create (assigned at plan time so invitations can point at it). */
  childId: string
  externalId: string | null
  firstName: string
  lastName: string
  birthDate: string
  className: string
  groupName: string | null
  /** Where the child is enrolled after the import (existing or planned ids). */
  classId: string
  groupId: string | null
  /** How many guardian emails the row gives (the invitations are listed in `guardians`). */
  guardians: number
}

/** A new row that matches the tombstone of a child erased after a request (ADR 021): not created unless ticked. */
export type PlanErasedChild = PlanChild & {
  /** tombstoneId null: the erasure is requested, not yet done (pendingRequestId; erasedAt is then the request's date). */
  erasure: { tombstoneId: string | null; pendingRequestId?: string; erasedAt: string; match: 'external_id' | 'name' }
}

export type PlanChildUpdate = PlanChild & {
  changes: ChildChange[]
  /** Class the child leaves (same school year), when the class changes. */
  fromClassId: string | null
}

export type PlanClass = { classId: string; name: string; level: string | null }
export type PlanGroup = { groupId: string; classId: string; className: string; name: string }

/** A guardian invitation to create: one per email, covering every child of the file with it. */
export type PlanGuardianNew = { email: string; childIds: string[] }

/** An email that already has an invitation in the organization. */
export type PlanGuardianExisting = {
  email: string
  invitationId: string
  /** Children of this file with this email. */
  childIds: string[]
  /** The ones this import adds to the (pending) invitation. */
  addChildIds: string[]
}

export type PlanTeacher = {
  externalId: string
  firstName: string
  lastName: string
  email: string
  classNames: string[]
  leadClassNames: string[]
  /** Already a teacher of the organization: classes are assigned directly. */
  userId: string | null
  /** Already invited (pending invitation). */
  invitationId: string | null
}

export type PlanMissing = { childId: string; firstName: string; lastName: string; className: string | null; externalId: string | null }

export type PlanCounts = {
  classesCreate: number
  classesUnchanged: number
  groupsCreate: number
  childrenCreate: number
  childrenUpdate: number
  childrenUnchanged: number
  teachersInvite: number
  teachersUnchanged: number
  guardiansCreate: number
  guardiansUnchanged: number
  rejected: number
  missing: number
  /** New rows matching an erasure (absent from plans made before ADR 021). */
  childrenErased?: number
}

export type ImportPlan = {
  schoolYear: string
  /** Digest of the organization's rows the plan was computed from; the commit refuses a stale plan. */
  basis: string
  classes: { create: PlanClass[]; unchanged: PlanClass[] }
  groups: { create: PlanGroup[] }
  /** erased: kept out of `create`; their ids still appear in the guardian lists, which the commit filters (absent before ADR 021). */
  children: { create: PlanChild[]; update: PlanChildUpdate[]; unchanged: PlanChild[]; erased?: PlanErasedChild[] }
  teachers: { invite: PlanTeacher[]; unchanged: PlanTeacher[]; assign: { userId: string; classId: string; role: 'lead' | 'co' }[] }
  guardians: { create: PlanGuardianNew[]; unchanged: PlanGuardianExisting[] }
  rejected: ImportRejection[]
  missing: PlanMissing[]
  counts: PlanCounts
}

export type CommitResult = {
  classesCreated: number
  groupsCreated: number
  childrenCreated: number
  childrenUpdated: number
  childrenUnchanged: number
  childrenArchived: number
  guardianInvitationsCreated: number
  guardianInvitationsExtended: number
  teacherInvitationsCreated: number
  teacherAssignments: number
  rejected: number
  /** Erased children (ADR 021): rows skipped, rows re-created as a new enrolment the admin ticked. */
  childrenErasedSkipped?: number
  childrenReenrolled?: number
  ms: number
}

/**
 * What the admin chose when confirming, kept so a background job applies exactly that. Ids
 * only: where the admin connected from goes to the audit log (roster.import_confirmed).
 */
export type ConfirmInfo = {
  actorId: string | null
  archiveChildIds: string[]
  /** Lines of the plan's erased rows the admin ticked as a new enrolment (others are ignored). */
  newEnrolmentLines?: number[]
  at: string
}

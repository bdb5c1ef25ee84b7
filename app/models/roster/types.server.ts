// Shared shapes for every roster format, so the dry run and the commit step
// handle a generic CSV and a OneRoster set the same way.

export type RejectReason = 'missing_first_name' | 'missing_last_name' | 'missing_birth_date' | 'impossible_date' | 'missing_class' | 'invalid_email' | 'duplicate' | 'name_too_long'

/** Extra reasons that only make sense across the linked OneRoster files. */
export type OneRosterRejectReason = RejectReason | 'missing_id' | 'unknown_class' | 'unknown_user' | 'missing_email'

export type RosterRejectReason = OneRosterRejectReason

export interface RosterChild {
  /** 1-based line in the source file (users.csv for OneRoster). */
  line: number
  externalId?: string
  firstName: string
  lastName: string
  /** ISO yyyy-mm-dd */
  birthDate: string
  className: string
  groupName?: string
  /** Lowercased, trimmed, validated, deduplicated. */
  guardianEmails: string[]
}

export interface RosterRejection {
  line: number
  reason: RejectReason
  /** Short technical detail in English (offending value, line of the first occurrence…). */
  detail: string
}

export interface RosterFileRejection {
  file: string
  line: number
  reason: OneRosterRejectReason
  detail: string
}

export interface RosterTeacher {
  externalId: string
  firstName: string
  lastName: string
  email: string
  /** Every class the teacher is enrolled in, in file order. */
  classNames: string[]
  /** Subset where the enrollment says primary=true (the lead teacher). */
  leadClassNames: string[]
}

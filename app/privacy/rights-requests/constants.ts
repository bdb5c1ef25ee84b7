// Choices shown in the DPO's forms (shared by the UI and the server-side checks).
export const IDENTITY_METHODS = ['known_account', 'id_document', 'in_person', 'school_records', 'other'] as const
// The kinds and outcomes the schema stores, re-exported so pages never import drizzle/schema.
export { DSR_KINDS, DSR_OUTCOMES, POST_MORTEM_DIRECTIVES, type DsrKind, type DsrOutcome, type PostMortemDirective } from '../../../drizzle/schema/dsr'
/** The public form's school search: at least this many letters or digits, at most this many answers (school-search.server.ts). */
export const SCHOOL_SEARCH_MIN = 3
export const SCHOOL_SEARCH_MAX = 10

// Public API of the roster parsers: pure functions from uploaded bytes to normalized rows.
export { decodeRosterBytes, type RosterEncoding } from './decode.server'
export { detectDelimiter, parseCsv, type CsvDelimiter, type CsvRow, type ParsedCsv } from './csv.server'
export {
  applyMapping,
  detectMapping,
  headerKey,
  REQUIRED_FIELDS,
  ROSTER_FIELDS,
  type ColumnMapping,
  type MappingOverride,
  type RosterField,
} from './headers.server'
export { MAX_AGE_YEARS, parseBirthDate, type BirthDateProblem, type BirthDateResult } from './dates.server'
export { parseGenericRoster, type GenericRosterOptions, type GenericRosterResult } from './generic.server'
export {
  parseOneRoster,
  parseOneRosterZip,
  type OneRosterOptions,
  type OneRosterOrg,
  type OneRosterResult,
} from './oneroster.server'
export { isZip, readZip } from './zip.server'
export { RosterFormatError, type RosterFormatErrorCode } from './errors.server'
export { rejectReasonMessage, rosterFormatErrorMessage, type RosterLang } from './messages.server'
export type {
  OneRosterRejectReason,
  RejectReason,
  RosterChild,
  RosterFileRejection,
  RosterRejectReason,
  RosterRejection,
  RosterTeacher,
} from './types.server'

import { parseCsv, type CsvDelimiter, type CsvRow } from './csv.server'
import { decodeRosterBytes, type RosterEncoding } from './decode.server'
import { parseBirthDate, type BirthDateProblem } from './dates.server'
import { applyMapping, type ColumnMapping, type MappingOverride, type RosterField } from './headers.server'
import { cleanText, foldKey, nameTooLong, normalizeEmail } from './normalize.server'
import type { RosterChild, RosterRejection } from './types.server'

export interface GenericRosterResult {
  encoding: RosterEncoding
  delimiter: CsvDelimiter
  /** Header names as in the file, for the column-mapping step. */
  headers: string[]
  /** Check `mapping.missing` first: when non-empty, every row is rejected for that field. */
  mapping: ColumnMapping
  children: RosterChild[]
  rejected: RosterRejection[]
}

export interface GenericRosterOptions {
  /** The school's current day; birth dates after it or more than 25 years before it are rejected. */
  today: Date | string
  /** The admin's choices from the column-mapping step. */
  mapping?: MappingOverride
}

export const DATE_PROBLEM_DETAIL: Record<Exclude<BirthDateProblem, 'missing'>, string> = {
  unrecognized_format: 'is not a date in the form dd/mm/yyyy or yyyy-mm-dd',
  impossible: 'does not exist in the calendar',
  in_future: 'is in the future',
  too_old: 'gives an age over 25',
}

type RowOutcome = { child: Omit<RosterChild, 'line'> } | Omit<RosterRejection, 'line'>

function readRow(row: CsvRow, mapping: ColumnMapping, today: Date | string): RowOutcome {
  const cell = (field: RosterField) => {
    const index = mapping.fields[field]
    return index === undefined ? '' : cleanText(row.cells[index])
  }
  const lastName = cell('lastName')
  const firstName = cell('firstName')
  if (!lastName) return { reason: 'missing_last_name', detail: 'last name is empty' }
  if (!firstName) return { reason: 'missing_first_name', detail: 'first name is empty' }

  const rawDate = cell('birthDate')
  const date = parseBirthDate(rawDate, today)
  if (!date.ok) {
    return date.reason === 'missing'
      ? { reason: 'missing_birth_date', detail: 'birth date is empty' }
      : { reason: 'impossible_date', detail: `birth date "${rawDate}" ${DATE_PROBLEM_DETAIL[date.reason]}` }
  }

  const className = cell('className')
  if (!className) return { reason: 'missing_class', detail: 'class is empty' }
  const tooLong = nameTooLong({ firstName, lastName, className })
  if (tooLong) return { reason: 'name_too_long', detail: tooLong }

  const guardianEmails: string[] = []
  for (const field of ['guardian1Email', 'guardian2Email'] as const) {
    const parsed = normalizeEmail(cell(field))
    if (!parsed.ok) return { reason: 'invalid_email', detail: `"${cell(field)}" is not an email address` }
    if (parsed.email && !guardianEmails.includes(parsed.email)) guardianEmails.push(parsed.email)
  }

  const externalId = cell('externalId') || undefined
  const groupName = cell('groupName') || undefined
  return {
    child: {
      ...(externalId && { externalId }),
      firstName,
      lastName,
      birthDate: date.iso,
      className,
      ...(groupName && { groupName }),
      guardianEmails,
    },
  }
}

/**
 * Tracks children already accepted so a second occurrence (same external id, or same
 * name and birth date) is rejected and points at the first one.
 */
export class DuplicateTracker {
  private byId = new Map<string, number>()
  private byName = new Map<string, number>()

  /** Returns the detail of the rejection, or null after recording the child. */
  check(child: Omit<RosterChild, 'line'>, line: number): string | null {
    const idKey = child.externalId ? foldKey(child.externalId) : null
    const nameKey = `${foldKey(child.firstName)}|${foldKey(child.lastName)}|${child.birthDate}`
    const sameId = idKey === null ? undefined : this.byId.get(idKey)
    if (sameId !== undefined) return `same id "${child.externalId}" as line ${sameId}`
    const sameName = this.byName.get(nameKey)
    if (sameName !== undefined) return `same name and birth date as line ${sameName}`
    if (idKey !== null) this.byId.set(idKey, line)
    this.byName.set(nameKey, line)
    return null
  }
}

export function parseGenericRoster(buf: Buffer, opts: GenericRosterOptions): GenericRosterResult {
  const { text, encoding } = decodeRosterBytes(buf)
  const csv = parseCsv(text)
  const mapping = applyMapping(csv.header, opts.mapping)
  const children: RosterChild[] = []
  const rejected: RosterRejection[] = []
  const duplicates = new DuplicateTracker()

  for (const row of csv.rows) {
    const outcome = readRow(row, mapping, opts.today)
    if (!('child' in outcome)) {
      rejected.push({ line: row.line, ...outcome })
      continue
    }
    const duplicateOf = duplicates.check(outcome.child, row.line)
    if (duplicateOf) rejected.push({ line: row.line, reason: 'duplicate', detail: duplicateOf })
    else children.push({ line: row.line, ...outcome.child })
  }
  return { encoding, delimiter: csv.delimiter, headers: csv.header, mapping, children, rejected }
}

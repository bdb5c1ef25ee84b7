import { RosterFormatError } from './errors.server'

import { ROSTER_FIELDS, type RosterField } from './fields'

export { ROSTER_FIELDS, type RosterField }

export const REQUIRED_FIELDS: readonly RosterField[] = ['firstName', 'lastName', 'birthDate', 'className']

/** Header name chosen by the admin per field; null means "ignore this field". */
export type MappingOverride = Partial<Record<RosterField, string | null>>

export interface ColumnMapping {
  /** Field → 0-based column index. */
  fields: Partial<Record<RosterField, number>>
  /** Columns that feed no field, shown in the mapping step. */
  unrecognized: { index: number; header: string }[]
  /** Required fields without a column. */
  missing: RosterField[]
}

/** "Date de naissance (jj/mm/aaaa)", "date_of_birth", "E-mail Responsable 1" → "datedenaissance", "dateofbirth", "emailresponsable1" */
export function headerKey(header: string): string {
  return header
    .replace(/\([^)]*\)/g, '') // format hints that templates add: "(jj/mm/aaaa)"
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

const SYNONYMS: Record<RosterField, string[]> = {
  lastName: ['nom', 'nomdefamille', 'nomdusage', 'nomeleve', 'nomdeleleve', 'lastname', 'familyname', 'surname'],
  firstName: ['prenom', 'prenomeleve', 'prenomdeleleve', 'firstname', 'givenname'],
  birthDate: ['datedenaissance', 'datenaissance', 'naissance', 'birthdate', 'dateofbirth', 'dob'],
  className: ['classe', 'class', 'classname'],
  groupName: ['groupe', 'group', 'groupname'],
  externalId: ['identifiant', 'id', 'externalid', 'ine'],
  guardian1Email: ['emailresponsable1', 'mailresponsable1', 'courrielresponsable1', 'emailresponsable', 'guardian1email', 'parent1email', 'guardianemail', 'parentemail'],
  guardian2Email: ['emailresponsable2', 'mailresponsable2', 'courrielresponsable2', 'guardian2email', 'parent2email'],
}

const BY_KEY = new Map<string, RosterField>(ROSTER_FIELDS.flatMap((field) => SYNONYMS[field].map((key) => [key, field] as const)))

function finish(headers: string[], fields: Partial<Record<RosterField, number>>): ColumnMapping {
  const used = new Set(Object.values(fields))
  return {
    fields,
    unrecognized: headers.map((header, index) => ({ index, header })).filter(({ index, header }) => !used.has(index) && header.trim() !== ''),
    missing: REQUIRED_FIELDS.filter((f) => fields[f] === undefined),
  }
}

/** Recognize French and English header names; the first column wins when a name repeats. */
export function detectMapping(headers: string[]): ColumnMapping {
  const fields: Partial<Record<RosterField, number>> = {}
  headers.forEach((header, index) => {
    const field = BY_KEY.get(headerKey(header))
    if (field && fields[field] === undefined) fields[field] = index
  })
  return finish(headers, fields)
}

/**
 * Detected mapping adjusted by the admin's choices. A column given to a field is taken away
 * from whatever field detection gave it to, so one column never feeds two fields.
 */
export function applyMapping(headers: string[], override?: MappingOverride): ColumnMapping {
  const fields = { ...detectMapping(headers).fields }
  for (const field of ROSTER_FIELDS) {
    if (!override || !(field in override)) continue
    const wanted = override[field]
    delete fields[field]
    if (wanted === null || wanted === undefined || wanted === '') continue
    let index = headers.findIndex((h) => h.trim() === wanted.trim())
    if (index < 0) index = headers.findIndex((h) => headerKey(h) === headerKey(wanted))
    if (index < 0) {
      throw new RosterFormatError('unknown_mapping_column', `No column named "${wanted}" for ${field}.`)
    }
    for (const other of ROSTER_FIELDS) if (fields[other] === index) delete fields[other]
    fields[field] = index
  }
  return finish(headers, fields)
}

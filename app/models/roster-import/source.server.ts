// From uploaded files to a normalized roster: detects the format (generic CSV, OneRoster as a
// zip or as separate CSV files), decodes and parses with the pure roster library.
import { DomainError, Invalid } from '../../errors.server'
import { t, type Lang } from '../../i18n'
import { isZip, parseGenericRoster, parseOneRoster, readZip, RosterFormatError, rosterFormatErrorMessage, type MappingOverride } from '../roster/index.server'
import type { ImportRoster, ImportSourceInfo } from './types.server'

export type UploadedFile = { name: string; bytes: Buffer }

/** Largest upload accepted (a 10,000-pupil CSV is about 1.5 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

const ONEROSTER_FILES = new Set(['users.csv', 'classes.csv', 'enrollments.csv', 'orgs.csv', 'demographics.csv', 'roles.csv', 'manifest.csv'])

function baseName(name: string) {
  return name.split(/[\\/]/).pop()!.toLowerCase()
}

export function looksLikeOneRoster(names: string[]) {
  const bases = names.map(baseName)
  return bases.includes('users.csv') || bases.includes('enrollments.csv') || bases.filter((b) => ONEROSTER_FILES.has(b)).length >= 2
}

/**
 * Reads what the admin uploaded. One CSV → generic roster (with the column mapping);
 * a zip or several CSV files named like OneRoster → OneRoster.
 */
export function readRosterFiles(files: UploadedFile[], opts: { today: Date | string; mapping?: MappingOverride | null }): { info: ImportSourceInfo; roster: ImportRoster } {
  const real = files.filter((f) => f.bytes.length > 0 || f.name)
  if (!real.length) throw new Invalid('roster.error.no_file')
  const fileName =
    real
      .map((f) => f.name)
      .join(', ')
      .slice(0, 200) || 'roster.csv'

  let oneRosterFiles: Map<string, Buffer> | null = null
  if (real.length === 1 && isZip(real[0]!.bytes)) {
    const entries = readZip(real[0]!.bytes)
    if (!looksLikeOneRoster([...entries.keys()])) throw new Invalid('roster.error.zip_not_oneroster')
    oneRosterFiles = entries
  } else if (real.length > 1) {
    if (real.some((f) => isZip(f.bytes))) throw new Invalid('roster.error.one_zip')
    if (!looksLikeOneRoster(real.map((f) => f.name))) throw new Invalid('roster.error.several_csv')
    oneRosterFiles = new Map(real.map((f) => [f.name, f.bytes]))
  }

  if (oneRosterFiles) {
    const r = parseOneRoster(oneRosterFiles, { today: opts.today })
    return {
      info: { fileName, format: 'oneroster', encoding: null, delimiter: ',', headers: [], mapping: null, override: null },
      roster: {
        format: 'oneroster',
        children: r.children,
        teachers: r.teachers,
        rejected: r.rejected.map((x) => ({ line: x.line, file: x.file, reason: x.reason, detail: x.detail })),
        groupsKnown: false,
      },
    }
  }

  const file = real[0]!
  if (!file.bytes.length) throw new RosterFormatError('empty_file', 'The file is empty.')
  const r = parseGenericRoster(file.bytes, { today: opts.today, mapping: opts.mapping ?? undefined })
  return {
    info: {
      fileName,
      format: 'generic',
      encoding: r.encoding,
      delimiter: r.delimiter,
      headers: r.headers,
      mapping: r.mapping,
      override: opts.mapping ?? null,
    },
    roster: {
      format: 'generic',
      // While a required column is missing every row is rejected for it: the mapping step comes first.
      children: r.mapping.missing.length ? [] : r.children,
      teachers: [],
      rejected: r.mapping.missing.length ? [] : r.rejected,
      groupsKnown: r.mapping.fields.groupName !== undefined,
    },
  }
}

/** A file-level problem in the reader's language, or null when `e` is not one. */
export function uploadErrorMessage(e: unknown, lang: Lang): string | null {
  if (e instanceof RosterFormatError) {
    // Where it is: the file (OneRoster has several) and the line, whichever is known.
    const at = [e.file, e.line ? `${t(lang, 'roster.line')} ${e.line}` : null].filter(Boolean)
    const where = at.length ? ` (${at.join(', ')})` : ''
    return rosterFormatErrorMessage(e.code, lang) + where
  }
  if (e instanceof DomainError) return t(lang, e.code, e.vars)
  return null
}

/** The school year a date falls in: a French school year starts at the end of August. */
export function schoolYearOf(at: Date): string {
  const y = at.getUTCFullYear()
  const start = at.getUTCMonth() >= 7 ? y : y - 1
  return `${start}-${start + 1}`
}

export function isSchoolYear(v: string) {
  const m = /^(\d{4})-(\d{4})$/.exec(v)
  return !!m && Number(m[2]) === Number(m[1]) + 1
}

/** "CM1 A" → "CM1", "6e B" → "6e": the French level when the class name starts with one. */
export function guessLevel(className: string): string | null {
  const first = className.trim().split(/[\s\-_/]+/)[0] ?? ''
  const m = /^(TPS|PS|MS|GS|CP|CE1|CE2|CM1|CM2|6e|5e|4e|3e|6EME|5EME|4EME|3EME|2nde|1ere|Tle)$/i.exec(first)
  if (!m) return null
  const v = m[1]!.toUpperCase()
  if (/^[6543]EME$/.test(v)) return `${v[0]}e`
  if (/^[6543]E$/.test(v)) return `${v[0]}e`
  if (v === '2NDE') return '2nde'
  if (v === '1ERE') return '1re'
  if (v === 'TLE') return 'Tle'
  return v
}

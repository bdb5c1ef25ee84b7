import { parseCsv } from './csv.server'
import { decodeRosterBytes } from './decode.server'
import { RosterFormatError } from './errors.server'

/** A OneRoster CSV file read by column name (names are matched case-insensitively). */
export interface OneRosterTable {
  file: string
  has(column: string): boolean
  rows: { line: number; get(column: string): string }[]
}

/** Index files by lowercased base name, so "export/Users.csv" in a zip is found as users.csv. */
export function indexFiles(files: Map<string, Buffer>): Map<string, Buffer> {
  const byName = new Map<string, Buffer>()
  for (const [path, bytes] of files) {
    if (path.startsWith('__MACOSX/')) continue // Finder's resource forks
    const base = path.split(/[\\/]/).pop()!.toLowerCase()
    if (!base.startsWith('.') && !byName.has(base)) byName.set(base, bytes)
  }
  return byName
}

export function readTable(files: Map<string, Buffer>, file: string, requiredColumns: string[], opts: { optional?: boolean } = {}): OneRosterTable | null {
  const bytes = files.get(file)
  if (!bytes) {
    if (opts.optional) return null
    throw new RosterFormatError('missing_file', `${file} is missing from the OneRoster files.`, { file })
  }
  const csv = parseCsv(decodeRosterBytes(bytes).text, { delimiter: ',', file })
  const index = new Map<string, number>()
  csv.header.forEach((h, i) => {
    const key = h.toLowerCase()
    if (!index.has(key)) index.set(key, i)
  })
  for (const column of requiredColumns) {
    if (!index.has(column.toLowerCase())) {
      throw new RosterFormatError('missing_column', `${file} has no "${column}" column.`, { file, line: csv.headerLine })
    }
  }
  const status = index.get('status')
  return {
    file,
    has: (column) => index.has(column.toLowerCase()),
    rows: csv.rows
      // Delta exports mark removed records; they are not part of the roster.
      .filter((row) => status === undefined || (row.cells[status] ?? '').trim().toLowerCase() !== 'tobedeleted')
      .map((row) => ({
        line: row.line,
        get(column: string) {
          const i = index.get(column.toLowerCase())
          return i === undefined ? '' : (row.cells[i] ?? '').trim()
        },
      })),
  }
}

/** OneRoster list fields ("p1,p2") inside one quoted cell. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
}

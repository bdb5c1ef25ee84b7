import { parse } from 'csv-parse/sync'
import { RosterFormatError } from './errors.server'

export type CsvDelimiter = ',' | ';' | '\t'

export interface CsvRow {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number
  cells: string[]
}

export interface ParsedCsv {
  delimiter: CsvDelimiter
  header: string[]
  /** The header line number (1 unless the file starts with blank lines or `sep=`). */
  headerLine: number
  rows: CsvRow[]
}

const CANDIDATES: CsvDelimiter[] = [';', ',', '\t']

/** Count candidate delimiters on the first line, ignoring those inside quotes. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(CANDIDATES.map((d) => [d, 0]))
  let inQuotes = false
  for (const ch of text) {
    if (ch === '"')
      inQuotes = !inQuotes // "" escapes toggle twice: no net effect
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break
    else if (!inQuotes && counts.has(ch as CsvDelimiter)) {
      counts.set(ch as CsvDelimiter, counts.get(ch as CsvDelimiter)! + 1)
    }
  }
  let best: CsvDelimiter = ','
  let bestCount = 0
  for (const [d, n] of counts) {
    if (n > bestCount) [best, bestCount] = [d, n]
  }
  return best
}

const SEP_LINE = /^sep=([,;\t])[ \t]*\n/i

/**
 * Parse CSV text into a header and rows with their file line numbers.
 * Line endings are normalized first: csv-parse counts a CRLF inside a quoted field as two
 * lines, which would shift every following line number.
 */
export function parseCsv(input: string, opts: { delimiter?: CsvDelimiter; file?: string } = {}): ParsedCsv {
  let text = input.replace(/\r\n?/g, '\n')
  let offset = 0
  let delimiter = opts.delimiter
  // Excel understands (and hides) a first line "sep=;" that forces the delimiter.
  const sep = SEP_LINE.exec(text)
  if (sep) {
    delimiter ??= sep[1] as CsvDelimiter
    text = text.slice(sep[0].length)
    offset = 1
  }
  delimiter ??= detectDelimiter(text.replace(/^\n+/, ''))

  let records: { record: string[]; info: { lines: number }; raw: string }[]
  try {
    // With info and raw, csv-parse returns { record, info, raw } objects; its types don't say so.
    records = parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as unknown as typeof records
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines + offset : undefined
    throw new RosterFormatError('malformed_csv', (err as Error).message, { file: opts.file, line })
  }

  const rows: CsvRow[] = []
  for (const { record, info, raw } of records) {
    if (record.every((cell) => cell.trim() === '')) continue // blank lines and ";;;;" rows
    // info.lines is the line where the record ends; subtract the newlines inside it.
    const inner = (raw.replace(/\n$/, '').match(/\n/g) ?? []).length
    rows.push({ line: info.lines - inner + offset, cells: record })
  }
  const head = rows.shift()
  if (!head) throw new RosterFormatError('empty_file', 'The file has no header line.', { file: opts.file })
  return { delimiter, header: head.cells.map((h) => h.trim()), headerLine: head.line, rows }
}

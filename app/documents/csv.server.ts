// CSV for spreadsheets: UTF-8 with a BOM (so French Excel shows « é » right), CRLF, quoted
// fields; a leading = + - @ is neutralized so a cell is never run as a formula.
export const UTF8_BOM = '\uFEFF'

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return ''
  let s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",;\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n'
}

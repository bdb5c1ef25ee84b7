// Problems that stop a whole file (as opposed to one rejected row).

export type RosterFormatErrorCode = 'empty_file' | 'malformed_csv' | 'invalid_zip' | 'missing_file' | 'missing_column' | 'unknown_mapping_column' | 'nul_byte'

export class RosterFormatError extends Error {
  readonly code: RosterFormatErrorCode
  readonly file?: string
  readonly line?: number

  constructor(code: RosterFormatErrorCode, message: string, where: { file?: string; line?: number } = {}) {
    super(message)
    this.name = 'RosterFormatError'
    this.code = code
    this.file = where.file
    this.line = where.line
  }
}

import { describe, expect, it } from 'vitest'
import { rejectReasonMessage, rosterFormatErrorMessage } from './messages.server'
import type { RosterFormatErrorCode } from './errors.server'
import type { RosterRejectReason } from './types.server'

const reasons: RosterRejectReason[] = [
  'missing_first_name',
  'missing_last_name',
  'missing_birth_date',
  'impossible_date',
  'missing_class',
  'invalid_email',
  'duplicate',
  'name_too_long',
  'missing_id',
  'unknown_class',
  'unknown_user',
  'missing_email',
]
const codes: RosterFormatErrorCode[] = ['empty_file', 'malformed_csv', 'invalid_zip', 'missing_file', 'missing_column', 'unknown_mapping_column', 'nul_byte']

describe('roster messages', () => {
  it('gives each rejection its own sentence in French and English', () => {
    for (const lang of ['fr', 'en'] as const) {
      const all = reasons.map((r) => rejectReasonMessage(r, lang))
      expect(new Set(all).size).toBe(reasons.length)
    }
    expect(rejectReasonMessage('impossible_date', 'fr')).toContain('jj/mm/aaaa')
    expect(rejectReasonMessage('impossible_date', 'en')).toContain('dd/mm/yyyy')
    expect(rejectReasonMessage('duplicate', 'fr')).toMatch(/Supprimez/)
  })

  it('explains file-level errors in both languages', () => {
    for (const code of codes) {
      expect(rosterFormatErrorMessage(code, 'fr')).not.toBe(rosterFormatErrorMessage(code, 'en'))
    }
  })
})

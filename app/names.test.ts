import { describe, expect, test } from 'vitest'
import { checkName, nameField, NAME_MAX, normalizeName, optionalNameField } from './names'

// What a hostile or careless name carries: direction overrides that make "Zoé" display as
// another string, zero-width characters that make two names look alike, control characters.
const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']
const ZERO_WIDTH = ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060']

describe('normalizeName', () => {
  test.each([...BIDI, ...ZERO_WIDTH].map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, c]))('%s is removed', (_n, c) => {
    expect(normalizeName(`Zo${c}é${c} Mar${c}tin`)).toBe('Zoé Martin')
  })

  test('the classic spoof: an override that shows "Zoé" reversed is just letters again', () => {
    expect(normalizeName('\u202Eéoz\u202C')).toBe('éoz')
  })

  test('control characters become spaces; spaces collapse; NFC; accents, apostrophes and hyphens stay', () => {
    expect(normalizeName('  Jean\t\n-Pierre\u0000 ')).toBe('Jean -Pierre')
    expect(normalizeName('Zoe\u0301')).toBe('Zoé')
    expect(normalizeName("N’Guessan-O'Brien Nguyễn")).toBe("N’Guessan-O'Brien Nguyễn")
  })

  test('checkName: required, then at most 100 characters as the reader counts them', () => {
    expect(checkName(' \u200B ', 'signup.first_name_required')).toEqual({ ok: false, key: 'signup.first_name_required' })
    expect(checkName('é'.repeat(NAME_MAX), 'signup.first_name_required')).toEqual({ ok: true, name: 'é'.repeat(NAME_MAX) })
    expect(checkName('a'.repeat(10_000), 'signup.first_name_required')).toEqual({ ok: false, key: 'names.too_long', vars: { max: 100 } })
  })

  test('the form field normalises, and refuses a 10,000-character name with its own message', () => {
    const field = nameField('signup.first_name_required')
    expect(field.parse('\u202EZoé\u200B')).toBe('Zoé')
    const r = field.safeParse('x'.repeat(10_000))
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.message).toBe('names.too_long?max=100')
    expect(field.safeParse('\u200B').error?.issues[0]?.message).toBe('signup.first_name_required')
    expect(optionalNameField().parse(' \u2066 ')).toBeNull()
    expect(optionalNameField().safeParse('y'.repeat(101)).success).toBe(false)
  })
})

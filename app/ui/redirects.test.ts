import { describe, expect, test } from 'vitest'
import { safeNext } from './redirects'

// Each of these once sent a browser off-site (or made a 500) after login on some web app.
const OFFSITE = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '//evil.example',
  '///evil.example',
  '/.//evil.example',
  '/%2F%2Fevil.example',
  '/%5C%5Cevil.example',
  'https://evil.example',
  'https:evil.example',
  'http://evil.example@localhost',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '\u000b',
  '/\u000b/evil.example',
  '/home\u0000',
  '/home\u0085',
  'evil.example',
  ' //evil.example',
]

describe('safeNext', () => {
  test.each(OFFSITE)('%j goes home', (payload) => {
    expect(safeNext(payload)).toBe('/home')
    expect(safeNext(payload, '/')).toBe('/')
  })

  test('same-origin paths are kept with their query and fragment', () => {
    expect(safeNext('/org/123/classes?tab=1#top')).toBe('/org/123/classes?tab=1#top')
    expect(safeNext('/me')).toBe('/me')
    expect(safeNext('/élèves')).toBe('/%C3%A9l%C3%A8ves')
  })

  test("an absolute URL on Carnet's own public address is kept as its path", () => {
    const own = (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '')
    expect(safeNext(`${own}/org/1?x=2`)).toBe('/org/1?x=2')
  })

  test('nothing, or something too long, goes to the fallback', () => {
    expect(safeNext(null)).toBe('/home')
    expect(safeNext(undefined, '/')).toBe('/')
    expect(safeNext('')).toBe('/home')
    expect(safeNext('/' + 'a'.repeat(5000))).toBe('/home')
  })
})

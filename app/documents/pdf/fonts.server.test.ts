import { PDFDocument } from 'pdf-lib'
import { beforeAll, describe, expect, it } from 'vitest'
import { embedCarnetFonts, hasGlyph, loadFontBytes, safeText, type CarnetFonts } from './fonts.server'

let fonts: CarnetFonts

beforeAll(async () => {
  fonts = await embedCarnetFonts(await PDFDocument.create())
})

describe('fonts', () => {
  it('reads each font file once and reuses the bytes', async () => {
    const [a, b] = await Promise.all([loadFontBytes('regular'), loadFontBytes('regular')])
    expect(a).toBe(b)
    expect(await loadFontBytes('regular')).toBe(a)
    expect(a.byteLength).toBeGreaterThan(100_000)
  })

  it.each(['Zoé', 'Łukasz', 'Nguyễn', 'Ömer', "Ioana-Maria O'Brien", 'Ђорђе', 'Αθηνά', 'Çağrı'])('keeps the real glyphs of %s in every font', (name) => {
    for (const font of [fonts.regular, fonts.bold]) expect(safeText(font, name)).toBe(name)
  })

  it('composes decomposed accents so the precomposed glyph is used', () => {
    expect(safeText(fonts.regular, 'Zoe\u0301')).toBe('Zoé')
  })

  it('replaces characters the font lacks with "?" instead of throwing', () => {
    expect(hasGlyph(fonts.regular, '漢')).toBe(false)
    expect(safeText(fonts.regular, 'Ana 漢字 𓀀!')).toBe('Ana ?? ?!')
  })

  it('falls back to the NFKD base letters when the font has them', () => {
    expect(hasGlyph(fonts.regular, 'ℊ')).toBe(false)
    expect(safeText(fonts.regular, 'ℊ ⑫')).toBe('g 12')
  })

  it('turns control characters into spaces and drops a lone missing combining mark', () => {
    expect(safeText(fonts.regular, 'a\tb\u0007c')).toBe('a b c')
    expect(safeText(fonts.regular, 'a\u1dc0')).toBe('a')
  })

  it('handles codes in the monospace font', () => {
    expect(safeText(fonts.mono, 'K7P-2QX0')).toBe('K7P-2QX0')
  })
})

import fs from 'node:fs'
import path from 'node:path'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { decodeRosterBytes } from './decode.server'

describe('decodeRosterBytes', () => {
  it('reads plain UTF-8, including characters outside Latin-1', () => {
    const out = decodeRosterBytes(Buffer.from('Nom;Prénom\nNguyễn;Zoé\n', 'utf8'))
    expect(out).toEqual({ text: 'Nom;Prénom\nNguyễn;Zoé\n', encoding: 'utf-8' })
  })

  it('strips the BOM Excel writes in "CSV UTF-8"', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Prénom;Nom', 'utf8')])
    const out = decodeRosterBytes(bytes)
    expect(out.encoding).toBe('utf-8-bom')
    expect(out.text).toBe('Prénom;Nom')
    expect(out.text.charCodeAt(0)).not.toBe(0xfeff)
  })

  it('falls back to Windows-1252 for French Excel files, including ’ and œ', () => {
    const original = 'Prénom;Nom\nZoé;Cœur\nHélène;L’Hôte\n'
    const bytes = iconv.encode(original, 'win1252')
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
    expect(decodeRosterBytes(bytes)).toEqual({ text: original, encoding: 'windows-1252' })
  })

  it('treats pure ASCII as UTF-8', () => {
    expect(decodeRosterBytes(Buffer.from('a,b\n1,2')).encoding).toBe('utf-8')
  })
})

describe('UTF-16 and NUL bytes (real files)', () => {
  const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name))
  const reference = fixture('eleves-excel-fr.csv')
    .toString('utf8')
    .replace(/^\ufeff/, '')

  it("reads Excel's “Unicode text” (UTF-16 LE with BOM, tab-separated)", () => {
    const out = decodeRosterBytes(fixture('eleves-texte-unicode.txt'))
    expect(out.encoding).toBe('utf-16le')
    expect(out.text).toBe(reference.replaceAll(';', '\t'))
  })

  it('reads UTF-16 BE with BOM', () => {
    const out = decodeRosterBytes(fixture('eleves-utf16be.csv'))
    expect(out).toEqual({ text: reference, encoding: 'utf-16be' })
  })

  it('any other NUL byte stops the file with the line it is on', () => {
    expect(() => decodeRosterBytes(fixture('eleves-nul.csv'))).toThrow(expect.objectContaining({ code: 'nul_byte', line: 4 }))
    // UTF-16 without its byte-order mark: a NUL on the very first line.
    expect(() => decodeRosterBytes(fixture('eleves-utf16-sans-bom.csv'))).toThrow(expect.objectContaining({ code: 'nul_byte', line: 1 }))
  })
})

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

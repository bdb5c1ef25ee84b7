import { describe, expect, it } from 'vitest'
import { detectDelimiter, parseCsv } from './csv.server'
import { RosterFormatError } from './errors.server'

describe('detectDelimiter', () => {
  it('picks the delimiter of the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('"Nom, prénom";Classe;Groupe\n1,2,3,4,5')).toBe(';')
    expect(detectDelimiter('"a;b;c",d,e\n')).toBe(',')
    expect(detectDelimiter('Nom\tPrénom\tClasse\n')).toBe('\t')
  })

  it('defaults to comma for a single column', () => {
    expect(detectDelimiter('Nom\nDupont')).toBe(',')
  })
})

describe('parseCsv', () => {
  it('gives each row the file line where it starts, across quoted multiline cells and blank lines', () => {
    const text = [
      'Nom;Prénom;Remarque', // 1
      'Dupont;Zoé;"allergie', // 2
      'aux arachides"', // 3
      '', // 4
      ';;', // 5: empty cells only, skipped
      'Martin;"Léa ""Lili""";ok', // 6
      '"O\'Brien";Seán;"a', // 7
      '', // 8 (inside quotes)
      'b"', // 9
      'Petit;Jean;x', // 10
    ].join('\r\n')
    const csv = parseCsv(text)
    expect(csv.delimiter).toBe(';')
    expect(csv.header).toEqual(['Nom', 'Prénom', 'Remarque'])
    expect(csv.headerLine).toBe(1)
    expect(csv.rows).toEqual([
      { line: 2, cells: ['Dupont', 'Zoé', 'allergie\naux arachides'] },
      { line: 6, cells: ['Martin', 'Léa "Lili"', 'ok'] },
      { line: 7, cells: ["O'Brien", 'Seán', 'a\n\nb'] },
      { line: 10, cells: ['Petit', 'Jean', 'x'] },
    ])
  })

  it('keeps physical line numbers when the file starts with blank lines', () => {
    const csv = parseCsv('\n\nNom,Prénom\nDupont,Zoé\n')
    expect(csv.headerLine).toBe(3)
    expect(csv.rows).toEqual([{ line: 4, cells: ['Dupont', 'Zoé'] }])
  })

  it('honours the "sep=;" line Excel writes and hides', () => {
    const csv = parseCsv('sep=;\nNom;Prénom, 2e\nDupont;Zoé, Anne\n')
    expect(csv.delimiter).toBe(';')
    expect(csv.header).toEqual(['Nom', 'Prénom, 2e'])
    expect(csv.rows).toEqual([{ line: 3, cells: ['Dupont', 'Zoé, Anne'] }])
  })

  it('accepts short and long rows', () => {
    const csv = parseCsv('a,b,c\n1\n1,2,3,4\n')
    expect(csv.rows.map((r) => r.cells)).toEqual([['1'], ['1', '2', '3', '4']])
  })

  it('reports an unclosed quote as malformed', () => {
    const err = (() => {
      try {
        parseCsv('Nom,Prénom\nDupont,"Zoé\nMartin,Léa\n')
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(RosterFormatError)
    expect((err as RosterFormatError).code).toBe('malformed_csv')
  })

  it('rejects a file without a header', () => {
    expect(() => parseCsv('\n ; \n')).toThrow(expect.objectContaining({ code: 'empty_file' }))
  })
})

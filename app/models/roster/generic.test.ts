import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { parseGenericRoster } from './generic.server'

const today = '2025-09-01'
// French Excel "CSV UTF-8": BOM, CRLF, semicolons, accents; bad rows on lines 5 and 8.
const excelFile = readFileSync(new URL('./fixtures/eleves-excel-fr.csv', import.meta.url))

const expectedChildren = [
  {
    line: 2,
    externalId: 'INE001',
    firstName: 'Zoé',
    lastName: 'Dupont',
    birthDate: '2019-04-03',
    className: 'CP A',
    groupName: 'Lecteurs',
    guardianEmails: ['parent.dupont@exemple.fr'],
  },
  {
    line: 3,
    externalId: 'INE002',
    firstName: 'Seán Patrick',
    lastName: "O'Brien",
    birthDate: '2018-11-30',
    className: 'CP A',
    guardianEmails: ['obrien@example.ie'],
  },
  {
    line: 4,
    externalId: 'INE003',
    firstName: 'Chloé',
    lastName: 'Lefèvre',
    birthDate: '2018-09-01',
    className: 'CE1 B',
    guardianEmails: ['famille.lefevre@example.fr', 'm.lefevre@example.fr'],
  },
  {
    line: 9,
    externalId: 'INE006',
    firstName: 'Noémie',
    lastName: "D'Almeida",
    birthDate: '2018-12-17',
    className: 'CE1 B',
    guardianEmails: ['parent.dupont@exemple.fr'],
  },
]

const expectedRejected = [
  { line: 5, reason: 'impossible_date', detail: 'birth date "31/02/2019" does not exist in the calendar' },
  { line: 8, reason: 'missing_class', detail: 'class is empty' },
]

function csv(lines: string[]): Buffer {
  return Buffer.from(lines.join('\n'), 'utf8')
}

describe('parseGenericRoster', () => {
  it('reads a French Excel CSV with BOM and reports the two bad rows with their lines', () => {
    const result = parseGenericRoster(excelFile, { today })
    expect(result.encoding).toBe('utf-8-bom')
    expect(result.delimiter).toBe(';')
    expect(result.mapping.missing).toEqual([])
    expect(result.mapping.unrecognized).toEqual([])
    expect(result.children).toEqual(expectedChildren)
    expect(result.rejected).toEqual(expectedRejected)
  })

  it('gives the same result for the same file saved in Windows-1252', () => {
    const text = excelFile.subarray(3).toString('utf8')
    const result = parseGenericRoster(iconv.encode(text, 'win1252'), { today })
    expect(result.encoding).toBe('windows-1252')
    expect(result.children).toEqual(expectedChildren)
    expect(result.rejected).toEqual(expectedRejected)
  })

  it('keeps names outside Latin-1 and a multiline cell does not shift later lines', () => {
    const result = parseGenericRoster(csv(['last name,first name,birth date,class,notes', 'Nguyễn,Thị  Lan,2019-05-06,CP A,"peanut', 'allergy"', 'Kowalski,,2019-05-06,CP A,']), { today })
    expect(result.encoding).toBe('utf-8')
    expect(result.children.map((c) => [c.line, c.lastName, c.firstName])).toEqual([[2, 'Nguyễn', 'Thị Lan']])
    expect(result.rejected).toEqual([{ line: 4, reason: 'missing_first_name', detail: 'first name is empty' }])
  })

  it('rejects the second occurrence of a child, naming the line of the first', () => {
    const result = parseGenericRoster(
      csv([
        'Identifiant;Nom;Prénom;Date de naissance;Classe',
        'A1;Dupont;Zoé;03/04/2019;CP A',
        'A2;DUPONT;zoe;3/4/2019;CP B', // same person, different id: name + date match
        'A1;Durand;Paul;01/01/2019;CP A', // same id
        ';Petit;Jean;01/01/2019;CP A',
        ';petit; jean ;2019-01-01;CP A', // no id: name + date match
        'A9;Petit;Jean;02/01/2019;CP A', // another day: another child
      ]),
      { today },
    )
    expect(result.children.map((c) => c.line)).toEqual([2, 5, 7])
    expect(result.rejected).toEqual([
      { line: 3, reason: 'duplicate', detail: 'same name and birth date as line 2' },
      { line: 4, reason: 'duplicate', detail: 'same id "A1" as line 2' },
      { line: 6, reason: 'duplicate', detail: 'same name and birth date as line 5' },
    ])
  })

  it('rejects each kind of bad row with its own reason', () => {
    const result = parseGenericRoster(
      csv([
        'Nom;Prénom;Date de naissance;Classe;Email responsable 1;Email responsable 2',
        ';Zoé;03/04/2019;CP A;;', // 2
        'Dupont;;03/04/2019;CP A;;', // 3
        'Dupont;Zoé;;CP A;;', // 4
        'Dupont;Zoé;2026-01-01;CP A;;', // 5
        'Dupont;Zoé;03/04/1990;CP A;;', // 6
        'Dupont;Zoé;avril 2019;CP A;;', // 7
        'Dupont;Zoé;03/04/2019;  ;;', // 8
        'Dupont;Zoé;03/04/2019;CP A;ok@example.fr;pas-un-email', // 9
        'Dupont;Zoé;03/04/2019;CP A;a@b;', // 10
      ]),
      { today },
    )
    expect(result.children).toEqual([])
    expect(result.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'missing_last_name'],
      [3, 'missing_first_name'],
      [4, 'missing_birth_date'],
      [5, 'impossible_date'],
      [6, 'impossible_date'],
      [7, 'impossible_date'],
      [8, 'missing_class'],
      [9, 'invalid_email'],
      [10, 'invalid_email'],
    ])
    expect(result.rejected[3]!.detail).toBe('birth date "2026-01-01" is in the future')
    expect(result.rejected[4]!.detail).toBe('birth date "03/04/1990" gives an age over 25')
    expect(result.rejected[5]!.detail).toContain('dd/mm/yyyy')
    expect(result.rejected[7]!.detail).toBe('"pas-un-email" is not an email address')
  })

  it("applies the admin's column mapping", () => {
    const file = csv(['Pupil,Forename,Born,Form,Mum', 'Smith,Amy,2019-02-03,Year 1,MUM@example.com'])
    const guessed = parseGenericRoster(file, { today })
    expect(guessed.mapping.missing).toEqual(['firstName', 'lastName', 'birthDate', 'className'])
    expect(guessed.headers).toEqual(['Pupil', 'Forename', 'Born', 'Form', 'Mum'])
    expect(guessed.children).toEqual([])
    expect(guessed.rejected).toEqual([{ line: 2, reason: 'missing_last_name', detail: 'last name is empty' }])

    const mapped = parseGenericRoster(file, {
      today,
      mapping: { lastName: 'Pupil', firstName: 'Forename', birthDate: 'Born', className: 'Form', guardian1Email: 'Mum' },
    })
    expect(mapped.mapping.missing).toEqual([])
    expect(mapped.rejected).toEqual([])
    expect(mapped.children).toEqual([
      {
        line: 2,
        firstName: 'Amy',
        lastName: 'Smith',
        birthDate: '2019-02-03',
        className: 'Year 1',
        guardianEmails: ['mum@example.com'],
      },
    ])
  })

  it('reads a tab-separated export', () => {
    const result = parseGenericRoster(csv(['Nom\tPrénom\tDate de naissance\tClasse', 'Roux\tÉmile\t12.10.2018\tGS']), { today })
    expect(result.delimiter).toBe('\t')
    expect(result.children.map((c) => [c.lastName, c.firstName, c.birthDate, c.className])).toEqual([['Roux', 'Émile', '2018-10-12', 'GS']])
  })
})

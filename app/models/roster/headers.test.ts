import { describe, expect, it } from 'vitest'
import { applyMapping, detectMapping } from './headers.server'

describe('detectMapping', () => {
  it('recognizes French headers whatever the case, accents and spacing', () => {
    const headers = ['NOM', 'prenom', 'Date de naissance', ' Classe ', 'Groupe', 'INE', 'Email responsable 1', 'E-mail  Responsable 2']
    expect(detectMapping(headers)).toEqual({
      fields: {
        lastName: 0,
        firstName: 1,
        birthDate: 2,
        className: 3,
        groupName: 4,
        externalId: 5,
        guardian1Email: 6,
        guardian2Email: 7,
      },
      unrecognized: [],
      missing: [],
    })
  })

  it('recognizes English headers with underscores', () => {
    const headers = ['External ID', 'given_name', 'Family Name', 'DOB', 'class', 'group', 'Parent 1 email', 'guardian_2_email']
    expect(detectMapping(headers).fields).toEqual({
      externalId: 0,
      firstName: 1,
      lastName: 2,
      birthDate: 3,
      className: 4,
      groupName: 5,
      guardian1Email: 6,
      guardian2Email: 7,
    })
    expect(detectMapping(['first name', 'lastname', 'date of birth', 'Class', 'id']).missing).toEqual([])
    expect(detectMapping(["Nom de l'élève", 'Prénom élève', 'Date de naissance (jj/mm/aaaa)', 'Classe']).missing).toEqual([])
  })

  it('lists unknown columns and missing required fields', () => {
    const m = detectMapping(['Prénom', 'Nom', 'Remarques', '', 'Nom'])
    expect(m.fields).toEqual({ firstName: 0, lastName: 1 })
    expect(m.unrecognized).toEqual([
      { index: 2, header: 'Remarques' },
      { index: 4, header: 'Nom' },
    ])
    expect(m.missing).toEqual(['birthDate', 'className'])
  })
})

describe('applyMapping', () => {
  const headers = ['Élève', 'Prénom', 'Né(e) le', 'Niveau', 'Classe']

  it("uses the admin's choices for columns it cannot guess", () => {
    const m = applyMapping(headers, { lastName: 'Élève', birthDate: 'Né(e) le' })
    expect(m.fields).toEqual({ firstName: 1, className: 4, lastName: 0, birthDate: 2 })
    expect(m.missing).toEqual([])
    expect(m.unrecognized).toEqual([{ index: 3, header: 'Niveau' }])
  })

  it('moves a detected column to the chosen field and can ignore a field', () => {
    const m = applyMapping(headers, { className: 'Niveau', groupName: 'Classe', firstName: null })
    expect(m.fields).toEqual({ className: 3, groupName: 4 })
    expect(m.missing).toEqual(['firstName', 'lastName', 'birthDate'])
  })

  it('matches the chosen header loosely when not exact', () => {
    expect(applyMapping(headers, { lastName: 'eleve' }).fields.lastName).toBe(0)
  })

  it('refuses a column that does not exist', () => {
    expect(() => applyMapping(headers, { lastName: 'Surname' })).toThrow(expect.objectContaining({ code: 'unknown_mapping_column' }))
  })

  it('without override, equals detection', () => {
    expect(applyMapping(headers)).toEqual(detectMapping(headers))
  })
})

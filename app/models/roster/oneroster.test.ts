import { describe, expect, it } from 'vitest'
import { makeZip } from './fixtures/make-zip'
import { parseOneRoster, parseOneRosterZip } from './oneroster.server'

const today = '2025-09-01'
const lines = (...rows: string[]) => rows.join('\r\n') + '\r\n'

// OneRoster 1.1 layout (role on users.csv). Comments give the line of each row.
const v11: Record<string, string> = {
  'orgs.csv': lines('sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', 'org1,,,École Jules Ferry,school,0751234A,'),
  'classes.csv': lines(
    'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods',
    'c1,,,CP A,01,k1,CPA,homeroom,,org1,t1,,,',
    'c2,,,CE1 B,02,k2,CE1B,homeroom,,org1,t1,,,',
    'c3,,,Anglais CP,01,k3,ANG,scheduled,,org1,t1,,,',
    'c4,,,,01,k4,,homeroom,,org1,t1,,,', // 5: no title
  ),
  'users.csv': lines(
    'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
    's1,,,true,org1,student,zoe.d,,Zoé,Dupont,,INE001,,,,"p1,p2",01,', // 2
    "s2,,,true,org1,student,,,Noémie,D'Almeida,,,,,,,02,", // 3: guardian p1 links from its side
    's3,,,true,org1,student,,,Hugo,Bénard,,,,,,,01,', // 4: no demographics
    's4,,,true,org1,student,,,Léa,Martin,,,,,,,01,', // 5: impossible birth date
    's5,,,true,org1,student,,,Paul,Durand,,,,,,,01,', // 6: no enrollment
    'p1,,,true,org1,parent,,,Marie,Dupont,,,Parent.Dupont@Exemple.fr ,,,"s1,s2",,', // 7
    'p2,,,true,org1,guardian,,,Jean,Dupont,,,jean.dupont@,,,s1,,', // 8: bad email
    't1,,,true,org1,teacher,,,Claire,Moreau,,,Claire.Moreau@ecole.fr,,,,,', // 9
    't2,,,true,org1,teacher,,,Marc,Leroy,,,,,,,,', // 10: no email
    's1,,,true,org1,student,,,Zoé,Dupont,,,,,,,01,', // 11: same sourcedId
    's6,,,true,org1,student,,,ZOE,dupont,,,,,,,01,', // 12: same person as s1
    's7,tobedeleted,2025-08-01,true,org1,student,,,Ana,Ancienne,,,,,,,01,', // 13: removed
  ),
  'demographics.csv': lines(
    'sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian',
    's1,,,2019-04-03,female,,',
    's2,,,2018-12-17,female,,',
    's4,,,2019-02-31,female,,', // 4
    's5,,,2019-01-01,male,,',
    's6,,,2019-04-03,female,,',
  ),
  'enrollments.csv': lines(
    'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
    'e1,,,c3,org1,s1,student,false,,', // subject class listed first: the homeroom wins
    'e2,,,c1,org1,s1,student,false,,',
    'e3,,,c2,org1,s2,student,false,,',
    'e4,,,c1,org1,s3,student,false,,',
    'e5,,,c1,org1,s4,student,false,,',
    'e6,,,c1,org1,t1,teacher,true,,',
    'e7,,,c3,org1,t1,teacher,false,,',
    'e8,,,c9,org1,s2,student,false,,', // 9: unknown class
    'e9,,,c1,org1,zz,student,false,,', // 10: unknown user
    'e10,,,c1,org1,a1,aide,false,,', // ignored role
    'e11,,,c2,org1,s6,student,false,,',
  ),
}

const toFiles = (set: Record<string, string>) => new Map(Object.entries(set).map(([k, v]) => [k, Buffer.from(v, 'utf8')]))

const expected = {
  orgs: [{ sourcedId: 'org1', name: 'École Jules Ferry', type: 'school' }],
  children: [
    {
      line: 2,
      externalId: 's1',
      firstName: 'Zoé',
      lastName: 'Dupont',
      birthDate: '2019-04-03',
      className: 'CP A',
      guardianEmails: ['parent.dupont@exemple.fr'],
    },
    {
      line: 3,
      externalId: 's2',
      firstName: 'Noémie',
      lastName: "D'Almeida",
      birthDate: '2018-12-17',
      className: 'CE1 B',
      guardianEmails: ['parent.dupont@exemple.fr'],
    },
  ],
  teachers: [
    {
      externalId: 't1',
      firstName: 'Claire',
      lastName: 'Moreau',
      email: 'claire.moreau@ecole.fr',
      classNames: ['CP A', 'Anglais CP'],
      leadClassNames: ['CP A'],
    },
  ],
  rejected: [
    { file: 'classes.csv', line: 5, reason: 'missing_class', detail: 'class title is empty' },
    { file: 'users.csv', line: 4, reason: 'missing_birth_date', detail: 'no row for "s3" in demographics.csv' },
    { file: 'users.csv', line: 6, reason: 'missing_class', detail: 'no student enrollment in enrollments.csv' },
    { file: 'users.csv', line: 8, reason: 'invalid_email', detail: '"jean.dupont@" is not an email address' },
    { file: 'users.csv', line: 10, reason: 'missing_email', detail: 'teacher has no email, so cannot be invited' },
    { file: 'users.csv', line: 11, reason: 'duplicate', detail: 'sourcedId "s1" already on line 2' },
    { file: 'users.csv', line: 12, reason: 'duplicate', detail: 'same name and birth date as line 2' },
    { file: 'demographics.csv', line: 4, reason: 'impossible_date', detail: 'birthDate "2019-02-31" does not exist in the calendar' },
    { file: 'enrollments.csv', line: 9, reason: 'unknown_class', detail: 'no class "c9" in classes.csv' },
    { file: 'enrollments.csv', line: 10, reason: 'unknown_user', detail: 'no user "zz" in users.csv' },
  ],
}

describe('parseOneRoster', () => {
  it('normalizes separate OneRoster 1.1 files and rejects bad rows with file and line', () => {
    expect(parseOneRoster(toFiles(v11), { today })).toEqual(expected)
  })

  it('gives the same result from a zip of the same files', async () => {
    const zip = await makeZip([{ name: 'manifest.csv', content: 'propertyName,value\nmanifest.version,1.0\n' }, ...Object.entries(v11).map(([name, content]) => ({ name, content }))])
    expect(parseOneRosterZip(zip, { today })).toEqual(expected)
  })

  it('reads the 1.2 layout: roles in roles.csv, files in a folder, no orgs.csv', async () => {
    const zip = await makeZip([
      { name: 'export/', directory: true },
      { name: '__MACOSX/export/._users.csv', content: 'junk' },
      {
        name: 'export/users.csv',
        content: lines(
          'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns',
          'u1,,,true,,,Inès,Roux,,,,,,g1,,,,,,,,org1,',
          'g1,,,true,,,Karim,Roux,,,k.roux@example.fr,,,,,,,,,,,org1,',
          't1,,,true,,,Anne,Petit,,,anne.petit@ecole.fr,,,,,,,,,,,org1,',
        ),
      },
      {
        name: 'export/roles.csv',
        content: lines(
          'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId',
          'r1,,,u1,primary,student,,,org1,',
          'r2,,,g1,primary,guardian,,,org1,',
          'r3,,,t1,primary,teacher,,,org1,',
          'r4,,,nobody,primary,teacher,,,org1,', // 5
        ),
      },
      { name: 'export/classes.csv', content: lines('sourcedId,status,dateLastModified,title,classType', 'c1,,,GS Étoiles,homeroom') },
      { name: 'export/demographics.csv', content: lines('sourcedId,status,dateLastModified,birthDate', 'u1,,,2020-01-15') },
      {
        name: 'export/enrollments.csv',
        content: lines('sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary', 'e1,,,c1,org1,u1,student,false', 'e2,,,c1,org1,t1,teacher,true'),
      },
    ])
    const result = parseOneRosterZip(zip, { today })
    expect(result.orgs).toEqual([])
    expect(result.children).toEqual([
      {
        line: 2,
        externalId: 'u1',
        firstName: 'Inès',
        lastName: 'Roux',
        birthDate: '2020-01-15',
        className: 'GS Étoiles',
        guardianEmails: ['k.roux@example.fr'],
      },
    ])
    expect(result.teachers).toEqual([{ externalId: 't1', firstName: 'Anne', lastName: 'Petit', email: 'anne.petit@ecole.fr', classNames: ['GS Étoiles'], leadClassNames: ['GS Étoiles'] }])
    expect(result.rejected).toEqual([{ file: 'roles.csv', line: 5, reason: 'unknown_user', detail: 'no user "nobody" in users.csv' }])
  })

  it('stops with a clear error when a required file or column is missing', () => {
    const withoutUsers = toFiles(v11)
    withoutUsers.delete('users.csv')
    expect(() => parseOneRoster(withoutUsers, { today })).toThrow(expect.objectContaining({ code: 'missing_file', file: 'users.csv' }))
    const badEnrollments = toFiles({ ...v11, 'enrollments.csv': 'sourcedId,classSourcedId,role\ne1,c1,student\n' })
    expect(() => parseOneRoster(badEnrollments, { today })).toThrow(expect.objectContaining({ code: 'missing_column', file: 'enrollments.csv' }))
  })
})

import { parseBirthDate } from './dates.server'
import { DATE_PROBLEM_DETAIL, DuplicateTracker } from './generic.server'
import { CLASS_NAME_MAX, nameLength } from '../../names'
import { cleanText, nameTooLong, normalizeEmail } from './normalize.server'
import { indexFiles, readTable, splitList, type OneRosterTable } from './oneroster-files.server'
import type { OneRosterRejectReason, RosterChild, RosterFileRejection, RosterTeacher } from './types.server'
import { readZip } from './zip.server'

export interface OneRosterOrg {
  sourcedId: string
  name: string
  type: string
}

export interface OneRosterResult {
  orgs: OneRosterOrg[]
  /** Students; `line` is their line in users.csv and `externalId` their sourcedId. */
  children: RosterChild[]
  teachers: RosterTeacher[]
  rejected: RosterFileRejection[]
}

export interface OneRosterOptions {
  today: Date | string
}

interface User {
  line: number
  sourcedId: string
  firstName: string
  lastName: string
  email: string
  agents: string[]
  roles: Set<string>
  enrollments: { classId: string; role: 'student' | 'teacher'; primary: boolean }[]
}

interface ClassInfo {
  title: string
  homeroom: boolean
}

const GUARDIAN_ROLES = new Set(['parent', 'guardian'])
const FILE_ORDER = ['orgs.csv', 'classes.csv', 'users.csv', 'roles.csv', 'demographics.csv', 'enrollments.csv']

/** OneRoster 1.1/1.2 CSV files (name → bytes) into the same shape as a generic roster. */
export function parseOneRoster(input: Map<string, Buffer>, opts: OneRosterOptions): OneRosterResult {
  const files = indexFiles(input)
  const rejected: RosterFileRejection[] = []
  const reject = (file: string, line: number, reason: OneRosterRejectReason, detail: string) => rejected.push({ file, line, reason, detail })

  // Uniqueness of sourcedIds within a file; later rows with a seen id are rejected.
  const unique = <T>(table: OneRosterTable, build: (row: OneRosterTable['rows'][number]) => T | null) => {
    const out = new Map<string, T & { line: number }>()
    for (const row of table.rows) {
      const id = row.get('sourcedId')
      if (!id) reject(table.file, row.line, 'missing_id', 'sourcedId is empty')
      else if (out.has(id)) reject(table.file, row.line, 'duplicate', `sourcedId "${id}" already on line ${out.get(id)!.line}`)
      else {
        const value = build(row)
        if (value) out.set(id, { ...value, line: row.line })
      }
    }
    return out
  }

  const orgsTable = readTable(files, 'orgs.csv', ['sourcedId', 'name'], { optional: true })
  const orgs = orgsTable ? [...unique(orgsTable, (r) => ({ name: cleanText(r.get('name')), type: r.get('type') })).entries()].map(([sourcedId, o]) => ({ sourcedId, name: o.name, type: o.type })) : []

  const classesTable = readTable(files, 'classes.csv', ['sourcedId', 'title'])!
  const classes = unique<ClassInfo>(classesTable, (r) => {
    const title = cleanText(r.get('title'))
    if (title && nameLength(title) > CLASS_NAME_MAX) {
      reject(classesTable.file, r.line, 'name_too_long', `class title is longer than ${CLASS_NAME_MAX} characters`)
      return null
    }
    if (title) return { title, homeroom: r.get('classType').toLowerCase() === 'homeroom' }
    reject(classesTable.file, r.line, 'missing_class', 'class title is empty')
    return null
  })

  const usersTable = readTable(files, 'users.csv', ['sourcedId', 'givenName', 'familyName'])!
  const users = unique<User>(usersTable, (r) => ({
    line: r.line,
    sourcedId: r.get('sourcedId'),
    firstName: cleanText(r.get('givenName')),
    lastName: cleanText(r.get('familyName')),
    email: r.get('email'),
    agents: splitList(r.get('agentSourcedIds')),
    // 1.1 keeps the role on the user; 1.2 moved it to roles.csv.
    roles: new Set(r.get('role') ? [r.get('role').toLowerCase()] : []),
    enrollments: [],
  }))

  const rolesTable = readTable(files, 'roles.csv', ['userSourcedId', 'role'], { optional: true })
  for (const row of rolesTable?.rows ?? []) {
    const user = users.get(row.get('userSourcedId'))
    if (user) user.roles.add(row.get('role').toLowerCase())
    else reject('roles.csv', row.line, 'unknown_user', `no user "${row.get('userSourcedId')}" in users.csv`)
  }

  const demographicsTable = readTable(files, 'demographics.csv', ['sourcedId', 'birthDate'], { optional: true })
  const birthDates = new Map<string, { line: number; value: string }>()
  for (const row of demographicsTable?.rows ?? []) {
    const id = row.get('sourcedId')
    if (id && !birthDates.has(id)) birthDates.set(id, { line: row.line, value: row.get('birthDate') })
  }

  const enrollmentsTable = readTable(files, 'enrollments.csv', ['classSourcedId', 'userSourcedId', 'role'])!
  for (const row of enrollmentsTable.rows) {
    const role = row.get('role').toLowerCase()
    if (role !== 'student' && role !== 'teacher') continue // aides, proctors… are not imported
    const classId = row.get('classSourcedId')
    const user = users.get(row.get('userSourcedId'))
    if (!classes.has(classId)) reject(enrollmentsTable.file, row.line, 'unknown_class', `no class "${classId}" in classes.csv`)
    else if (!user) reject(enrollmentsTable.file, row.line, 'unknown_user', `no user "${row.get('userSourcedId')}" in users.csv`)
    else {
      user.roles.add(role)
      user.enrollments.push({ classId, role, primary: row.get('primary').toLowerCase() === 'true' })
    }
  }

  // Guardian emails, validated once per guardian so a bad address is reported on its own row.
  const guardianEmail = new Map<string, string | null>()
  for (const user of users.values()) {
    if (![...user.roles].some((r) => GUARDIAN_ROLES.has(r))) continue
    const parsed = normalizeEmail(user.email)
    if (!parsed.ok) reject('users.csv', user.line, 'invalid_email', `"${user.email}" is not an email address`)
    guardianEmail.set(user.sourcedId, parsed.ok ? parsed.email : null)
  }

  // The link may be written on either side: student → guardians or guardian → students.
  const agentsOf = new Map<string, string[]>()
  for (const user of users.values()) {
    for (const id of user.agents) {
      const list = agentsOf.get(id)
      if (list) list.push(user.sourcedId)
      else agentsOf.set(id, [user.sourcedId])
    }
  }

  const children: RosterChild[] = []
  const duplicates = new DuplicateTracker()
  for (const user of users.values()) {
    if (!user.roles.has('student')) continue
    const child = toChild(user)
    if (!child) continue
    const duplicateOf = duplicates.check(child, user.line)
    if (duplicateOf) reject('users.csv', user.line, 'duplicate', duplicateOf)
    else children.push(child)
  }

  function toChild(user: User): RosterChild | null {
    const fail = (reason: OneRosterRejectReason, detail: string, file = 'users.csv', line = user.line) => {
      reject(file, line, reason, detail)
      return null
    }
    if (!user.lastName) return fail('missing_last_name', 'familyName is empty')
    if (!user.firstName) return fail('missing_first_name', 'givenName is empty')
    const tooLong = nameTooLong(user)
    if (tooLong) return fail('name_too_long', tooLong)
    const birth = birthDates.get(user.sourcedId)
    if (!birth) return fail('missing_birth_date', `no row for "${user.sourcedId}" in demographics.csv`)
    const date = parseBirthDate(birth.value, opts.today)
    if (!date.ok) {
      return date.reason === 'missing'
        ? fail('missing_birth_date', 'birthDate is empty', 'demographics.csv', birth.line)
        : fail('impossible_date', `birthDate "${birth.value}" ${DATE_PROBLEM_DETAIL[date.reason]}`, 'demographics.csv', birth.line)
    }
    // A Carnet child has one class: prefer the homeroom over subject classes.
    const own = user.enrollments.filter((e) => e.role === 'student').map((e) => classes.get(e.classId)!)
    const cls = own.find((c) => c.homeroom) ?? own[0]
    if (!cls) return fail('missing_class', 'no student enrollment in enrollments.csv')

    const guardianIds = new Set([...user.agents, ...(agentsOf.get(user.sourcedId) ?? [])])
    const guardianEmails = [...new Set([...guardianIds].map((id) => guardianEmail.get(id)).filter((e): e is string => !!e))]
    return {
      line: user.line,
      externalId: user.sourcedId,
      firstName: user.firstName,
      lastName: user.lastName,
      birthDate: date.iso,
      className: cls.title,
      guardianEmails,
    }
  }

  const teachers: RosterTeacher[] = []
  for (const user of users.values()) {
    if (!user.roles.has('teacher') || user.roles.has('student')) continue
    const fail = (reason: OneRosterRejectReason, detail: string) => reject('users.csv', user.line, reason, detail)
    if (!user.lastName) fail('missing_last_name', 'familyName is empty')
    else if (!user.firstName) fail('missing_first_name', 'givenName is empty')
    else if (nameTooLong(user)) fail('name_too_long', nameTooLong(user)!)
    else {
      const email = normalizeEmail(user.email)
      if (!email.ok) fail('invalid_email', `"${user.email}" is not an email address`)
      else if (!email.email) fail('missing_email', 'teacher has no email, so cannot be invited')
      else {
        const taught = user.enrollments.filter((e) => e.role === 'teacher')
        const title = (e: User['enrollments'][number]) => classes.get(e.classId)!.title
        teachers.push({
          externalId: user.sourcedId,
          firstName: user.firstName,
          lastName: user.lastName,
          email: email.email,
          classNames: [...new Set(taught.map(title))],
          leadClassNames: [...new Set(taught.filter((e) => e.primary).map(title))],
        })
      }
    }
  }

  rejected.sort((a, b) => FILE_ORDER.indexOf(a.file) - FILE_ORDER.indexOf(b.file) || a.line - b.line)
  return { orgs, children, teachers, rejected }
}

/** Same as parseOneRoster, from the zip a student information system exports. */
export function parseOneRosterZip(zip: Buffer, opts: OneRosterOptions): OneRosterResult {
  return parseOneRoster(readZip(zip), opts)
}

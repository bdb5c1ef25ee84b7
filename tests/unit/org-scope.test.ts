// Every lookup by id in app/models names the organization when the table has one: otherwise an
// id from another organization (a URL edited by hand, a stale form) would reach its row.
// The scan (org-scope-scan.ts) reads the real schema for the tables that have an orgId column.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as schema from '../../drizzle/schema'
import { scanOrgScope, sourceFiles, tablesOf } from './org-scope-scan'

const repo = path.resolve(__dirname, '../..')
const tables = tablesOf(schema)

// Lookups by id without the organization in the same where, each with the reason it cannot leak.
// Keyed `file#function:table`; an entry that no longer matches anything fails the test.
const ALLOWED: Record<string, string> = {
  'app/models/learning/child-quiz.server.ts#assignedQuiz:activities': "reached through the child's own enrolments and assignments (assignedTo joins), never by id alone",
  'app/models/families/family.server.ts#joinFamily:invitations': 'the invitation row passed in was read by its token hash (usableFamilyInvitation) and carries its organization',
  'app/models/staff/invitations.server.ts#activate:invitations': 'the invitation row passed in was read by its token hash (usableInvitation) and carries its organization',
}

describe('lookups by id in app/models', () => {
  const findings = scanOrgScope(repo, sourceFiles(repo, 'app/models'), tables)
  const key = (f: { file: string; fn: string; table: string }) => `${f.file}#${f.fn}:${f.table}`

  it('knows which tables belong to an organization', () => {
    for (const t of ['classes', 'memberships', 'activities', 'invitations', 'rosterImports']) expect(tables.orgScoped.has(t), t).toBe(true)
    for (const t of ['users', 'organizations']) expect(tables.orgScoped.has(t), t).toBe(false)
  })

  it('filter by organization, or are allowed with a reason', () => {
    const unexplained = findings.filter((f) => !ALLOWED[key(f)]).map((f) => `${f.file}:${f.line} ${f.fn}: ${f.table} by id without ${f.table}.orgId — ${f.where}`)
    expect(unexplained).toEqual([])
  })

  it('has no stale allowance', () => {
    const found = new Set(findings.map(key))
    expect(Object.keys(ALLOWED).filter((k) => !found.has(k))).toEqual([])
  })
})

describe('the scan on a fixture model', () => {
  const root = path.join(repo, 'tests/fixtures/org-scope')
  const findings = scanOrgScope(root, sourceFiles(root, 'app/models'), tables)

  it('flags the lookups by id without the organization, and only those', () => {
    expect(findings.map((f) => [f.fn, f.table, f.line])).toEqual([
      ['leakClass', 'classes', 6],
      ['leakGroups', 'groups', 13],
    ])
  })
})

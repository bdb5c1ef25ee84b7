// Roster import end to end on a real PostgreSQL: dry run, commit, re-import, mid-year update,
// missing children, all-or-nothing, idempotent job and the CLI command.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { auditEvents, classes, invitationChildren, invitations, memberships, organizations, rosterImports } from '../../drizzle/schema'
import { now } from '~/clock.server'
import { commitImport } from '~/models/roster-import/commit.server'
import { confirmImport, createImport, getImport, remapImport } from '~/models/roster-import/imports.server'
import { planImport } from '~/models/roster-import/plan.server'
import { pgArray } from '~/models/roster-import/bulk.server'
import { readRosterFiles, uploadErrorMessage } from '~/models/roster-import/source.server'
import type { ImportPlan } from '~/models/roster-import/types.server'
import { makeZip } from '~/models/roster/fixtures/make-zip'
import { importRosterCommand } from '../../cli/commands/import-roster'
import { runJob } from '../../app/queue/job.server'
import { rosterImportJob } from '../../workers/jobs/roster-import.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult } from '../helpers/factories'

const FIXTURE = path.resolve(__dirname, '../../app/models/roster/fixtures/eleves-excel-fr.csv')
const YEAR = '2026-2027'
const origin = { ip: '127.0.0.1', userAgent: 'vitest' }

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

async function newSchool(name = 'École test') {
  const [org] = await t.db.insert(organizations).values({ kind: 'school', name, createdAt: now() }).returning()
  const admin = await makeAdult(t.db, { orgId: org!.id, role: 'admin' })
  return { orgId: org!.id, adminId: admin.id }
}

/** Rows of every table an import writes to, for one organization. */
async function counts(orgId: string) {
  const [r] = await t.sql<Record<string, number>[]>`
    select
      (select count(*)::int from classes where org_id = ${orgId}) as classes,
      (select count(*)::int from groups where org_id = ${orgId}) as groups,
      (select count(*)::int from memberships where org_id = ${orgId} and role = 'child') as memberships,
      (select count(*)::int from users u join memberships m on m.user_id = u.id and m.org_id = ${orgId} and m.role = 'child') as users,
      (select count(*)::int from child_profiles where org_id = ${orgId}) as profiles,
      (select count(*)::int from enrolments where org_id = ${orgId}) as enrolments,
      (select count(*)::int from invitations where org_id = ${orgId}) as invitations,
      (select count(*)::int from invitation_children ic join invitations i on i.id = ic.invitation_id where i.org_id = ${orgId}) as links,
      (select count(*)::int from users where kind = 'child') as all_children`
  return r!
}

const fixture = () => [{ name: 'eleves-excel-fr.csv', bytes: fs.readFileSync(FIXTURE) }]

async function importFile(orgId: string, adminId: string, files: { name: string; bytes: Buffer }[], archive: string[] = []) {
  const created = await createImport(t.db, { orgId, actorId: adminId, files, schoolYear: YEAR })
  await confirmImport(t.db, { orgId, importId: created.id, actorId: adminId, archiveChildIds: archive, origin })
  const result = await commitImport(t.db, { orgId, importId: created.id, actorId: adminId, origin, archiveChildIds: archive })
  return { created, result }
}

function csv(lines: string[]) {
  return [{ name: 'eleves.csv', bytes: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8') }]
}
const HEADER = 'Nom;Prénom;Date de naissance;Classe;Groupe;Identifiant;Email responsable 1;Email responsable 2'

describe('the French Excel fixture', () => {
  let school: Awaited<ReturnType<typeof newSchool>>
  beforeAll(async () => {
    school = await newSchool()
  })

  test('the dry run reports the bad rows with lines 5 and 8 and writes nothing', async () => {
    const before = await counts(school.orgId)
    const read = readRosterFiles(fixture(), { today: now() })
    expect(read.info).toMatchObject({ format: 'generic', encoding: 'utf-8-bom', delimiter: ';' })
    const plan = await planImport(t.db, { orgId: school.orgId, roster: read.roster, schoolYear: YEAR })
    expect(plan.rejected.map((r) => [r.line, r.reason])).toEqual([
      [5, 'impossible_date'],
      [8, 'missing_class'],
    ])
    expect(plan.counts).toMatchObject({ childrenCreate: 4, childrenUpdate: 0, childrenUnchanged: 0, classesCreate: 2, rejected: 2, missing: 0 })
    // parent.dupont@exemple.fr is the guardian of Zoé (line 2) and Noémie (line 9): one invitation.
    const dupont = plan.guardians.create.find((g) => g.email === 'parent.dupont@exemple.fr')!
    expect(dupont.childIds).toHaveLength(2)
    expect(plan.guardians.create.map((g) => g.email).sort()).toEqual(['famille.lefevre@example.fr', 'm.lefevre@example.fr', 'obrien@example.ie', 'parent.dupont@exemple.fr'])

    // Storing the dry run (what the page does) writes the import row and nothing else.
    const stored = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: fixture(), schoolYear: YEAR })
    expect(stored.needsMapping).toBe(false)
    expect(await counts(school.orgId)).toEqual(before)
    const row = await getImport(t.db, { orgId: school.orgId, importId: stored.id })
    expect(row.status).toBe('planned')
    expect(row.plan?.counts.childrenCreate).toBe(4)
  })

  test('the commit creates classes, children with login cards, enrolments and one invitation for two siblings', async () => {
    const { created, result } = await importFile(school.orgId, school.adminId, fixture())
    expect(result).toMatchObject({ alreadyDone: false, childrenCreated: 4, classesCreated: 2, guardianInvitationsCreated: 4, rejected: 2 })
    const c = await counts(school.orgId)
    expect(c).toMatchObject({ classes: 2, groups: 1, memberships: 4, users: 4, profiles: 4, enrolments: 4, invitations: 4, links: 5 })

    const cls = await t.db.select().from(classes).where(eq(classes.orgId, school.orgId))
    expect(cls.map((x) => [x.name, x.level, x.schoolYear]).sort()).toEqual([
      ['CE1 B', 'CE1', YEAR],
      ['CP A', 'CP', YEAR],
    ])
    expect(cls.every((x) => /^[A-Z2-9]{6}$/.test(x.loginCode))).toBe(true)

    const kids = await t.sql`select u.first_name, u.last_name, u.birth_date::text as birth, cp.external_id, cp.card_token_hash, cp.card_code_hash, c.name as class
      from users u join child_profiles cp on cp.child_id = u.id join enrolments e on e.child_id = u.id join classes c on c.id = e.class_id
      where cp.org_id = ${school.orgId} order by cp.external_id`
    expect(kids.map((k) => [k.first_name, k.last_name, k.birth, k.external_id, k.class])).toEqual([
      ['Zoé', 'Dupont', '2019-04-03', 'INE001', 'CP A'],
      ['Seán Patrick', "O'Brien", '2018-11-30', 'INE002', 'CP A'],
      ['Chloé', 'Lefèvre', '2018-09-01', 'INE003', 'CE1 B'],
      ['Noémie', "D'Almeida", '2018-12-17', 'INE006', 'CE1 B'],
    ])
    expect(kids.every((k) => k.card_token_hash && k.card_code_hash)).toBe(true)

    const [dupont] = await t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.orgId, school.orgId), eq(invitations.email, 'parent.dupont@exemple.fr')))
    expect(dupont).toMatchObject({ role: 'guardian', pendingDelivery: true, acceptedAt: null })
    expect(dupont!.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    const covered = await t.db.select().from(invitationChildren).where(eq(invitationChildren.invitationId, dupont!.id))
    expect(covered).toHaveLength(2)

    const row = await getImport(t.db, { orgId: school.orgId, importId: created.id })
    expect(row.status).toBe('done')
    expect(row.progress).toBe(row.total)
    // The uploaded file is dropped at commit; the plan keeps what was done.
    expect(row.payload && 'source' in row.payload).toBe(false)
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'roster.import_committed'), eq(auditEvents.targetId, created.id)))
    expect(audit!.details).toMatchObject({ childrenCreated: 4, guardianInvitationsCreated: 4 })
    expect(JSON.stringify(audit!.details)).not.toMatch(/Dupont|Zoé|@/)
  })

  test('re-importing the same file changes nothing and duplicates nothing', async () => {
    const before = await counts(school.orgId)
    const { created, result } = await importFile(school.orgId, school.adminId, fixture())
    const plan = created.plan!
    expect(plan.counts).toMatchObject({ childrenCreate: 0, childrenUpdate: 0, childrenUnchanged: 4, classesCreate: 0, classesUnchanged: 2, guardiansCreate: 0, guardiansUnchanged: 4, missing: 0 })
    expect(plan.guardians.unchanged.every((g) => g.addChildIds.length === 0)).toBe(true)
    expect(result.childrenCreated).toBe(0)
    expect(await counts(school.orgId)).toEqual(before)
  })

  test('an updated file updates by external id, adds to a pending invitation and lists missing children without deleting them', async () => {
    const before = await counts(school.orgId)
    const updated = csv([
      HEADER,
      // Zoé: first name corrected, moves to CE1 B.
      'Dupont;Zoë;03/04/2019;CE1 B;;INE001;parent.dupont@exemple.fr;',
      "O'Brien;Seán Patrick;30/11/2018;CP A;;INE002;obrien@example.ie;",
      // A new sibling of Zoé: the existing pending invitation gets one more child.
      'Dupont;Léo;12/05/2020;CP A;;INE010;parent.dupont@exemple.fr;',
      // Chloé (INE003) and Noémie (INE006) are no longer in the file.
    ])
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: updated, schoolYear: YEAR })
    const plan = created.plan!
    expect(plan.counts).toMatchObject({ childrenCreate: 1, childrenUpdate: 1, childrenUnchanged: 1, guardiansCreate: 0, missing: 2 })
    const zoe = plan.children.update[0]!
    expect(zoe.changes.map((c) => [c.field, c.from, c.to])).toEqual([
      ['firstName', 'Zoé', 'Zoë'],
      ['className', 'CP A', 'CE1 B'],
    ])
    expect(plan.missing.map((m) => m.firstName).sort()).toEqual(['Chloé', 'Noémie'])
    const dupont = plan.guardians.unchanged.find((g) => g.email === 'parent.dupont@exemple.fr')!
    expect(dupont.addChildIds).toHaveLength(1)

    // Archive only Chloé.
    const chloe = plan.missing.find((m) => m.firstName === 'Chloé')!
    await confirmImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, archiveChildIds: [chloe.childId], origin })
    const result = await commitImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, origin })
    expect(result).toMatchObject({ childrenCreated: 1, childrenUpdated: 1, childrenArchived: 1, guardianInvitationsCreated: 0, guardianInvitationsExtended: 1 })

    const after = await counts(school.orgId)
    expect(after).toMatchObject({ users: before.users + 1, memberships: before.memberships + 1, invitations: before.invitations, links: before.links + 1, enrolments: before.enrolments + 1 })
    const [z] = await t.sql`select u.first_name, c.name as class from users u join enrolments e on e.child_id = u.id join classes c on c.id = e.class_id where u.id = ${zoe.childId}`
    expect(z).toMatchObject({ first_name: 'Zoë', class: 'CE1 B' })
    // Missing children are still there; only the ticked one is archived.
    const statuses = await t.db
      .select({ userId: memberships.userId, status: memberships.status })
      .from(memberships)
      .where(and(eq(memberships.orgId, school.orgId), eq(memberships.role, 'child')))
    const statusOf = new Map(statuses.map((s) => [s.userId, s.status]))
    expect(statusOf.get(chloe.childId)).toBe('archived')
    expect(statusOf.get(plan.missing.find((m) => m.firstName === 'Noémie')!.childId)).toBe('active')
    const archivedAudit = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'child.archive'), eq(auditEvents.targetId, chloe.childId)))
    expect(archivedAudit).toHaveLength(1)
  })

  test('a file without ids matches children by name and birth date', async () => {
    const before = await counts(school.orgId)
    const noIds = csv(['Nom;Prénom;Date de naissance;Classe', "O'BRIEN;seán patrick;2018-11-30;CP A"])
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: noIds, schoolYear: YEAR })
    expect(created.plan!.counts).toMatchObject({ childrenCreate: 0 })
    // Matched despite case: the spelling in the file is shown as an update.
    expect(created.plan!.children.update[0]!.changes.map((c) => c.field)).toEqual(['firstName', 'lastName'])
    expect(await counts(school.orgId)).toEqual(before)
  })
})

describe('options and column mapping', () => {
  test('with "existing classes only", rows of an unknown class are rejected with their line', async () => {
    const school = await newSchool()
    await importFile(school.orgId, school.adminId, fixture())
    const files = csv([HEADER, 'Petit;Jade;02/02/2019;CP A;;;;', 'Roux;Tom;03/03/2019;CP Z;;;;'])
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files, schoolYear: YEAR, options: { existingClassesOnly: true } })
    expect(created.plan!.counts).toMatchObject({ childrenCreate: 1, classesCreate: 0, rejected: 1 })
    expect(created.plan!.rejected[0]).toMatchObject({ line: 3, reason: 'unknown_class', messageKey: 'roster.reject.unknown_class' })
  })

  test('the same roster saved by French Excel in Windows-1252 plans the same way', async () => {
    const school = await newSchool()
    const text = fs.readFileSync(FIXTURE, 'utf8').replace(/^\ufeff/, '')
    const files = [{ name: 'eleves.csv', bytes: iconv.encode(text, 'win1252') }]
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files, schoolYear: YEAR })
    expect(created.payload.info.encoding).toBe('windows-1252')
    expect(created.plan!.rejected.map((r) => r.line)).toEqual([5, 8])
    expect(created.plan!.children.create.map((c) => c.firstName)).toEqual(['Zoé', 'Seán Patrick', 'Chloé', 'Noémie'])
  })

  test("Excel's “Unicode text” (UTF-16 LE, tabs) and UTF-16 BE plan the same way as the UTF-8 file", async () => {
    const school = await newSchool()
    for (const [name, encoding] of [
      ['eleves-texte-unicode.txt', 'utf-16le'],
      ['eleves-utf16be.csv', 'utf-16be'],
    ] as const) {
      const files = [{ name, bytes: fs.readFileSync(path.join(path.dirname(FIXTURE), name)) }]
      const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files, schoolYear: YEAR })
      expect(created.payload.info.encoding).toBe(encoding)
      expect(created.plan!.rejected.map((r) => r.line)).toEqual([5, 8])
      expect(created.plan!.children.create.map((c) => c.firstName)).toEqual(['Zoé', 'Seán Patrick', 'Chloé', 'Noémie'])
    }
  })

  test('a NUL byte is refused with a clear message naming its line, and nothing is written', async () => {
    const school = await newSchool()
    const files = [{ name: 'eleves-nul.csv', bytes: fs.readFileSync(path.join(path.dirname(FIXTURE), 'eleves-nul.csv')) }]
    const before = await t.db.select().from(rosterImports).where(eq(rosterImports.orgId, school.orgId))
    const e = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files, schoolYear: YEAR }).catch((x: unknown) => x)
    expect(uploadErrorMessage(e, 'fr')).toMatch(/caractère nul.*CSV UTF-8.*\(ligne 4\)$/)
    expect(uploadErrorMessage(e, 'en')).toMatch(/null character.*CSV UTF-8.*\(line 4\)$/)
    expect(await t.db.select().from(rosterImports).where(eq(rosterImports.orgId, school.orgId))).toEqual(before)
  })

  test('a file without recognized headers waits for the mapping, then plans with it', async () => {
    const school = await newSchool()
    const files = [{ name: 'export.csv', bytes: Buffer.from('Eleve_Nom,Eleve_Prenom,Ne le,Division\nMartin,Inès,12/03/2017,CE2 C\n') }]
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files, schoolYear: YEAR })
    expect(created.needsMapping).toBe(true)
    expect(created.plan).toBeNull()
    expect(created.payload.info.mapping!.missing.sort()).toEqual(['birthDate', 'className', 'firstName', 'lastName'])
    const r = await remapImport(t.db, { orgId: school.orgId, importId: created.id, mapping: { lastName: 'Eleve_Nom', firstName: 'Eleve_Prenom', birthDate: 'Ne le', className: 'Division' } })
    expect(r.needsMapping).toBe(false)
    const row = await getImport(t.db, { orgId: school.orgId, importId: created.id })
    expect(row.plan!.children.create.map((c) => [c.firstName, c.lastName, c.birthDate, c.className])).toEqual([['Inès', 'Martin', '2017-03-12', 'CE2 C']])
  })
})

describe('all or nothing', () => {
  test('a failure in the middle of the commit leaves zero rows', async () => {
    const school = await newSchool()
    const lines = [HEADER]
    for (let i = 0; i < 2500; i++) lines.push(`Nom${i};Enfant;01/02/2018;CM1 ${i % 10};;ID${i};parent${i}@example.org;parent${i + 1}@example.org`)
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: csv(lines), schoolYear: YEAR })
    expect(created.plan!.counts.childrenCreate).toBe(2500)
    const before = await counts(school.orgId)
    let seen = 0
    await expect(
      commitImport(t.db, {
        orgId: school.orgId,
        importId: created.id,
        actorId: school.adminId,
        origin,
        onProgress: (done) => {
          seen = done
          // After two batches of children are in: the transaction must take them back.
          if (done > 2000) throw new Error('injected failure')
        },
      }),
    ).rejects.toThrow('injected failure')
    expect(seen).toBeGreaterThan(2000)
    expect(await counts(school.orgId)).toEqual(before)
    const row = await getImport(t.db, { orgId: school.orgId, importId: created.id })
    expect(row.status).toBe('failed')

    // The same import then succeeds on a second try.
    const result = await commitImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, origin })
    expect(result.childrenCreated).toBe(2500)
    expect((await counts(school.orgId)).users).toBe(2500)
  })

  test('a plan row that violates a constraint after the children are written rolls everything back', async () => {
    const school = await newSchool()
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: fixture(), schoolYear: YEAR })
    // A guardian invitation without an email: the INSERT of invitations (after users,
    // memberships, profiles and enrolments are written) hits the NOT NULL constraint.
    const plan = structuredClone(created.plan!) as ImportPlan
    ;(plan.guardians.create[1] as { email: string | null }).email = null
    await t.db.update(rosterImports).set({ plan }).where(eq(rosterImports.id, created.id))
    const before = await counts(school.orgId)
    await expect(commitImport(t.db, { orgId: school.orgId, importId: created.id, actorId: null, origin })).rejects.toThrow()
    expect(await counts(school.orgId)).toEqual(before)
    expect((await getImport(t.db, { orgId: school.orgId, importId: created.id })).status).toBe('failed')
  })

  test('a plan made stale by another import is refused', async () => {
    const school = await newSchool()
    const first = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: fixture(), schoolYear: YEAR })
    await importFile(school.orgId, school.adminId, fixture())
    const before = await counts(school.orgId)
    await expect(commitImport(t.db, { orgId: school.orgId, importId: first.id, actorId: null, origin })).rejects.toMatchObject({ code: 'roster.error.stale_plan' })
    expect(await counts(school.orgId)).toEqual(before)
  })
})

test('bulk insert arrays carry any text PostgreSQL would otherwise split or unquote', async () => {
  const values = [`O'Brien`, 'a,b', '{x}', 'say "hi"', 'back\\slash', 'NULL', '', null, 'Nguyễn Văn An', ' spaced ']
  const rows = await t.sql`select v from unnest(${pgArray(values)}::text[]) with ordinality as x(v, i) order by i`
  expect(rows.map((r) => r.v)).toEqual(values)
})

describe('idempotency', () => {
  test('committing twice, or concurrently, applies the plan once', async () => {
    const school = await newSchool()
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: fixture(), schoolYear: YEAR })
    const args = { orgId: school.orgId, importId: created.id, actorId: school.adminId, origin }
    const [a, b] = await Promise.all([commitImport(t.db, args), commitImport(t.db, args)])
    expect([a.alreadyDone, b.alreadyDone].sort()).toEqual([false, true])
    const again = await commitImport(t.db, args)
    expect(again.alreadyDone).toBe(true)
    expect((await counts(school.orgId)).users).toBe(4)
  })

  test('the background job commits a confirmed import once, whatever the number of runs', async () => {
    const school = await newSchool()
    const created = await createImport(t.db, { orgId: school.orgId, actorId: school.adminId, files: fixture(), schoolYear: YEAR })
    const claimed = await confirmImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, archiveChildIds: [], origin })
    expect(claimed).toEqual({ claimed: true, background: false })
    // A second click finds it running.
    expect((await confirmImport(t.db, { orgId: school.orgId, importId: created.id, actorId: school.adminId, archiveChildIds: [], origin })).claimed).toBe(false)
    const log = { info: () => {}, warn: () => {}, error: () => {} }
    const first = await runJob(rosterImportJob, { orgId: school.orgId, importId: created.id }, { db: t.db, log, jobId: '1', attempt: 1 })
    const second = await runJob(rosterImportJob, { orgId: school.orgId, importId: created.id }, { db: t.db, log, jobId: '1', attempt: 2 })
    expect(first.alreadyDone).toBe(false)
    expect(second.alreadyDone).toBe(true)
    expect((await counts(school.orgId)).users).toBe(4)
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'roster.import_committed'), eq(auditEvents.targetId, created.id)))
    expect(audit!.actorId).toBe(school.adminId)
    // Where the admin confirmed from is in the audit log, not in the import row.
    const [confirmed] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'roster.import_confirmed'), eq(auditEvents.targetId, created.id)))
    expect(confirmed).toMatchObject({ actorId: school.adminId, ip: '127.0.0.1' })
    expect(JSON.stringify((await getImport(t.db, { orgId: school.orgId, importId: created.id })).payload)).not.toContain('127.0.0.1')
  })

  test('an import of another organization cannot be committed through this one', async () => {
    const a = await newSchool()
    const b = await newSchool()
    const created = await createImport(t.db, { orgId: a.orgId, actorId: a.adminId, files: fixture(), schoolYear: YEAR })
    await expect(commitImport(t.db, { orgId: b.orgId, importId: created.id, actorId: b.adminId, origin })).rejects.toMatchObject({ status: 404 })
  })
})

describe('OneRoster', () => {
  test('a zip creates the children and invites the teachers', async () => {
    const school = await newSchool()
    const zip = await makeZip([
      { name: 'classes.csv', content: 'sourcedId,title,classType\nc1,CM2 B,homeroom\n' },
      {
        name: 'users.csv',
        content:
          'sourcedId,givenName,familyName,email,role,agentSourcedIds\ns1,Inès,Moreau,,student,p1\ns2,Hugo,Moreau,,student,p1\nt1,Anne,Petit,anne.petit@ecole.fr,teacher,\np1,Marc,Moreau,marc.moreau@example.fr,parent,\n',
      },
      { name: 'demographics.csv', content: 'sourcedId,birthDate\ns1,2015-05-02\ns2,2016-07-09\n' },
      { name: 'enrollments.csv', content: 'sourcedId,classSourcedId,userSourcedId,role,primary\ne1,c1,s1,student,false\ne2,c1,s2,student,false\ne3,c1,t1,teacher,true\n' },
    ])
    const { created, result } = await importFile(school.orgId, school.adminId, [{ name: 'export.zip', bytes: zip }])
    expect(created.payload.info.format).toBe('oneroster')
    expect(result).toMatchObject({ childrenCreated: 2, teacherInvitationsCreated: 1, guardianInvitationsCreated: 1 })
    const invs = await t.db.select({ email: invitations.email, role: invitations.role }).from(invitations).where(eq(invitations.orgId, school.orgId))
    expect(invs.sort((x, y) => x.email.localeCompare(y.email))).toEqual([
      { email: 'anne.petit@ecole.fr', role: 'teacher' },
      { email: 'marc.moreau@example.fr', role: 'guardian' },
    ])
  })
})

describe('CLI: carnet import-roster', () => {
  const run = async (args: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await importRosterCommand(args, { out: (s) => out.push(s), err: (s) => err.push(s) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  test('--dry-run prints the counts and each rejected line, and writes nothing', async () => {
    const school = await newSchool('École CLI')
    const before = await counts(school.orgId)
    const r = await run(['--org', school.orgId, '--dry-run', '--lang', 'en', FIXTURE])
    expect(r.code).toBe(0)
    expect(r.out).toContain('Children: 4 to create, 0 to update, 0 unchanged')
    expect(r.out).toMatch(/line 5: The date of birth cannot be read/)
    expect(r.out).toMatch(/line 8: No class is given/)
    expect(r.out).toContain('Dry run: nothing was saved.')
    expect(await counts(school.orgId)).toEqual(before)
    const imports = await t.db.select().from(rosterImports).where(eq(rosterImports.orgId, school.orgId))
    expect(imports).toHaveLength(0)
  })

  test('without --dry-run it commits, in French with --lang fr', async () => {
    const school = await newSchool('École CLI 2')
    const r = await run(['--org', school.orgId, '--year', YEAR, '--lang', 'fr', FIXTURE])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/ligne 5 : La date de naissance est illisible/)
    expect(r.out).toMatch(/Import enregistré en \d+ ms : 4 enfants créés/)
    expect((await counts(school.orgId)).users).toBe(4)
  })

  test('bad input: clear message, non-zero exit, nothing changed', async () => {
    const school = await newSchool('École CLI 3')
    const before = await counts(school.orgId)
    const noOrg = await run(['--lang', 'en', '--org', '00000000-0000-4000-8000-000000000000', FIXTURE])
    expect(noOrg.code).not.toBe(0)
    expect(noOrg.err).toMatch(/No organization/)
    const missing = await run(['--lang', 'en', '--org', school.orgId, '/nonexistent/eleves.csv'])
    expect(missing.code).not.toBe(0)
    expect(missing.err).toMatch(/Cannot read \/nonexistent\/eleves.csv/)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-'))
    const garbage = path.join(dir, 'eleves.csv')
    fs.writeFileSync(garbage, 'a;"b\nc;d')
    const unreadable = await run(['--lang', 'en', '--org', school.orgId, garbage])
    expect(unreadable.code).not.toBe(0)
    expect(unreadable.err).toMatch(/not a readable CSV/)
    const noFlag = await run(['--lang', 'en', FIXTURE])
    expect(noFlag.code).not.toBe(0)
    expect(noFlag.err).toMatch(/--org/)
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/Usage ?: npx carnet import-roster/)
    expect(await counts(school.orgId)).toEqual(before)
    expect(await t.db.select().from(rosterImports).where(eq(rosterImports.orgId, school.orgId))).toHaveLength(0)
  })
})

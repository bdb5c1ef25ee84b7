// Erasure of one subject (a person) or of an organization, following the plan generated from
// the classification (plan.server.ts explains the rules). Runs inside the caller's
// transaction: PostgreSQL makes it all or nothing. Files are deleted at the end, just before
// the caller commits; a crash in between leaves missing files whose rows the retry deletes.
import fs from 'node:fs'
import path from 'node:path'
import { and, eq, ne, sql, type SQL } from 'drizzle-orm'
import { memberships, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { hasObjection } from '../../compliance/objections.server'
import { erasurePlan, ident, type Column, type TablePlan } from './plan.server'
import { isChildAccount, isChildSubject } from '../../roles'

export type ErasureCounts = { deleted: Record<string, number>; anonymized: Record<string, number>; files: number }
export type ErasureHooks = {
  /** Called after each table is processed (tests use it to crash mid-erasure). */
  afterTable?: (table: string) => Promise<void> | void
}

/** erasureId: the tombstone this erasure writes, named by the evidence rows that outlive the subject. */
export type SubjectTarget = { subjectId: string; scope: 'account' | 'membership'; orgId: string | null; erasureId?: string | null }

type Person = { id: string; email: string | null; firstName: string | null; lastName: string | null; kind: 'adult' | 'child' | null }

const add = (m: Record<string, number>, k: string, n: number) => {
  if (n > 0) m[k] = (m[k] ?? 0) + n
}

async function count(tx: DbOrTx, q: SQL): Promise<number> {
  const rows = (await tx.execute(sql`with x as (${q} returning 1) select count(*)::int as n from x`)) as unknown as { n: number }[]
  return rows[0]?.n ?? 0
}

async function deleteReturningFiles(tx: DbOrTx, t: TablePlan, where: SQL, counts: ErasureCounts, files: string[]) {
  if (!t.pathColumn) return add(counts.deleted, t.name, await count(tx, sql`delete from ${ident(t.name)} where ${where}`))
  const rows = (await tx.execute(sql`delete from ${ident(t.name)} where ${where} returning ${ident(t.pathColumn)} as p`)) as unknown as { p: string | null }[]
  add(counts.deleted, t.name, rows.length)
  for (const r of rows) if (r.p) files.push(r.p)
}

/** The anonymizing SET list: new random ids, month-coarse dates, identifying text nulled. */
function anonymizeSet(t: TablePlan): SQL {
  const parts: SQL[] = []
  const renew = new Set<string>()
  // The link to the person is cut: the subject column (and the row's own id, which other
  // records such as audit entries may name next to the person) get fresh random ids.
  if (t.subjectColumn?.cls.erasure === 'anonymize') {
    renew.add(t.subjectColumn.name)
    if (t.renewableId) renew.add(t.renewableId)
  }
  for (const name of renew) parts.push(sql`${ident(name)} = gen_random_uuid()`)
  for (const c of t.anonymizeColumns) {
    if (renew.has(c.name)) continue
    const expr = anonymizedValue(c)
    if (expr) parts.push(sql`${ident(c.name)} = ${expr}`)
  }
  return sql.join(parts, sql`, `)
}

function anonymizedValue(c: Column): SQL | null {
  if (c.type.startsWith('timestamp')) return sql`date_trunc('month', ${ident(c.name)})`
  if (c.type === 'date') return sql`date_trunc('month', ${ident(c.name)})::date`
  if (c.type === 'uuid') return null // another record's id (an activity): not about the person
  const identifying = c.cls.category === 'connection' || c.cls.category === 'identification' || c.cls.category === 'contact'
  if (identifying && c.nullable) return sql`null`
  return null // learning values (a score, the chosen answers) say nothing about who
}

async function loadPerson(tx: DbOrTx, id: string): Promise<Person> {
  const [u] = await tx.select({ id: users.id, email: users.email, firstName: users.firstName, lastName: users.lastName, kind: users.kind }).from(users).where(eq(users.id, id))
  return u ?? { id, email: null, firstName: null, lastName: null, kind: null }
}

/**
 * Erases one person. `account`: everywhere. `membership`: only the rows of tables scoped to
 * `orgId` (an admin removing a member who also belongs elsewhere). Returns per-table counts.
 */
export async function eraseSubject(tx: DbOrTx, target: SubjectTarget, hooks: ErasureHooks = {}): Promise<ErasureCounts> {
  const plan = await erasurePlan(tx)
  const { subjectId: id, scope, orgId } = target
  if (scope === 'membership' && !orgId) throw new Error('erasure: a membership erasure needs its organization')
  const counts: ErasureCounts = { deleted: {}, anonymized: {}, files: 0 }
  const files: string[] = []
  const person = await loadPerson(tx, id)
  // The organizations the person belongs to (before memberships go): for objections and files.
  const orgIds = scope === 'membership' ? [orgId!] : (await tx.selectDistinct({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, id))).map((r) => r.orgId)
  const objected = new Set<string>()
  for (const o of orgIds) if (await hasObjection(tx, { orgId: o, subjectId: id, processing: 'anonymized_reuse' })) objected.add(o)

  const inScope = (t: TablePlan): SQL | null => {
    if (scope === 'account') return sql`true`
    if (!t.orgColumn || t.orgColumn === 'id') return null // not an organization's row: left alone
    return sql`${ident(t.orgColumn)} = ${orgId}`
  }

  // Every statement is sent at once and runs in order on the transaction's connection
  // (postgres.js pipelines them): one round trip per erasure instead of one per statement.
  const done: { table: string; all: Promise<unknown> }[] = []
  const logs: TablePlan[] = []
  for (const t of plan.tables) {
    const scoped = inScope(t)
    if (!scoped) continue
    if (t.appendOnly) {
      // Once the person is gone (the owner's function checks it), after every other table.
      if (t.subjectColumn && t.anonymizeColumns.length) logs.push(t)
      continue
    }
    const batch: Promise<unknown>[] = []
    const pipe = (p: Promise<unknown>) => {
      p.catch(() => {}) // the first failure is reported below, in order; the rest follow it
      batch.push(p)
    }
    // Evidence that outlives its subject (rights requests): emptied, never deleted.
    if (t.pseudonymizeColumns.length) {
      pipe(pseudonymizeRows(tx, plan.tables, t, person, scoped, target.erasureId ?? null, counts))
      done.push({ table: t.name, all: Promise.all(batch) })
      continue
    }
    // 1. Rows reached through the subject column.
    if (t.subjectColumn) {
      const mine = sql`${ident(t.subjectColumn.name)} = ${id} and ${scoped}`
      if (t.hasDelete) pipe(deleteReturningFiles(tx, t, mine, counts, files))
      else if (t.anonymizeColumns.length) {
        const learning = t.anonymizeColumns.some((c) => c.cls.category === 'learning')
        // DPA §13: the controller objected to anonymized reuse → learning rows are deleted instead.
        const objectedOrgs = learning && t.orgColumn ? [...objected] : []
        if (objectedOrgs.length) {
          const orgList = sql.join(
            objectedOrgs.map((o) => sql`${o}::uuid`),
            sql`, `,
          )
          pipe(count(tx, sql`delete from ${ident(t.name)} where ${mine} and ${ident(t.orgColumn!)} in (${orgList})`).then((n) => add(counts.deleted, t.name, n)))
        }
        pipe(count(tx, sql`update ${ident(t.name)} set ${anonymizeSet(t)} where ${mine}`).then((n) => add(counts.anonymized, t.name, n)))
      }
    }
    // 2. Other columns holding the person's id.
    for (const c of t.personColumns) {
      if (c.cls.erasure === 'keep' || c.cls.erasure === 'anonymize') continue
      const hit = sql`${ident(c.name)} = ${id} and ${scoped}`
      if (c.cls.category === 'identification' || !c.nullable) pipe(deleteReturningFiles(tx, t, hit, counts, files))
      else pipe(count(tx, sql`update ${ident(t.name)} set ${ident(c.name)} = null where ${hit}`).then((n) => add(counts.anonymized, t.name, n)))
    }
    // 3. Contact columns equal to the person's email.
    if (person.email) {
      for (const c of t.contactColumns) {
        pipe(deleteReturningFiles(tx, t, sql`lower(${ident(c.name)}) = lower(${person.email}) and ${scoped}`, counts, files))
      }
    }
    // 4. Free text naming the person, in rows that name no other subject.
    if (t.freeTextColumns.length) pipe(eraseFreeText(tx, t, person, scoped, counts))
    done.push({ table: t.name, all: Promise.all(batch) })
  }
  for (const d of done) {
    await d.all
    await hooks.afterTable?.(d.table)
  }
  for (const t of logs) {
    add(counts.anonymized, t.name, await anonymizeLog(tx, t, { actor: id, org: scope === 'membership' ? orgId : null }))
    await hooks.afterTable?.(t.name)
  }

  // 5. Files that may hold a child's learning records, in the child's organizations.
  if (isChildAccount(person) && orgIds.length) {
    for (const t of plan.tables) {
      if (!t.pathColumn || !t.orgColumn || !isChildSubject(t.columns.find((c) => c.name === t.pathColumn)?.cls.subject)) continue
      const orgList = sql.join(
        orgIds.map((o) => sql`${o}::uuid`),
        sql`, `,
      )
      await deleteReturningFiles(tx, t, sql`${ident(t.orgColumn)} in (${orgList})`, counts, files)
    }
  }
  counts.files = removeFiles(files)
  return counts
}

/** The empty value of a pseudonymized column: null where allowed, else an empty text or object. */
function emptied(c: Column): SQL {
  if (c.type === 'uuid' || c.nullable) return sql`null`
  return c.type === 'jsonb' ? sql`'{}'::jsonb` : sql`''`
}

/**
 * Rows that outlive their subject (ADR 016): for each person the row names (its subject, its
 * requester, the staff who handled it), when that person is S, the values describing them are
 * emptied, with the free text that may name anyone; the subject's rows point to the tombstone.
 * Rows hanging off them (a request's events) lose their free text too.
 */
async function pseudonymizeRows(tx: DbOrTx, tables: TablePlan[], t: TablePlan, p: Person, scoped: SQL, erasureId: string | null, counts: ErasureCounts) {
  const loose = t.pseudonymizeColumns.filter((c) => !c.cls.of && c !== t.subjectColumn)
  const describing = (by: Column) => t.pseudonymizeColumns.filter((c) => c.cls.of === by.name && c !== by)
  const groups: { by: Column; columns: Column[]; isSubject: boolean }[] = []
  if (t.subjectColumn?.cls.erasure === 'pseudonymize') groups.push({ by: t.subjectColumn, columns: [t.subjectColumn, ...describing(t.subjectColumn)], isSubject: true })
  for (const by of t.personColumns) if (by.cls.erasure === 'pseudonymize') groups.push({ by, columns: [by, ...describing(by)], isSubject: false })
  const hangers = tables.filter((h) => h.cls.pseudonymizedWith?.table === t.name)
  const reference = t.cls.erasureReference
  for (const g of groups) {
    const matches: SQL[] = [sql`${ident(g.by.name)} = ${p.id}`]
    // The same person named only by their email (a public form) or, for the subject, by the
    // name the requester typed (first and last names both present in the typed name).
    const text = g.columns.filter((c) => TEXT_TYPES.has(c.type))
    if (p.email) for (const c of text.filter((c) => c.cls.category === 'contact')) matches.push(sql`(${ident(g.by.name)} is null and lower(${ident(c.name)}) = lower(${p.email}))`)
    if (g.isSubject && p.firstName && p.lastName && p.firstName.length > 1 && p.lastName.length > 1) {
      for (const c of text.filter((c) => c.cls.category === 'identification')) {
        matches.push(sql`(${ident(g.by.name)} is null and strpos(lower(${ident(c.name)}), lower(${p.firstName})) > 0 and strpos(lower(${ident(c.name)}), lower(${p.lastName})) > 0)`)
      }
    }
    const set = [...g.columns, ...loose].map((c) => sql`${ident(c.name)} = ${emptied(c)}`)
    if (g.isSubject && reference) set.push(sql`${ident(reference)} = ${erasureId}::uuid`)
    const rows = (await tx.execute(
      sql`update ${ident(t.name)} set ${sql.join(set, sql`, `)} where (${sql.join(matches, sql` or `)}) and ${scoped} returning ${ident(t.primaryKey[0]!)} as id`,
    )) as unknown as { id: string }[]
    add(counts.anonymized, t.name, rows.length)
    if (!rows.length) continue
    const ids = sql.join(
      rows.map((r) => sql`${r.id}::uuid`),
      sql`, `,
    )
    for (const h of hangers) {
      const cols = h.pseudonymizeColumns.filter((c) => !c.cls.of)
      if (!cols.length) continue
      const hset = sql.join(
        cols.map((c) => sql`${ident(c.name)} = ${emptied(c)}`),
        sql`, `,
      )
      add(counts.anonymized, h.name, await count(tx, sql`update ${ident(h.name)} set ${hset} where ${ident(h.cls.pseudonymizedWith!.column)} in (${ids})`))
    }
  }
}

const TEXT_TYPES = new Set(['text', 'character varying'])

/**
 * The runtime role may not UPDATE a log: its 'anonymize' columns are cleared by the owner's
 * narrow function (migration 0011_append_only_logs), which only acts for someone already erased.
 */
async function anonymizeLog(tx: DbOrTx, t: TablePlan, who: { actor: string | null; org: string | null }): Promise<number> {
  if (t.name !== 'audit_events') throw new Error(`erasure: no anonymizing function for the append-only table ${t.name}`)
  const rows = (await tx.execute(sql`select carnet_audit_anonymize(${who.actor}::uuid, ${who.org}::uuid)::int as n`)) as unknown as { n: number }[]
  return rows[0]?.n ?? 0
}

async function eraseFreeText(tx: DbOrTx, t: TablePlan, p: Person, scoped: SQL, counts: ErasureCounts) {
  // A row that IS a person (users) is never matched by text: a namesake is someone else.
  if (t.subjectColumn && t.primaryKey.length === 1 && t.primaryKey[0] === t.subjectColumn.name) return
  const text = sql`(${ident(t.name)}.*)::text`
  const needles: SQL[] = [sql`strpos(${text}, ${p.id}) > 0`]
  if (p.email) needles.push(sql`strpos(lower(${text}), lower(${p.email})) > 0`)
  if (p.firstName && p.lastName && p.firstName.length > 1 && p.lastName.length > 1) {
    needles.push(sql`(strpos(lower(${text}), lower(${p.firstName})) > 0 and strpos(lower(${text}), lower(${p.lastName})) > 0)`)
  }
  // Identification text describes the row's own subject: only rows naming no subject are
  // matched. Contact text (a message) may be about anyone: every row is.
  const messages = t.freeTextColumns.some((c) => c.cls.category === 'contact')
  const otherSubject = t.subjectColumn && !messages ? sql` and ${ident(t.subjectColumn.name)} is null` : sql``
  const where = sql`(${sql.join(needles, sql` or `)})${otherSubject} and ${scoped}`
  const notNull = t.freeTextColumns.filter((c) => !c.nullable)
  if (notNull.length) return add(counts.deleted, t.name, await count(tx, sql`delete from ${ident(t.name)} where ${where}`))
  const set = sql.join(
    t.freeTextColumns.map((c) => sql`${ident(c.name)} = null`),
    sql`, `,
  )
  const anyValue = sql.join(
    t.freeTextColumns.map((c) => sql`${ident(c.name)} is not null`),
    sql` or `,
  )
  add(counts.anonymized, t.name, await count(tx, sql`update ${ident(t.name)} set ${set} where ${where} and (${anyValue})`))
}

/** Files are kept under DATA_DIR; a path outside it is never touched. */
export function dataRoot() {
  return path.resolve(process.env.DATA_DIR ?? '.data')
}

function removeFiles(paths: string[]): number {
  const root = dataRoot()
  let n = 0
  for (const p of paths) {
    const full = path.resolve(root, p)
    if (!full.startsWith(root + path.sep)) continue
    try {
      fs.rmSync(full, { force: true })
      n++
    } catch {
      // A file that cannot be removed now is retried with the request (the row is gone).
    }
  }
  return n
}

/** People whose only memberships are in `orgId`: the organization's deletion erases their accounts. */
export async function soleMembers(tx: DbOrTx, orgId: string): Promise<string[]> {
  const rows = (await tx.execute(sql`
    select distinct m.user_id as id from memberships m
    where m.org_id = ${orgId}
      and not exists (select 1 from memberships o where o.user_id = m.user_id and o.org_id <> ${orgId})`)) as unknown as { id: string }[]
  return rows.map((r) => r.id)
}

/**
 * The organization's own rows, once its sole members are erased: every table scoped to it is
 * emptied (children first), evidence logs it does not own through a foreign key (consent log,
 * checkpoints, audit) are kept with their anonymize columns applied, then the organization row.
 */
export async function eraseOrganizationRows(tx: DbOrTx, orgId: string, hooks: ErasureHooks = {}): Promise<ErasureCounts> {
  const plan = await erasurePlan(tx)
  const counts: ErasureCounts = { deleted: {}, anonymized: {}, files: 0 }
  const files: string[] = []
  const logs: TablePlan[] = []
  for (const t of plan.tables) {
    if (!t.orgColumn || t.orgColumn === 'id') continue
    const mine = sql`${ident(t.orgColumn)} = ${orgId}`
    if (t.appendOnly) {
      if (t.anonymizeColumns.length) logs.push(t)
      continue
    }
    if (t.orgEvidence) {
      const set = t.anonymizeColumns.map((c) => [c, anonymizedValue(c)] as const).filter(([, v]) => v)
      if (set.length) {
        const list = sql.join(
          set.map(([c, v]) => sql`${ident(c.name)} = ${v}`),
          sql`, `,
        )
        const anyValue = sql.join(
          set.map(([c]) => sql`${ident(c.name)} is not null`),
          sql` or `,
        )
        add(counts.anonymized, t.name, await count(tx, sql`update ${ident(t.name)} set ${list} where ${mine} and (${anyValue})`))
      }
    } else await deleteReturningFiles(tx, t, mine, counts, files)
    await hooks.afterTable?.(t.name)
  }
  // Memberships of people who stay elsewhere went with the table pass; the row itself last.
  add(counts.deleted, 'organizations', await count(tx, sql`delete from organizations where id = ${orgId}`))
  for (const t of logs) {
    add(counts.anonymized, t.name, await anonymizeLog(tx, t, { actor: null, org: orgId }))
    await hooks.afterTable?.(t.name)
  }
  counts.files = removeFiles(files)
  return counts
}

export function mergeCounts(into: ErasureCounts, from: ErasureCounts) {
  for (const [k, v] of Object.entries(from.deleted)) add(into.deleted, k, v)
  for (const [k, v] of Object.entries(from.anonymized)) add(into.anonymized, k, v)
  into.files += from.files
  return into
}

/** Does the person still have memberships outside `orgId`? */
export async function belongsElsewhere(tx: DbOrTx, userId: string, orgId: string) {
  const [row] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), ne(memberships.orgId, orgId)))
    .limit(1)
  return !!row
}

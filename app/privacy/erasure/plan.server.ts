// The erasure plan, derived from the data classification (app/compliance/classification.ts) and the
// database's own catalog (column types, nullability, primary and foreign keys) — no table is
// listed by hand. Rules, for a subject S:
//
//   Rows reached through the table's subject column:
//     - the table has a 'delete' column      → the row is deleted;
//     - else it has 'anonymize' columns       → the row is kept irreversibly anonymized: the
//       subject column and the row's own id get fresh random ids, dates become their month,
//       connection/identification text is nulled (learning values stay) — unless the
//       controller objected to anonymized reuse (DPA §13), then learning rows are deleted;
//     - else it has 'pseudonymize' columns    → the row is evidence that outlives its subject (a
//       rights request): the subject's values are emptied, the row points to the tombstone
//       (erasureReference), and rows hanging off it (pseudonymizedWith) lose their free text;
//     - else (only 'keep'/'none')             → kept: id-only evidence (consent log, tombstones).
//   Other uuid columns that can hold a person's id (classified with a subject, and no foreign key
//   to another table than users):
//     - 'delete' + identification            → the row is about S too: deleted;
//     - 'delete' + anything else (created_by, ended_by … "id only") → set to NULL (row deleted
//       when the column is NOT NULL);
//     - 'pseudonymize'                       → that person's values in the row are emptied;
//     - 'keep'                               → kept (id-only evidence).
//   Contact columns ('contact' + 'delete', e.g. an invitation's email; not a message) equal to
//   S's email → the row is deleted.
//   Free-text identification columns (a roster file's payload, a name typed in a public form),
//   in rows that name no other subject: when the row's text holds S's id, email, or both first
//   and last names, those columns are nulled (the row is deleted if one is NOT NULL).
//   File tables (a classified `path` column): the files of deleted rows are deleted; erasing a
//   child also deletes the files of its organizations that may hold children's records.
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db.server'
import { CLASSIFICATION, type ColumnClass, type TableClass, UNCLASSIFIED_TABLES } from '../../compliance/classification'
import { APPEND_ONLY_TABLES } from '../../migrate.server'

export type Column = { name: string; type: string; nullable: boolean; cls: ColumnClass }
export type TablePlan = {
  name: string
  cls: TableClass
  columns: Column[]
  subjectColumn: Column | null
  orgColumn: string | null
  /** The org column references organizations (rows go with the organization row). */
  orgFk: boolean
  primaryKey: string[]
  /** Primary-key columns no foreign key points to (safe to renew on anonymization). */
  renewableId: string | null
  hasDelete: boolean
  anonymizeColumns: Column[]
  /** Values emptied when the person they describe is erased; the row itself stays. */
  pseudonymizeColumns: Column[]
  /** uuid columns other than the subject column that may hold a person's id. */
  personColumns: Column[]
  contactColumns: Column[]
  freeTextColumns: Column[]
  pathColumn: string | null
  /** Deleting rows here is what the organization's deletion does (vs. anonymizing evidence). */
  orgEvidence: boolean
  /** A log the runtime role may only append to: anonymized through the owner's function, never written directly. */
  appendOnly: boolean
}

export type ErasurePlan = { tables: TablePlan[]; byName: Map<string, TablePlan> }

let cached: Promise<ErasurePlan> | null = null

/** The plan is the same for every database of this schema: computed once per process. */
export function erasurePlan(db: DbOrTx): Promise<ErasurePlan> {
  cached ??= buildPlan(db).catch((e) => {
    cached = null
    throw e
  })
  return cached
}

const TEXTUAL = new Set(['text', 'jsonb', 'json', 'character varying'])

async function buildPlan(db: DbOrTx): Promise<ErasurePlan> {
  const cols = (await db.execute(sql`
    select c.table_name as t, c.column_name as c, c.data_type as type, c.is_nullable = 'YES' as nullable
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`)) as unknown as { t: string; c: string; type: string; nullable: boolean }[]
  const keys = (await db.execute(sql`
    select con.contype as kind, src.relname as t, a.attname as c, ref.relname as ref
    from pg_constraint con
    join pg_class src on src.oid = con.conrelid
    join pg_namespace n on n.oid = src.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = any(con.conkey)
    left join pg_class ref on ref.oid = con.confrelid
    where con.contype in ('p', 'f')`)) as unknown as { kind: 'p' | 'f'; t: string; c: string; ref: string | null }[]

  const byTable = new Map<string, { name: string; type: string; nullable: boolean }[]>()
  for (const r of cols) {
    if (!byTable.has(r.t)) byTable.set(r.t, [])
    byTable.get(r.t)!.push({ name: r.c, type: r.type, nullable: r.nullable })
  }
  const referenced = new Set(keys.filter((k) => k.kind === 'f').map((k) => k.ref))
  const fks = keys.filter((k) => k.kind === 'f')

  const tables: TablePlan[] = []
  for (const [name, dbCols] of byTable) {
    if (UNCLASSIFIED_TABLES.has(name)) continue
    const cls = CLASSIFICATION[name]
    // The classification test fails on any unclassified table; erasure refuses to guess.
    if (!cls) throw new Error(`erasure: table ${name} is not classified (app/compliance/classification.ts)`)
    const columns: Column[] = dbCols.map((c) => {
      const k = cls.columns[c.name]
      if (!k) throw new Error(`erasure: column ${name}.${c.name} is not classified`)
      return { ...c, cls: k }
    })
    const col = (n: string | null) => (n ? (columns.find((c) => c.name === n) ?? null) : null)
    const subjectColumn = col(cls.subjectColumn)
    const primaryKey = keys.filter((k) => k.kind === 'p' && k.t === name).map((k) => k.c)
    const pkCol = primaryKey.length === 1 ? col(primaryKey[0]!) : null
    const hasDelete = columns.some((c) => c.cls.erasure === 'delete')
    const orgFk = !!cls.orgColumn && fks.some((k) => k.t === name && k.c === cls.orgColumn && k.ref === 'organizations')
    const appendOnly = (APPEND_ONLY_TABLES as readonly string[]).includes(name)
    tables.push({
      name,
      cls,
      columns,
      subjectColumn,
      orgColumn: cls.orgColumn,
      orgFk,
      primaryKey,
      renewableId: pkCol && pkCol.type === 'uuid' && !referenced.has(name) && pkCol !== subjectColumn ? pkCol.name : null,
      hasDelete,
      anonymizeColumns: columns.filter((c) => c.cls.erasure === 'anonymize'),
      pseudonymizeColumns: columns.filter((c) => c.cls.erasure === 'pseudonymize'),
      // A uuid column with a foreign key to another table than users holds that table's ids (a skill, a group), never a person's.
      personColumns: columns.filter(
        (c) =>
          c !== subjectColumn &&
          c.type === 'uuid' &&
          c.cls.subject !== 'none' &&
          c.cls.erasure !== 'none' &&
          c.name !== cls.orgColumn &&
          !fks.some((k) => k.t === name && k.c === c.name && k.ref !== 'users'),
      ),
      // Addresses are matched by equality (indexed on lower(column)); messages only by their content (step 4).
      contactColumns: columns.filter((c) => c.cls.category === 'contact' && c.cls.erasure === 'delete' && !c.cls.message && TEXTUAL.has(c.type) && c.type !== 'jsonb'),
      freeTextColumns: columns.filter((c) => (c.cls.category === 'identification' || c.cls.category === 'contact') && c.cls.erasure === 'delete' && TEXTUAL.has(c.type) && c !== subjectColumn),
      pathColumn: col('path') && col('path')!.cls.subject !== 'none' ? 'path' : null,
      // Logs kept as evidence: no 'delete' column and not owned through a foreign key.
      orgEvidence: !!cls.orgColumn && cls.orgColumn !== 'id' && !hasDelete && !orgFk,
      appendOnly,
    })
    const t = tables[tables.length - 1]!
    // A log is never rewritten: only 'keep' columns, and 'anonymize' ones its function handles.
    if (t.pseudonymizeColumns.length && (t.hasDelete || t.anonymizeColumns.length)) throw new Error(`erasure: ${name} mixes 'pseudonymize' with 'delete'/'anonymize' columns`)
    if (cls.erasureReference && col(cls.erasureReference)?.type !== 'uuid') throw new Error(`erasure: ${name}.${cls.erasureReference} (erasureReference) must be a uuid column`)
    const writes = t.pseudonymizeColumns.length || t.hasDelete || t.contactColumns.length || t.freeTextColumns.length || t.personColumns.some((c) => c.cls.erasure === 'delete')
    if (appendOnly && writes) throw new Error(`erasure: ${name} is append-only; classify its columns 'keep' or 'anonymize' (app/compliance/classification.ts)`)
  }
  const ordered = dependencyOrder(tables, fks)
  return { tables: ordered, byName: new Map(ordered.map((t) => [t.name, t])) }
}

/** Referencing tables before the tables they reference, so deletes never trip a foreign key. */
function dependencyOrder(tables: TablePlan[], fks: { t: string; ref: string | null }[]): TablePlan[] {
  const names = new Set(tables.map((t) => t.name))
  const refs = new Map<string, Set<string>>()
  for (const t of tables) refs.set(t.name, new Set())
  for (const f of fks) if (f.ref && f.ref !== f.t && names.has(f.t) && names.has(f.ref)) refs.get(f.ref)!.add(f.t)
  const out: TablePlan[] = []
  const seen = new Set<string>()
  const visit = (t: TablePlan) => {
    if (seen.has(t.name)) return
    seen.add(t.name)
    // Everything that references t goes first.
    for (const child of [...refs.get(t.name)!].sort()) visit(tables.find((x) => x.name === child)!)
    out.push(t)
  }
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t)
  return out
}

/** A quoted identifier from the catalog (never from user input). */
export const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`)

/** One column an erasure statement selects rows by (`column = $1`, or `lower(column) = lower($1)`). */
export type ErasureFilter = { table: string; column: string; lower: boolean; why: string }

/**
 * Every column the erasure statements (engine.server.ts, the owner's carnet_audit_anonymize,
 * and PostgreSQL's own foreign-key checks when a row is deleted) select rows by. Each must be
 * the first column of an index, or erasing one person scans whole tables and its cost grows
 * with the deployment (issue 12; tests/integration/erasure-indexes.test.ts checks the catalog).
 * Free text (engine step 4) is matched by content and cannot use an index: those tables are
 * filtered on `subject column is null`, which is listed too.
 */
export function erasureFilters(plan: ErasurePlan, fks: { table: string; column: string; references: string }[]): ErasureFilter[] {
  const out = new Map<string, ErasureFilter>()
  const add = (table: string, column: string, lower: boolean, why: string) => {
    const key = `${table}.${lower ? 'lower:' : ''}${column}`
    if (!out.has(key)) out.set(key, { table, column, lower, why })
  }
  const deletedFrom = new Set<string>(['organizations'])
  for (const t of plan.tables) {
    if (t.appendOnly) {
      // carnet_audit_anonymize(actor, org): the subject column, or the organization.
      if (t.subjectColumn && t.anonymizeColumns.length) add(t.name, t.subjectColumn.name, false, 'the owner function anonymizing the log')
      if (t.orgColumn && t.anonymizeColumns.length) add(t.name, t.orgColumn, false, "the organization's erasure")
      continue
    }
    if (t.subjectColumn && (t.hasDelete || t.anonymizeColumns.length || t.pseudonymizeColumns.length)) add(t.name, t.subjectColumn.name, false, 'rows of the subject')
    // Pseudonymized evidence: a person named by their address only; the rows hanging off a kept row.
    for (const c of t.pseudonymizeColumns) if (c.cls.category === 'contact' && c.cls.of && c.type === 'text') add(t.name, c.name, true, "the person's email (pseudonymized)")
    if (t.cls.pseudonymizedWith) add(t.name, t.cls.pseudonymizedWith.column, false, 'rows hanging off a pseudonymized row')
    for (const c of t.personColumns) if (c.cls.erasure !== 'keep' && c.cls.erasure !== 'anonymize') add(t.name, c.name, false, "another column holding the person's id")
    for (const c of t.contactColumns) add(t.name, c.name, true, "the person's email")
    if (t.freeTextColumns.length && t.subjectColumn) add(t.name, t.subjectColumn.name, false, 'free text in rows naming no subject')
    if (t.orgColumn && t.orgColumn !== 'id') add(t.name, t.orgColumn, false, "the organization's erasure")
    if (t.hasDelete || t.orgColumn) deletedFrom.add(t.name)
  }
  // Deleting a row makes PostgreSQL look up every foreign key pointing at it.
  for (const f of fks) if (deletedFrom.has(f.references)) add(f.table, f.column, false, `foreign key to ${f.references} (checked on delete)`)
  return [...out.values()].sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`))
}

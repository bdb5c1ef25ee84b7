import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLASSIFICATION } from '~/compliance/classification'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

// Reads the real schema produced by the migrations, not the drizzle definitions, so a column
// added by hand-written SQL is caught too.
async function liveColumns() {
  const rows = await t.sql<{ table_name: string; column_name: string }[]>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' order by table_name, ordinal_position`
  const out = new Map<string, string[]>()
  for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name])
  return out
}

test('every column of every table is classified', async () => {
  const live = await liveColumns()
  const missing: string[] = []
  for (const [table, cols] of live) {
    for (const col of cols) if (!CLASSIFICATION[table]?.columns[col]) missing.push(`${table}.${col}`)
  }
  expect(missing, 'unclassified columns: add them to app/compliance/classification.ts').toEqual([])
})

test('every classified column still exists', async () => {
  const live = await liveColumns()
  const stale: string[] = []
  for (const [table, spec] of Object.entries(CLASSIFICATION)) {
    for (const col of Object.keys(spec.columns)) if (!live.get(table)?.includes(col)) stale.push(`${table}.${col}`)
  }
  expect(stale, 'classified but gone from the database').toEqual([])
})

test('subject and organization columns named by a table are themselves classified', () => {
  for (const [table, spec] of Object.entries(CLASSIFICATION)) {
    if (spec.subjectColumn) expect(spec.columns[spec.subjectColumn], `${table}.${spec.subjectColumn}`).toBeDefined()
    if (spec.orgColumn) expect(spec.columns[spec.orgColumn], `${table}.${spec.orgColumn}`).toBeDefined()
  }
})

test('identification and contact data is never kept as evidence', () => {
  const kept = Object.entries(CLASSIFICATION).flatMap(([table, spec]) =>
    Object.entries(spec.columns)
      .filter(([, c]) => (c.category === 'identification' || c.category === 'contact') && c.erasure === 'keep' && !(table === 'users' && c.note?.includes('random id')))
      .map(([col]) => `${table}.${col}`),
  )
  expect(kept).toEqual([])
})

test('every table holding personal data says its category for the access package summary (identity, school life, learning…)', async () => {
  const live = await liveColumns()
  const personal = [...live.keys()].filter((table) => Object.values(CLASSIFICATION[table]?.columns ?? {}).some((c) => c.subject !== 'none'))
  expect(personal.length).toBeGreaterThan(20)
  const missing = personal.filter((table) => !CLASSIFICATION[table]!.category)
  expect(missing, 'tables with personal data and no category: add `category` in app/compliance/classification.ts').toEqual([])
  // Every table that reaches a subject (hence is in the package) is among them.
  for (const [table, spec] of Object.entries(CLASSIFICATION)) if (spec.subjectColumn) expect(personal, table).toContain(table)
})

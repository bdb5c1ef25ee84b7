// Multi-row INSERT/UPDATE for thousands of rows: one array parameter per column and
// `unnest(...)` on the server, instead of one parameter per value. A 1,000-row insert then
// costs a few milliseconds (drizzle's `.values(rows)` spends ~100 ms building and binding
// 6,000 parameters), which keeps the import within a small factor of a raw COPY.
import { hash, randomBytes } from 'node:crypto'
import { getTableName, sql, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { DbOrTx } from '../../db.server'

export type PgType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'boolean'
type Cell = string | boolean | Date | null | undefined

const NEEDS_ESCAPE = /["\\]/

/** A PostgreSQL array literal: every element quoted, so commas, quotes and braces are safe. */
export function pgArray(values: Cell[]): string {
  let out = '{'
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (i) out += ','
    if (v === null || v === undefined) out += 'NULL'
    else {
      const s = v instanceof Date ? v.toISOString() : typeof v === 'boolean' ? (v ? 't' : 'f') : v
      out += '"' + (NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : s) + '"'
    }
  }
  return out + '}'
}

/**
 * SHA-256 (hex) of `n` fresh 160-bit random tokens that nobody ever sees: for rows that must
 * hold a token hash whose link (invitation) or card is issued later by another flow. One call
 * to the random source and the one-shot native hash: ~1 µs a row instead of ~15.
 */
export function unusedTokenHashes(n: number): string[] {
  const bytes = randomBytes(20 * n)
  const out = new Array<string>(n)
  for (let i = 0; i < n; i++) out[i] = hash('sha256', bytes.subarray(i * 20, i * 20 + 20), 'hex')
  return out
}

export type ColumnSpec<R> = { column: PgColumn; type: PgType; value: (row: R) => Cell }

/** `unnest($1::uuid[], $2::text[], …) as v(col1, col2, …)` for the given rows. */
export function unnestOf<R>(rows: R[], specs: ColumnSpec<R>[], alias = 'v'): SQL {
  const arrays = sql.join(
    specs.map((s) => sql`${pgArray(rows.map(s.value))}::${sql.raw(s.type)}[]`),
    sql`, `,
  )
  const names = sql.join(
    specs.map((s) => sql.identifier(s.column.name)),
    sql`, `,
  )
  return sql`unnest(${arrays}) as ${sql.identifier(alias)}(${names})`
}

/**
 * INSERT … SELECT * FROM unnest(…): one statement for all `rows`. `suffix` is appended as is
 * (ON CONFLICT …, RETURNING …). Returns the rows PostgreSQL returned.
 */
export async function bulkInsert<R>(db: DbOrTx, table: PgTable, rows: R[], specs: ColumnSpec<R>[], suffix: SQL = sql``) {
  if (!rows.length) return [] as Record<string, unknown>[]
  const names = sql.join(
    specs.map((s) => sql.identifier(s.column.name)),
    sql`, `,
  )
  const query = sql`insert into ${sql.identifier(getTableName(table))} (${names}) select * from ${unnestOf(rows, specs)} ${suffix}`
  return (await db.execute(query)) as unknown as Record<string, unknown>[]
}

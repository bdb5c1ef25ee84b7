// After an erasure, the erased rows are gone for every query but not yet from the database's
// files: PostgreSQL keeps them as dead tuples until VACUUM, and ANALYZE's last sample of them
// (a child's last name in pg_stats.histogram_bounds or most_common_vals) until the next ANALYZE.
// The erasure's transaction appends the tables it changed to erasure_vacuums; the erasure-vacuum
// job (enqueued after an erasure batch for the end of its window, and repeated hourly) runs
// `VACUUM (ANALYZE)` on each waiting table, each table at most once per window (ADR 019).
//
// Who may VACUUM: only a table's owner (or a superuser; PostgreSQL ≥ 17 also whoever holds
// MAINTAIN). The runtime role owns nothing, and VACUUM cannot run inside a function, so a
// SECURITY DEFINER wrapper is impossible: the job opens one short connection as the owner role
// when the process has it (DATABASE_OWNER_URL, or the embedded cluster's owner), and otherwise
// tries as the runtime role (MAINTAIN, granted on PostgreSQL ≥ 17). A table PostgreSQL skips
// ("permission denied to vacuum") stays waiting and is reported.
import { and, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import postgres from 'postgres'
import { erasureVacuums } from '../../../drizzle/schema'
import { MINUTE, now } from '../../clock.server'
import { databaseUrl, ownerDatabaseUrl, type Db, type DbOrTx } from '../../db.server'
import type { ErasureCounts } from './engine.server'

/** A table is vacuumed at most once per window; an erasure batch's job runs at the window's end. */
export const VACUUM_WINDOW = 15 * MINUTE

/** The tables whose rows an erasure deleted or rewrote (its tombstone's counts). */
export function touchedTables(counts: ErasureCounts): string[] {
  return [...new Set([...Object.keys(counts.deleted), ...Object.keys(counts.anonymized)])].sort()
}

/**
 * In the erasure's transaction: the tables it changed wait for VACUUM. Appends only (a table
 * already waiting is not added twice, a race at worst adds a duplicate), so concurrent erasures
 * never lock each other here.
 */
export async function markForVacuum(tx: DbOrTx, tables: string[]) {
  if (!tables.length) return
  await tx.execute(sql`
    insert into erasure_vacuums (table_name, touched_at)
    select t, ${now().toISOString()}::timestamptz from unnest(array[${sql.join(
      tables.map((t) => sql`${t}`),
      sql`, `,
    )}]::text[]) t
    where not exists (select 1 from erasure_vacuums v where v.table_name = t and v.vacuumed_at is null)`)
}

export type VacuumOutcome = {
  vacuumed: string[]
  /** Vacuumed less than a window ago: left waiting for the next run. */
  coalesced: string[]
  /** PostgreSQL refused this role (not the owner, no MAINTAIN): left waiting. */
  refused: string[]
  /** Which role ran VACUUM. */
  as: 'owner' | 'runtime'
}

/** The erasure-vacuum job: VACUUM (ANALYZE) of every table waiting, at most once per window each. Idempotent. */
export async function vacuumErasedTables(db: Db, opts: { log?: Pick<Console, 'warn'>; window?: number } = {}): Promise<VacuumOutcome> {
  const window = opts.window ?? VACUUM_WINDOW
  const at = now()
  const waiting = await db.select({ id: erasureVacuums.id, table: erasureVacuums.tableName }).from(erasureVacuums).where(isNull(erasureVacuums.vacuumedAt))
  const ownerUrl = ownerDatabaseUrl()
  const out: VacuumOutcome = { vacuumed: [], coalesced: [], refused: [], as: ownerUrl ? 'owner' : 'runtime' }
  if (!waiting.length) return out
  const tables = [...new Set(waiting.map((w) => w.table))].sort()
  const last = await db
    .select({ table: erasureVacuums.tableName, at: sql<Date>`max(${erasureVacuums.vacuumedAt})`.mapWith((v: string | Date) => new Date(v)) })
    .from(erasureVacuums)
    .where(and(inArray(erasureVacuums.tableName, tables), isNotNull(erasureVacuums.vacuumedAt)))
    .groupBy(erasureVacuums.tableName)
  const recent = new Set(last.filter((l) => at.getTime() - l.at.getTime() < window).map((l) => l.table))
  // Only names the catalog knows, as plain or partitioned tables of schema public, are quoted into VACUUM.
  const known = (await db.execute(sql`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname in (${sql.join(
      tables.map((t) => sql`${t}`),
      sql`, `,
    )})`)) as unknown as { name: string }[]
  const exists = new Set(known.map((k) => k.name))
  const due = tables.filter((t) => !recent.has(t))
  out.coalesced = tables.filter((t) => recent.has(t))

  let refusedNow: string[] = []
  const conn = postgres(ownerUrl ?? databaseUrl(), {
    max: 1,
    idle_timeout: 5,
    // A table this role may not vacuum is skipped with a warning, not an error: 'skipping "t" ---
    // only table or database owner can vacuum it' (PostgreSQL ≤ 16), 'permission denied to vacuum "t", skipping it' (≥ 17).
    onnotice: (n) => {
      if (/skipping/i.test(String(n.message))) refusedNow.push(String(n.message))
    },
  })
  const done: string[] = []
  try {
    for (const table of due) {
      if (!exists.has(table)) {
        done.push(table) // gone from the schema: nothing left to vacuum
        continue
      }
      refusedNow = []
      await conn.unsafe(`vacuum (analyze) "${table.replace(/"/g, '""')}"`)
      if (refusedNow.length) out.refused.push(table)
      else {
        out.vacuumed.push(table)
        done.push(table)
      }
    }
  } finally {
    await conn.end({ timeout: 5 })
  }
  if (done.length) {
    const ids = waiting.filter((w) => done.includes(w.table)).map((w) => w.id)
    await db.update(erasureVacuums).set({ vacuumedAt: at }).where(inArray(erasureVacuums.id, ids))
    // Only the last vacuum of each table is needed (the window); older marks go.
    await db.execute(sql`
      delete from erasure_vacuums v where v.vacuumed_at is not null
        and exists (select 1 from erasure_vacuums w where w.table_name = v.table_name and w.vacuumed_at > v.vacuumed_at)`)
  }
  if (out.refused.length) {
    opts.log?.warn(
      `[erasure-vacuum] not allowed to VACUUM ${out.refused.join(', ')} as the ${out.as} role: erased rows stay in the files until autovacuum. Give the workers DATABASE_OWNER_URL (or, on PostgreSQL ≥ 17, GRANT MAINTAIN to the runtime role).`,
    )
  }
  return out
}

/** Waiting tables (tests, the DPO's view of pending work). */
export async function tablesWaitingForVacuum(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ table: erasureVacuums.tableName }).from(erasureVacuums).where(isNull(erasureVacuums.vacuumedAt))
  return rows.map((r) => r.table).sort()
}

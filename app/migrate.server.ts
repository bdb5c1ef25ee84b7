// Preparing the database, as its owner role (ADR 014): the drizzle-kit migrations, BullMQ's own
// schema when the queues live in PostgreSQL, then the runtime role's grants. The running app
// connects as the runtime role (DATABASE_URL), which may only read and append to the logs.
import { runMigrations as migrateQueueSchema } from 'bullmq'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import postgres from 'postgres'

const here = path.dirname(fileURLToPath(import.meta.url))
export const MIGRATIONS_FOLDER = path.resolve(here, '../drizzle/migrations')

/** Evidence: the runtime role may SELECT and INSERT, nothing else (audit_events with its partitions). */
export const APPEND_ONLY_TABLES = ['consent_records', 'consent_checkpoints', 'audit_events'] as const

/** The owner's narrow functions the runtime role may call (migration 0011_append_only_logs). */
export const LOG_FUNCTIONS = ['carnet_audit_ensure_partition(date)', 'carnet_audit_drop_month(date)', 'carnet_audit_anonymize(uuid, uuid)'] as const

/** Applies the drizzle-kit migrations (the same ones in dev, tests, CI and production). */
export async function runMigrations(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER })
  } finally {
    await sql.end()
  }
}

export type PrepareOptions = {
  /** The role the app runs as; null when it is the owner itself (one role, unprotected). */
  runtimeRole: string | null
  /** Create BullMQ's `bullmq` schema (queues on PostgreSQL). */
  queues: boolean
  /** Months the audit log stays online: the floor below which the owner's purge function refuses. */
  auditOnlineMonths: number
}

/** Everything the owner role does at start-up (or `npm run db:migrate`); idempotent. */
export async function prepareDatabase(ownerUrl: string, opts: PrepareOptions) {
  await runMigrations(ownerUrl)
  if (opts.queues) await migrateQueues(ownerUrl)
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} })
  try {
    await sql.begin(async (tx) => {
      if (opts.runtimeRole) await grantRuntime(tx, opts.runtimeRole)
      await tx`update audit_partitions.retention set online_months = ${Math.max(1, Math.floor(opts.auditOnlineMonths))}`
    })
  } finally {
    await sql.end()
  }
}

/** BullMQ's schema, created by the owner: the runtime connections then only check its version. */
export async function migrateQueues(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await migrateQueueSchema(client)
  } finally {
    await client.end()
  }
}

/** The role a connection string logs in as (what the grants name). */
export async function roleOf(url: string): Promise<{ name: string; superuser: boolean; database: string }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [r] = await sql<{ name: string; superuser: boolean; database: string }[]>`
      select current_user as name, rolsuper as superuser, current_database() as database from pg_roles where rolname = current_user`
    return r!
  } finally {
    await sql.end()
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`

/**
 * The runtime role's rights, as SQL run by the owner. Normal tables: read and write. The logs:
 * read and append only, and no right at all on the audit partitions (rows reach them through
 * the parent). Never ownership, TRUNCATE, TRIGGER or REFERENCES: it cannot alter a table or
 * disable its triggers. MAINTAIN (PostgreSQL ≥ 17) lets it VACUUM/ANALYZE after an erasure.
 * README "Two database roles" shows the same statements for a managed database.
 */
export function runtimeGrants(role: string, opts: { owner: string; maintain: boolean; queues: boolean }): string[] {
  const r = quoteIdent(role)
  const o = quoteIdent(opts.owner)
  const logs = APPEND_ONLY_TABLES.map((t) => `public.${t}`).join(', ')
  const out = [
    `revoke create on schema public from public`,
    `grant usage on schema public to ${r}`,
    `grant select, insert, update, delete on all tables in schema public to ${r}`,
    `grant usage, select on all sequences in schema public to ${r}`,
    `alter default privileges for role ${o} in schema public grant select, insert, update, delete on tables to ${r}`,
    `alter default privileges for role ${o} in schema public grant usage, select on sequences to ${r}`,
    // The logs: evidence.
    `revoke all on ${logs} from public, ${r}`,
    `grant select, insert on ${logs} to ${r}`,
    `revoke all on all tables in schema audit_partitions from public, ${r}`,
    `revoke all on schema audit_partitions from public, ${r}`,
    // Archive records: written once, then only marked purged.
    `revoke update, delete on public.audit_archives from ${r}`,
    `grant update (purged_at) on public.audit_archives to ${r}`,
    // Which migrations ran (backups record it).
    `grant usage on schema drizzle to ${r}`,
    `grant select on all tables in schema drizzle to ${r}`,
    `revoke all on function ${LOG_FUNCTIONS.join(', ')} from public`,
    `grant execute on function ${LOG_FUNCTIONS.join(', ')} to ${r}`,
  ]
  if (opts.maintain) out.push(`grant maintain on all tables in schema public to ${r}`, `alter default privileges for role ${o} in schema public grant maintain on tables to ${r}`)
  if (opts.queues) {
    // BullMQ creates one id sequence per queue as it goes, hence CREATE in its own schema.
    out.push(
      `grant usage, create on schema bullmq to ${r}`,
      `grant select, insert, update, delete on all tables in schema bullmq to ${r}`,
      `grant usage, select, update on all sequences in schema bullmq to ${r}`,
      `alter default privileges for role ${o} in schema bullmq grant select, insert, update, delete on tables to ${r}`,
      `alter default privileges for role ${o} in schema bullmq grant usage, select, update on sequences to ${r}`,
    )
  }
  return out
}

async function grantRuntime(tx: postgres.TransactionSql, role: string) {
  const [info] = await tx<{ owner: string; version: number; queues: boolean }[]>`
    select current_user as owner, current_setting('server_version_num')::int as version, to_regnamespace('bullmq') is not null as queues`
  if (info!.owner === role) return
  for (const statement of runtimeGrants(role, { owner: info!.owner, maintain: info!.version >= 170000, queues: info!.queues })) await tx.unsafe(statement)
}

/** Migrations not yet applied to this database (read-only: the runtime role may run it). */
export async function pendingMigrations(url: string): Promise<number> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [exists] = await sql<{ r: string | null }[]>`select to_regclass('drizzle.__drizzle_migrations')::text as r`
    if (!exists?.r) return journal.entries.length
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`
    return Math.max(0, journal.entries.length - row!.n)
  } finally {
    await sql.end()
  }
}

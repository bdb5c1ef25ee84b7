// `npx carnet restore <file>`: into an EMPTY database only. The schema is migrated up to the
// backup's own migration level, the rows are loaded (parents before children, one
// transaction), sequences are set, the remaining migrations run, and then every erasure
// recorded in the tombstone journal after the backup is replayed — so nobody erased since
// comes back (DESIGN §3.3). Nothing is changed when a check fails before loading.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { pipeline } from 'node:stream/promises'
import { eq, inArray } from 'drizzle-orm'
import postgres from 'postgres'
import { deletionRequests, erasureTombstones, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import { connect } from '../../db.server'
import { MIGRATIONS_FOLDER, prepareDatabase } from '../../migrate.server'
import { auditRetention } from '../audit/retention.server'
import { recordAudit } from '../../compliance/audit.server'
import { eraseOrganizationRows, eraseSubject, mergeCounts, soleMembers, type ErasureCounts } from '../erasure/engine.server'
import { journalPath, readJournal, type JournalEntry } from '../erasure/journal.server'
import { migrationLevel, openArchive, readSidecar, sha256File } from './archive.server'
import { tombstoneHmacsOf, type TombstoneHmacs } from '../../models/roster-import/erased.server'

export type RestoreResult = { tables: number; rows: number; replayed: number; skippedReplays: number; migratedAfter: boolean }

const q = (name: string) => `"${name.replace(/"/g, '""')}"`

export class RestoreRefused extends Error {}

/**
 * Tables the database's own triggers fill as the other tables are loaded (the class grid's
 * versions, migration 0022): the backup's rows would collide with the ones the restore writes.
 */
const TRIGGER_MAINTAINED = new Set(['class_grid_versions'])

/** Refuses anything but an empty database: no application table, or tables without any row. */
async function checkEmpty(sql: postgres.Sql) {
  const tables = await sql<
    { t: string }[]
  >`select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public' where c.relkind in ('r', 'p') and not c.relispartition`
  if (!tables.length) return { migrated: false }
  for (const { t } of tables) {
    // Rows that migrations or start-up put there (sub-processors, legal documents) do not count.
    if (t === 'subprocessors' || t === 'legal_documents') continue
    const [row] = await sql.unsafe(`select exists (select 1 from ${q(t)}) as x`)
    if (row!.x) throw new RestoreRefused(`the target database is not empty (table ${t} has rows): restore only into an empty database`)
  }
  return { migrated: true }
}

/** A copy of the migrations folder whose journal stops at `last` (the backup's level). */
function migrationsUpTo(last: number | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-migrations-'))
  fs.mkdirSync(path.join(dir, 'meta'))
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] }
  const entries = journal.entries.filter((e) => last !== null && e.when <= last)
  for (const e of entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`))
  fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }))
  return dir
}

async function migrateTo(url: string, last: number | null) {
  const dir = migrationsUpTo(last)
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const { drizzle } = await import('drizzle-orm/postgres-js')
    const { migrate } = await import('drizzle-orm/postgres-js/migrator')
    await migrate(drizzle(sql), { migrationsFolder: dir })
  } finally {
    await sql.end()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Parents before children, from the target's foreign keys. */
async function loadOrder(sql: postgres.Sql, names: string[]): Promise<string[]> {
  const fks = await sql<{ t: string; ref: string }[]>`
    select src.relname as t, ref.relname as ref from pg_constraint con
    join pg_class src on src.oid = con.conrelid join pg_class ref on ref.oid = con.confrelid
    join pg_namespace n on n.oid = src.relnamespace and n.nspname = 'public'
    where con.contype = 'f'`
  const deps = new Map(names.map((n) => [n, new Set<string>()]))
  for (const f of fks) if (f.t !== f.ref && deps.has(f.t) && deps.has(f.ref)) deps.get(f.t)!.add(f.ref)
  const out: string[] = []
  const seen = new Set<string>()
  const visit = (n: string) => {
    if (seen.has(n)) return
    seen.add(n)
    for (const d of [...deps.get(n)!].sort()) visit(d)
    out.push(n)
  }
  for (const n of [...names].sort()) visit(n)
  return out
}

/**
 * `url` is the owner role's (it creates the schema); `runtimeRole`, when the app runs as another
 * role, gets its grants once the newer migrations are applied (ADR 014).
 */
export async function restoreBackup(url: string, file: string, opts: { journal?: string; log?: (s: string) => void; runtimeRole?: string | null } = {}): Promise<RestoreResult> {
  const log = opts.log ?? (() => {})
  if (!fs.existsSync(file)) throw new RestoreRefused(`no such backup file: ${file}`)
  const side = readSidecar(file)
  if (side) {
    const actual = await sha256File(file)
    if (actual.sha256 !== side.sha256 || actual.bytes !== side.bytes) throw new RestoreRefused(`checksum mismatch: ${file} is not the file recorded (SHA-256 ${side.sha256})`)
  }
  const archive = await openArchive(file)
  const { header } = archive
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  let loaded: Record<string, number>
  try {
    const { migrated } = await checkEmpty(sql)
    const level = migrated ? await migrationLevel(sql) : null
    if (level && level.last !== header.migration.last) {
      throw new RestoreRefused(`the empty target database is at migration level ${level.count}, the backup at ${header.migration.count}: restore into a database without tables`)
    }
    if (!migrated) {
      log(`Creating the schema at the backup's migration level (${header.migration.count} migrations) …`)
      await migrateTo(url, header.migration.last)
    }
    const order = await loadOrder(
      sql,
      header.tables.map((t) => t.name),
    )
    const columns = new Set(header.tables.map((t) => t.name))
    log(`Loading ${header.tables.length} tables …`)
    // The archive is read in its own order; rows are buffered per table in temp files, then
    // loaded in dependency order inside one transaction.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-restore-'))
    try {
      loaded = await archive.tables(async (name, rows) => {
        await pipeline(rows, fs.createWriteStream(path.join(tmp, `${name}.copy`)))
      })
      await sql.begin(async (tx) => {
        for (const t of ['subprocessors', 'legal_documents']) if (columns.has(t)) await tx.unsafe(`delete from ${q(t)}`)
        for (const name of order) {
          // Kept by triggers, not by hand: loading the other tables writes them afresh.
          if (TRIGGER_MAINTAINED.has(name)) continue
          const rl = readline.createInterface({ input: fs.createReadStream(path.join(tmp, `${name}.copy`)), crlfDelay: Infinity })
          let batch: string[] = []
          const flush = async () => {
            if (!batch.length) return
            await tx.unsafe(`insert into ${q(name)} select * from json_populate_recordset(null::${q(name)}, ($1::text)::json)`, [`[${batch.join(',')}]`])
            batch = []
          }
          for await (const line of rl) {
            if (!line) continue
            batch.push(line)
            if (batch.length >= 500) await flush()
          }
          await flush()
        }
        // Sequences continue after the restored ids.
        const seqs = await tx<{ t: string; c: string; s: string }[]>`
          select t.relname as t, a.attname as c, s.relname as s from pg_depend d
          join pg_class s on s.oid = d.objid and s.relkind = 'S'
          join pg_class t on t.oid = d.refobjid join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
          join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'`
        for (const r of seqs) await tx.unsafe(`select setval('${q(r.s)}', coalesce((select max(${q(r.c)}) from ${q(r.t)}), 1), (select count(*) > 0 from ${q(r.t)}))`)
      })
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  } finally {
    await sql.end({ timeout: 5 })
  }
  log('Applying the migrations newer than the backup …')
  await prepareDatabase(url, { runtimeRole: opts.runtimeRole ?? null, queues: !process.env.REDIS_URL, auditOnlineMonths: auditRetention().onlineMonths })
  const replay = await replayTombstones(url, opts.journal ?? journalPath(path.dirname(file)), log)
  return {
    tables: header.tables.length,
    rows: Object.values(loaded!).reduce((a, b) => a + b, 0),
    replayed: replay.replayed,
    skippedReplays: replay.skipped,
    migratedAfter: true,
  }
}

/** Every journal entry the restored database has no tombstone for is erased again. */
export async function replayTombstones(url: string, journalFile: string, log: (s: string) => void = () => {}) {
  const entries = readJournal(journalFile)
  const { sql, db } = connect(url, { max: 2 })
  let replayed = 0
  let skipped = 0
  try {
    const known = new Set<string>()
    for (let i = 0; i < entries.length; i += 500) {
      const ids = entries.slice(i, i + 500).map((e) => e.id)
      for (const r of await db.select({ id: erasureTombstones.id }).from(erasureTombstones).where(inArray(erasureTombstones.id, ids))) known.add(r.id)
    }
    const todo = entries.filter((e) => !known.has(e.id))
    if (todo.length) log(`Replaying ${todo.length} erasure(s) recorded after the backup …`)
    for (const e of todo) {
      await db.transaction(async (tx) => {
        const counts: ErasureCounts = { deleted: {}, anonymized: {}, files: 0 }
        let hmacs: TombstoneHmacs | undefined
        if (e.scope === 'organization') {
          for (const personId of await soleMembers(tx, e.orgId!)) mergeCounts(counts, await eraseSubject(tx, { subjectId: personId, scope: 'account', orgId: e.orgId }))
          mergeCounts(counts, await eraseOrganizationRows(tx, e.orgId!))
        } else {
          const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, e.subjectId!))
          if (!u && e.scope === 'account') skipped++
          // The backup still holds the child: the keyed hashes are computed again before the erasure.
          hmacs = await tombstoneHmacsOf(tx, { subjectId: e.subjectId!, scope: e.scope, orgId: e.orgId })
          mergeCounts(counts, await eraseSubject(tx, { subjectId: e.subjectId!, scope: e.scope, orgId: e.orgId, erasureId: e.id }))
        }
        await tx
          .insert(erasureTombstones)
          .values({ ...tombstoneOf(e, counts), ...hmacs })
          .onConflictDoNothing()
        if (e.requestId)
          await tx
            .update(deletionRequests)
            .set({ completedAt: new Date(e.completedAt) })
            .where(eq(deletionRequests.id, e.requestId))
        await recordAudit(tx, {
          action: 'erasure.replayed',
          orgId: e.orgId,
          targetType: e.subjectId ? 'user' : 'organization',
          targetId: e.subjectId ?? e.orgId,
          details: { tombstoneId: e.id, deleted: counts.deleted },
        })
      })
      replayed++
    }
  } finally {
    await sql.end({ timeout: 5 })
  }
  return { replayed, skipped }
}

function tombstoneOf(e: JournalEntry, counts: ErasureCounts) {
  return {
    id: e.id,
    requestId: e.requestId,
    scope: e.scope,
    subjectId: e.subjectId,
    orgId: e.orgId,
    requestedByRole: e.role ?? ('operator' as const),
    requestedAt: new Date(e.requestedAt),
    dueAt: new Date(e.dueAt),
    completedAt: new Date(e.completedAt),
    late: new Date(e.completedAt) > new Date(e.dueAt),
    deleted: counts.deleted,
    anonymized: counts.anonymized,
    files: counts.files,
    replayedAt: now(),
  }
}

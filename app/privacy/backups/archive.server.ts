// The backup file (ADR 007): a logical dump taken in-process, because the embedded PostgreSQL
// ships no pg_dump and Debian's client (15) refuses a newer server (18). One REPEATABLE READ,
// READ ONLY snapshot; every table of the application schema read through a cursor, one JSON
// object per row (row_to_json), into a gzip file. (COPY … TO STDOUT through postgres.js
// stalls the connection after a large table: its socket stays paused.)
//
//   CARNET-BACKUP 1
//   H {"takenAt":…,"migration":{"count":n,"last":…},"tables":[{"name":…,"columns":[…]},…]}
//   T <table>
//   <one JSON object per row>
//   \.
//   … one T block per table …
//   E {"rows":{"<table>":n,…}}
//
// A sidecar <file>.json holds the SHA-256 and size of the .gz; restore checks both.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { PassThrough, Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import postgres from 'postgres'

export const MAGIC = 'CARNET-BACKUP 1'

export type TableSpec = { name: string; columns: string[] }
export type BackupHeader = { format: 1; takenAt: string; migration: { count: number; last: number | null }; tables: TableSpec[] }
export type BackupSummary = { sha256: string; bytes: number; tables: number; rows: number; header: BackupHeader; perTable: Record<string, number> }
export type Sidecar = { file: string; kind: string; takenAt: string; sha256: string; bytes: number; tables: number; rows: number; migration: BackupHeader['migration'] }

const q = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Application tables: every ordinary or partitioned table of schema public (partitions come through their parent). */
export async function applicationTables(conn: postgres.Sql | postgres.TransactionSql): Promise<TableSpec[]> {
  const sql = conn as postgres.Sql
  const rows = await sql<{ t: string; c: string }[]>`
    select c.relname as t, a.attname as c
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname, a.attnum`
  const out = new Map<string, string[]>()
  for (const r of rows) {
    if (!out.has(r.t)) out.set(r.t, [])
    out.get(r.t)!.push(r.c)
  }
  return [...out].map(([name, columns]) => ({ name, columns }))
}

export async function migrationLevel(conn: postgres.Sql | postgres.TransactionSql): Promise<BackupHeader['migration']> {
  const sql = conn as postgres.Sql
  const [exists] = await sql<{ r: string | null }[]>`select to_regclass('drizzle.__drizzle_migrations')::text as r`
  if (!exists?.r) return { count: 0, last: null }
  const [row] = await sql<{ n: number; last: string | null }[]>`select count(*)::int as n, max(created_at)::text as last from drizzle.__drizzle_migrations`
  return { count: row!.n, last: row!.last ? Number(row!.last) : null }
}

/** Writes the dump to `file` (atomically: a .part renamed at the end). */
export async function writeArchive(url: string, file: string, takenAt: Date): Promise<BackupSummary> {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const part = `${file}.part`
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  const hash = createHash('sha256')
  let bytes = 0
  const gzip = createGzip({ level: 6 })
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      bytes += chunk.length
      cb(null, chunk)
    },
  })
  const out = fs.createWriteStream(part, { mode: 0o600 })
  const done = pipeline(gzip, counter, out)
  const write = (s: string | Buffer) => new Promise<void>((resolve) => (gzip.write(s) ? resolve() : gzip.once('drain', () => resolve())))
  const perTable: Record<string, number> = {}
  try {
    let header!: BackupHeader
    await sql.begin('isolation level repeatable read read only', async (tx) => {
      const tables = await applicationTables(tx)
      header = { format: 1, takenAt: takenAt.toISOString(), migration: await migrationLevel(tx), tables }
      await write(`${MAGIC}\nH ${JSON.stringify(header)}\n`)
      for (const t of tables) {
        await write(`T ${t.name}\n`)
        // One JSON object per row (row_to_json), read through a cursor: bounded memory, and
        // every type (timestamps, jsonb, bigint) round-trips through json_populate_record.
        let lines = 0
        for await (const batch of tx.unsafe(`select row_to_json(x)::text as j from ${q(t.name)} x`).cursor(1000)) {
          await write(batch.map((r) => (r as unknown as { j: string }).j).join('\n') + '\n')
          lines += batch.length
        }
        perTable[t.name] = lines
        await write('\\.\n')
      }
    })
    await write(`E ${JSON.stringify({ rows: perTable })}\n`)
    gzip.end()
    await done
    fs.renameSync(part, file)
    const rows = Object.values(perTable).reduce((a, b) => a + b, 0)
    return { sha256: hash.digest('hex'), bytes, tables: header.tables.length, rows, header, perTable }
  } catch (e) {
    gzip.destroy()
    await done.catch(() => {})
    fs.rmSync(part, { force: true })
    throw e
  } finally {
    await sql.end({ timeout: 5 })
  }
}

export function sidecarPath(file: string) {
  return `${file}.json`
}

export function writeSidecar(file: string, s: Sidecar) {
  fs.writeFileSync(sidecarPath(file), JSON.stringify(s, null, 2) + '\n', { mode: 0o600 })
}

export function readSidecar(file: string): Sidecar | null {
  try {
    return JSON.parse(fs.readFileSync(sidecarPath(file), 'utf8')) as Sidecar
  } catch {
    return null
  }
}

export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    bytes += chunk.length
  }
  return { sha256: hash.digest('hex'), bytes }
}

export type ArchiveReader = {
  header: BackupHeader
  /** Calls `onTable` for each table block with a stream of its COPY rows. */
  tables(onTable: (name: string, rows: Readable) => Promise<void>): Promise<Record<string, number>>
}

/** Reads an archive block by block; the trailer's counts are checked against what was read. */
export async function openArchive(file: string): Promise<ArchiveReader> {
  const input = fs.createReadStream(file).pipe(createGunzip())
  const rl = readline.createInterface({ input, crlfDelay: Infinity })
  const it = rl[Symbol.asyncIterator]()
  const next = async () => {
    const r = await it.next()
    return r.done ? null : (r.value as string)
  }
  const magic = await next()
  if (magic !== MAGIC) throw new Error('not a Carnet backup (bad header)')
  const h = await next()
  if (!h?.startsWith('H ')) throw new Error('not a Carnet backup (no manifest)')
  const header = JSON.parse(h.slice(2)) as BackupHeader
  return {
    header,
    async tables(onTable) {
      const counts: Record<string, number> = {}
      for (;;) {
        const line = await next()
        if (line === null) throw new Error('truncated backup: no trailer')
        if (line.startsWith('E ')) {
          const trailer = JSON.parse(line.slice(2)) as { rows: Record<string, number> }
          for (const [t, n] of Object.entries(trailer.rows)) if ((counts[t] ?? 0) !== n) throw new Error(`backup table ${t}: ${counts[t] ?? 0} rows read, ${n} written`)
          return counts
        }
        if (!line.startsWith('T ')) throw new Error(`corrupt backup near "${line.slice(0, 40)}"`)
        const name = line.slice(2)
        const rows = new PassThrough()
        let n = 0
        const consumer = onTable(name, rows)
        for (;;) {
          const row = await next()
          if (row === null) throw new Error(`truncated backup in table ${name}`)
          if (row === '\\.') break
          n++
          if (!rows.write(row + '\n')) await new Promise((r) => rows.once('drain', r))
        }
        rows.end()
        await consumer
        counts[name] = n
      }
    },
  }
}

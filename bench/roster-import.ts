// Roster import benchmark: 10,000 children with 20,000 guardian emails across 400 classes,
// imported the way the admin page does it (parse → dry-run plan → stored → one-transaction
// commit), then the very same rows loaded with a raw PostgreSQL COPY into a fresh copy of
// the schema, in the same run on the same server. Target: import ≤ 3 × COPY, as the median of
// BENCH_ROUNDS (default 10) rounds whose order alternates (import first, then COPY first).
// The COPY baseline's connection has TCP_NODELAY, as libpq's has: without it each COPY data
// chunk waits for the server's delayed ACK (~40 ms on Linux loopback) and the baseline looks
// slow — the import's statements are one write each and never meet that stall.
//
//   npx tsx bench/roster-import.ts [--write]  (embedded PostgreSQL in a temp dir)
//   DATABASE_URL=postgres://… npx tsx bench/roster-import.ts   (creates two scratch databases there)
//
// Prints the result; with --write also writes it into bench/RESULTS.md under "## Roster import".
import fs from 'node:fs'
import net from 'node:net'
import { once } from 'node:events'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import postgres from 'postgres'
import { organizations, users, memberships } from '../drizzle/schema'
import { connect } from '../app/db.server'
import { runMigrations } from '../app/migrate.server'
import { now } from '../app/clock.server'
import { commitImport } from '../app/models/roster-import/commit.server'
import { createImport } from '../app/models/roster-import/imports.server'
import { startEmbeddedPostgres, type EmbeddedHandle } from '../server/embedded-postgres'

const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 10_000)
const CLASSES = Number(process.env.BENCH_CLASSES ?? 400)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)
const WRITE = process.argv.includes('--write')
const YEAR = '2026-2027'
const here = path.dirname(fileURLToPath(import.meta.url))

/** The tables an import writes, in foreign-key order, with the columns COPY fills. */
const TABLES: { table: string; where: string }[] = [
  { table: 'classes', where: 'org_id = $1' },
  { table: 'groups', where: 'org_id = $1' },
  { table: 'users', where: "id in (select user_id from memberships where org_id = $1 and role = 'child')" },
  { table: 'memberships', where: "org_id = $1 and role = 'child'" },
  { table: 'child_profiles', where: 'org_id = $1' },
  { table: 'enrolments', where: 'org_id = $1' },
  { table: 'invitations', where: 'org_id = $1' },
  { table: 'invitation_children', where: 'invitation_id in (select id from invitations where org_id = $1)' },
]

const LEVELS = ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2', '6e', '5e', '4e', '3e']
const FIRST = ['Zoé', 'Léa', 'Chloé', 'Noémie', 'Inès', 'Jade', 'Louise', 'Ambre', 'Hugo', 'Léo', 'Gabriel', 'Raphaël', 'Arthur', 'Louis', 'Jules', 'Adam', 'Maël', 'Seán', 'Łukasz', 'Ömer']
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'García', "O'Brien", 'Nguyễn', 'Yılmaz']

/** A French-Excel-style CSV: semicolons, dd/mm/yyyy, two guardian emails per child, all distinct. */
function generateCsv() {
  const lines = ['Nom;Prénom;Date de naissance;Classe;Groupe;Identifiant;Email responsable 1;Email responsable 2']
  for (let i = 0; i < CHILDREN; i++) {
    const c = i % CLASSES
    const className = `${LEVELS[c % LEVELS.length]} ${String.fromCharCode(65 + (Math.floor(c / LEVELS.length) % 26))}${Math.floor(c / (LEVELS.length * 26)) || ''}`
    const day = String(1 + (i % 28)).padStart(2, '0')
    const month = String(1 + (i % 12)).padStart(2, '0')
    const year = 2012 + (i % 10)
    lines.push(
      [
        `${LAST[i % LAST.length]}-${i}`,
        FIRST[(i * 7) % FIRST.length],
        `${day}/${month}/${year}`,
        className,
        Math.floor(i / CLASSES) % 2 ? 'Groupe 1' : 'Groupe 2',
        `INE${String(i).padStart(6, '0')}`,
        `resp1.${i}@example.fr`,
        `resp2.${i}@example.fr`,
      ].join(';'),
    )
  }
  return Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n', 'utf8')
}

async function freshDatabase(adminUrl: string, name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  await runMigrations(u.toString())
  return u.toString()
}

async function dropDatabase(adminUrl: string, name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {})
  await admin.end()
}

/** One value in COPY's text format: \N for NULL, backslash escapes for the separators. */
function copyField(v: string | null) {
  if (v === null) return '\\N'
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6

type Round = { planMs: number; commitMs: number; importMs: number; copyMs: number; reMs: number | null; rows: string; totalRows: number; load: number; copyFirst: boolean }

type Dump = { orgId: string; tables: { table: string; columns: string; text: Buffer; rows: number }[] }

/** The rows an import wrote, per table, in COPY's text format (PostgreSQL's own text output of every column). */
async function dumpImport(importUrl: string, orgId: string): Promise<Dump> {
  const source = postgres(importUrl, { max: 1, onnotice: () => {} })
  const tables: Dump['tables'] = []
  for (const { table, where } of TABLES) {
    const cols = await source`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table} order by ordinal_position`
    const columns = cols.map((r) => `"${r.column_name}"`).join(', ')
    const rows = await source.unsafe(`select ${cols.map((r) => `"${r.column_name}"::text`).join(', ')} from ${table} where ${where}`, [orgId]).values()
    const text = Buffer.from(rows.map((r) => (r as (string | null)[]).map(copyField).join('\t') + '\n').join(''), 'utf8')
    tables.push({ table, columns, text, rows: rows.length })
  }
  await source.end()
  return { orgId, tables }
}

/** The baseline: COPY of exactly the rows an import wrote, into a fresh copy of the schema, one transaction. */
async function copyRows(adminUrl: string, copyUrl: string, dump: Dump) {
  // `socket` is a postgres.js option its types do not list.
  const target = postgres(copyUrl, Object.assign({ max: 1, onnotice: () => {} }, { socket: noDelaySocket(copyUrl) }))
  await target`insert into organizations (id, kind, name, created_at) values (${dump.orgId}, 'school', 'École du banc d’essai', now())`
  await checkpoint(adminUrl)
  const t = process.hrtime.bigint()
  await target.begin(async (tx) => {
    for (const d of dump.tables) {
      const writable = await tx.unsafe(`copy ${d.table} (${d.columns}) from stdin`).writable()
      await pipeline(Readable.from([d.text]), writable)
    }
  })
  const copyMs = ms(t)
  await target.end()
  return copyMs
}

/** The import, as the admin page runs it: dry run (parse, plan, store), then the commit. */
async function importRows(adminUrl: string, importUrl: string, csv: Buffer, withReimport: boolean) {
  const app = connect(importUrl)
  const [org] = await app.db.insert(organizations).values({ kind: 'school', name: 'École du banc d’essai', createdAt: now() }).returning()
  const [admin] = await app.db.insert(users).values({ kind: 'adult', email: 'admin@bench.fr', firstName: 'A', lastName: 'B', createdAt: now() }).returning()
  await app.db.insert(memberships).values({ orgId: org!.id, userId: admin!.id, role: 'admin', createdAt: now() })
  await checkpoint(adminUrl)
  const t0 = process.hrtime.bigint()
  const created = await createImport(app.db, { orgId: org!.id, actorId: admin!.id, files: [{ name: 'bench.csv', bytes: csv }], schoolYear: YEAR })
  const planMs = ms(t0)
  const t1 = process.hrtime.bigint()
  await commitImport(app.db, { orgId: org!.id, importId: created.id, actorId: admin!.id, origin: { ip: null, userAgent: 'bench' } })
  const commitMs = ms(t1)
  const c = created.plan!.counts
  if (c.childrenCreate !== CHILDREN || c.guardiansCreate !== CHILDREN * 2 || c.classesCreate !== CLASSES) throw new Error(`unexpected plan: ${JSON.stringify(c)}`)
  // Re-import of the same file: everything unchanged, nothing written.
  let reMs: number | null = null
  if (withReimport) {
    const t2 = process.hrtime.bigint()
    const again = await createImport(app.db, { orgId: org!.id, actorId: admin!.id, files: [{ name: 'bench.csv', bytes: csv }], schoolYear: YEAR })
    reMs = ms(t2)
    if (again.plan!.counts.childrenUnchanged !== CHILDREN) throw new Error('re-import is not all unchanged')
  }
  await app.sql.end()
  return { orgId: org!.id, planMs, commitMs, reMs }
}

let lastDump: Dump | null = null

/**
 * One import and one COPY of the same rows, each into a database of its own. Odd rounds import
 * first, even rounds COPY first (the previous round's rows: same tables, same sizes), so neither
 * side always runs on the warmer server.
 */
async function round(adminUrl: string, csv: Buffer, n: number, withReimport: boolean): Promise<Round> {
  const importDbName = `carnet_bench_import_${process.pid}_${n}`
  const copyDbName = `carnet_bench_copy_${process.pid}_${n}`
  try {
    const importUrl = await freshDatabase(adminUrl, importDbName)
    const copyUrl = await freshDatabase(adminUrl, copyDbName)
    const copyFirst = n % 2 === 0 && lastDump !== null
    const earlyCopyMs = copyFirst ? await copyRows(adminUrl, copyUrl, lastDump!) : null
    const imported = await importRows(adminUrl, importUrl, csv, withReimport)
    const dump = await dumpImport(importUrl, imported.orgId)
    lastDump = dump
    const copyMs = earlyCopyMs ?? (await copyRows(adminUrl, copyUrl, dump))
    const { planMs, commitMs, reMs } = imported
    const importMs = planMs + commitMs
    const totalRows = dump.tables.reduce((k, d) => k + d.rows, 0)
    const r = { planMs, commitMs, importMs, copyMs, reMs, totalRows, rows: dump.tables.map((d) => `${d.table} ${d.rows}`).join(', '), load: os.loadavg()[0]!, copyFirst }
    console.log(
      `round ${n} (${copyFirst ? 'COPY first' : 'import first'}, load ${r.load.toFixed(1)}): import ${importMs.toFixed(0)} ms (dry run ${planMs.toFixed(0)} + commit ${commitMs.toFixed(0)}), COPY ${copyMs.toFixed(0)} ms of ${totalRows} rows → ${(importMs / copyMs).toFixed(2)}×` +
        (reMs !== null ? `; re-import dry run ${reMs.toFixed(0)} ms` : ''),
    )
    return r
  } finally {
    await dropDatabase(adminUrl, importDbName)
    await dropDatabase(adminUrl, copyDbName)
  }
}

/** A connected TCP socket with Nagle's algorithm off (TCP_NODELAY), for postgres.js's `socket` option. */
function noDelaySocket(url: string) {
  const u = new URL(url)
  return async () => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || 5432), noDelay: true })
    await once(socket, 'connect')
    return socket
  }
}

/** Starts each timed part without a pending checkpoint from the setup (best effort). */
async function checkpoint(adminUrl: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await sql`checkpoint`.catch(() => {})
  await sql.end()
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(v.length / 2)
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}

async function main() {
  let handle: EmbeddedHandle | null = null
  let tmp: string | null = null
  let adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-pg-'))
    fs.chmodSync(tmp, 0o755)
    // roles: false — the bench creates and drops its scratch databases as the cluster's superuser.
    handle = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), database: 'postgres', roles: false })
    adminUrl = handle.url
  }
  try {
    const probe = postgres(adminUrl, { max: 1, onnotice: () => {} })
    const [{ server_version: serverVersion }] = (await probe`show server_version`) as unknown as [{ server_version: string }]
    await probe.end()
    console.log(`PostgreSQL ${serverVersion} (${handle ? 'embedded, temp dir' : 'DATABASE_URL'}); ${CHILDREN} children, ${CHILDREN * 2} guardian emails, ${CLASSES} classes; ${ROUNDS} rounds`)
    const csv = generateCsv()
    console.log(`CSV: ${(csv.length / 1024 / 1024).toFixed(2)} MB`)
    const load = [os.loadavg()[0]!]
    const rounds: Round[] = []
    for (let n = 1; n <= ROUNDS; n++) {
      rounds.push(await round(adminUrl, csv, n, n === 1))
      load.push(os.loadavg()[0]!)
    }
    const summary = {
      serverVersion,
      where: handle ? 'embedded, temp dir, fsync on' : 'the DATABASE_URL server',
      rounds,
      ratio: median(rounds.map((r) => r.importMs / r.copyMs)),
      commitRatio: median(rounds.map((r) => r.commitMs / r.copyMs)),
      ratioRange: [Math.min(...rounds.map((r) => r.importMs / r.copyMs)), Math.max(...rounds.map((r) => r.importMs / r.copyMs))] as const,
      load: [Math.min(...load), Math.max(...load)] as const,
    }
    console.log(
      `median ratio import / COPY = ${summary.ratio.toFixed(2)}× (range ${summary.ratioRange.map((x) => x.toFixed(2)).join('–')}×, ${ROUNDS} alternating rounds, target ≤ 3×); commit alone / COPY = ${summary.commitRatio.toFixed(2)}×; 1-min load ${summary.load.map((x) => x.toFixed(1)).join('–')}`,
    )
    if (WRITE) writeResults(summary)
    else console.log('(bench/RESULTS.md unchanged: pass --write to record this run)')
    if (summary.ratio > 3) process.exitCode = 1
  } finally {
    await handle?.stop()
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  }
}

function writeResults(r: { serverVersion: string; where: string; rounds: Round[]; ratio: number; ratioRange: readonly [number, number]; commitRatio: number; load: readonly [number, number] }) {
  const file = path.join(here, 'RESULTS.md')
  const f = (x: number) => `${x.toFixed(0)} ms`
  const lines = r.rounds.map(
    (x, i) =>
      `| ${i + 1}${i === 0 ? ' (cold process)' : ''} | ${x.copyFirst ? 'COPY' : 'import'} | ${x.load.toFixed(1)} | ${f(x.planMs)} | ${f(x.commitMs)} | **${f(x.importMs)}** | ${f(x.copyMs)} | ${(x.importMs / x.copyMs).toFixed(2)}× |`,
  )
  const first = r.rounds[0]!
  const section = `## Roster import

\`npx tsx bench/roster-import.ts\` — last run ${now().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, PostgreSQL ${r.serverVersion} (${r.where}), ${os.cpus().length} CPUs shared with other work (1-minute load average ${r.load[0].toFixed(1)}–${r.load[1].toFixed(1)} during the run, so absolute times move between runs; the ratio is measured side by side, in rounds whose order alternates).

${CHILDREN.toLocaleString('en')} children, ${(CHILDREN * 2).toLocaleString('en')} guardian emails (all distinct), ${CLASSES} classes with 2 groups each, from a French-Excel CSV (semicolons, BOM, dd/mm/yyyy). Each round imports into a fresh database the way the admin page does (\`createImport\`: parse, dry-run plan, store file and plan; then \`commitImport\`: one transaction, \`INSERT … SELECT FROM unnest(…)\` of 1,000 rows per statement), then loads the very same ${first.totalRows.toLocaleString('en')} rows with a raw \`COPY … FROM STDIN\` (one transaction) into another fresh database.

| round | first | load | dry run (parse + plan + store) | commit | import total | COPY | import / COPY |
|---|---|---|---|---|---|---|---|
${lines.join('\n')}

**Median ratio import / COPY over ${r.rounds.length} rounds: ${r.ratio.toFixed(2)}× (range ${r.ratioRange.map((x) => x.toFixed(2)).join('–')}×; target ≤ 3×)**; commit alone / COPY: ${r.commitRatio.toFixed(2)}×. Dry run of a
re-import of the same file (all ${CHILDREN.toLocaleString('en')} unchanged, nothing written): ${f(first.reMs ?? 0)}.

Rows: ${first.rows}. The COPY baseline is given the rows already computed (ids, card hashes, token hashes) and
only loads them, over a connection with TCP_NODELAY (as libpq's), so its COPY chunks never wait for a delayed ACK; the import parses and decodes the file, loads the organization, plans, stores the file and
the plan (jsonb) for the confirmation step and computes every hash itself. What made the difference: one
array parameter per column (\`unnest\`) instead of drizzle's \`.values(rows)\` (one parameter per value:
~100 ms of JavaScript per 1,000 rows, 3.0× COPY), hashes from one \`randomBytes\` call and the native
one-shot \`crypto.hash\`, and editing the stored jsonb in the database instead of sending it back.
`
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n'
  const start = text.indexOf('## Roster import')
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + 1)
    text = text.slice(0, start) + section + (next >= 0 ? '\n' + text.slice(next + 1) : '')
  } else {
    text = text.replace(/\s*$/, '\n\n') + section
  }
  fs.writeFileSync(file, text)
  console.log(`written to ${path.relative(process.cwd(), file)}`)
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)

// School learning ZIP (what the background export job builds: one PDF per child, results.csv,
// results.json, manifest.json with SHA-256s, streamed to a file) for 1,000 children with 40
// results each, then 5,000 children. Each size runs in its own child process so its peak RSS
// (getrusage maxrss) is its own; memory must stay flat (5,000 ≤ 1.2 × 1,000). Target: 1,000
// children in ≤ 30 s.
// Run: npx tsx bench/school-zip.ts   (embedded PostgreSQL in a temp DATA_DIR unless
// DATABASE_URL is set; BENCH_SIZES=1000,5000 to choose the sizes)
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const RESULTS_PER_CHILD = 40
const OBSERVATIONS_PER_CHILD = 6
const CLASS_SIZE = 25

type ChildReport = { children: number; results: number; observations: number; ms: number; maxRssMb: number; zipMb: number; pdfs: number }

if (process.argv[2] === '--child') {
  // ——— In the child process: build one export, report time and peak RSS. ———
  const [orgId, authorId] = process.argv.slice(3) as [string, string]
  const { getDb, closeDb } = await import('../app/db.server')
  const { createExportFile, buildExportFile } = await import('../app/exports/learning/files.server')
  const { countScopeChildren, resolveScope } = await import('../app/exports/learning/scope.server')
  const unzipper = (await import('unzipper')).default
  const db = getDb()
  const scope = { kind: 'school' as const }
  const total = await countScopeChildren(db, orgId, await resolveScope(db, orgId, scope))
  const file = await createExportFile(db, { orgId, scope, authorId, lang: 'fr', total })
  const t0 = performance.now()
  const trace: string[] = []
  const sampler = process.env.BENCH_TRACE
    ? setInterval(() => {
        const m = process.memoryUsage()
        trace.push(
          `${((performance.now() - t0) / 1000).toFixed(0)}s rss=${(m.rss / 1e6).toFixed(0)} heap=${(m.heapUsed / 1e6).toFixed(0)}/${(m.heapTotal / 1e6).toFixed(0)} ext=${(m.external / 1e6).toFixed(
            0,
          )}`,
        )
      }, 2000)
    : null
  const { row } = await buildExportFile(db, { orgId, exportId: file.id })
  if (sampler) {
    clearInterval(sampler)
    process.stderr.write(trace.join('\n') + '\n')
  }
  const ms = performance.now() - t0
  const maxRssMb = process.resourceUsage().maxRSS / 1024
  // Checked after measuring: the central directory only (no file is inflated).
  const dir = await unzipper.Open.file(row.path!)
  const manifest = JSON.parse((await dir.files.find((f) => f.path === 'manifest.json')!.buffer()).toString())
  const report: ChildReport = { ...manifest.counts, ms, maxRssMb, zipMb: row.bytes! / 1024 / 1024, pdfs: dir.files.filter((f) => f.path.endsWith('.pdf')).length }
  fs.rmSync(row.path!, { force: true })
  await closeDb()
  process.stdout.write(`RESULT ${JSON.stringify(report)}\n`)
  process.exit(0)
}

// ——— Parent: database, data, one child process per size. ———
const sizes = (process.env.BENCH_SIZES ?? '1000,5000').split(',').map(Number)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-zip-'))
fs.chmodSync(tmp, 0o755)
process.env.DATA_DIR = tmp
const { boot } = await import('../server/boot')
const { getDb, getSql } = await import('../app/db.server')
const { makeAdult, makeOrg } = await import('../tests/helpers/factories')
const { ensureStarterSkills } = await import('../app/models/learning/skills.server')
const booted = await boot()
const db = getDb()
const sql = getSql()

const FIRST = ['Zoé', 'Łukasz', 'Nguyễn', 'Ömer', 'Ioana-Maria', 'Chloé', 'Noé', 'Anaïs', 'Mathéo', 'Inès', 'Jérôme', 'Fatoumata']
const LAST = ['Müller', 'Nowak', 'Văn An', 'Yılmaz', "O'Brien", 'Lefèvre', 'Gonçalves', 'Dubois-Martin', 'Ngô', 'Benali']

/** A school of n children in classes of 25, each class with 40 quizzes (one skill each), every child with 40 results and 6 observations. */
async function seedSchool(n: number) {
  const t0 = performance.now()
  const org = await makeOrg(db, 'school', `École du banc d’essai (${n})`)
  const admin = await makeAdult(db, { orgId: org.id, role: 'admin' })
  await ensureStarterSkills(db, org.id)
  const classes = Math.ceil(n / CLASS_SIZE)
  await sql.begin(async (tx) => {
    await tx`insert into classes (org_id, name, school_year, login_code, created_at)
             select ${org.id}, 'Classe ' || lpad(g::text, 3, '0'), '2026-2027', 'B' || ${n} || 'X' || g, now() from generate_series(1, ${classes}) g`
    await tx`create temp table bench_kids on commit drop as
             select gen_random_uuid() as id, g as n from generate_series(1, ${n}) g`
    await tx`insert into users (id, kind, first_name, last_name, birth_date, created_at)
             select id, 'child', (${FIRST}::text[])[1 + n % ${FIRST.length}], (${LAST}::text[])[1 + (n / 7) % ${LAST.length}] || ' ' || n, '2017-03-14', now() from bench_kids`
    await tx`insert into memberships (org_id, user_id, role, created_at) select ${org.id}, id, 'child', now() from bench_kids`
    await tx`insert into enrolments (org_id, class_id, child_id, created_at)
             select ${org.id}, c.id, k.id, now() from bench_kids k
             join classes c on c.org_id = ${org.id} and c.name = 'Classe ' || lpad((1 + (k.n - 1) / ${CLASS_SIZE})::text, 3, '0')`
    await tx`insert into activities (org_id, class_id, kind, title, created_at, published_at)
             select ${org.id}, c.id, 'quiz', 'Quiz n°' || a || ' — fractions et décimaux', now() - (a || ' days')::interval, now()
             from classes c, generate_series(1, ${RESULTS_PER_CHILD}) a where c.org_id = ${org.id}`
    await tx`insert into activity_skills (org_id, activity_id, skill_id)
             select ${org.id}, a.id, (select s.id from skills s where s.org_id = ${org.id} order by s.position offset (abs(hashtext(a.id::text)) % 40) limit 1)
             from activities a where a.org_id = ${org.id}`
    await tx`insert into results (org_id, child_id, activity_id, score, max, answers, duration_ms, completed_at, published_at)
             select ${org.id}, e.child_id, a.id, abs(hashtext(e.child_id::text || a.id::text)) % 11, 10, '[0,1,2,0,1,2,0,1,2,0]'::jsonb, 120000, a.created_at + interval '1 hour', now()
             from enrolments e join activities a on a.class_id = e.class_id where e.org_id = ${org.id}`
    await tx`insert into observations (org_id, class_id, child_id, skill_id, level, note, observed_on, created_at, published_at)
             select ${org.id}, e.class_id, e.child_id, s.id, (array['not_yet','in_progress','acquired'])[1 + (o % 3)],
                    case when o = 1 then 'Progrès nets depuis la rentrée, continue ainsi !' end, current_date - o * 20, now(), null
             from enrolments e, generate_series(1, ${OBSERVATIONS_PER_CHILD}) o
             join lateral (select id from skills where org_id = ${org.id} order by position offset o * 5 limit 1) s on true
             where e.org_id = ${org.id}`
  })
  await sql`analyze`
  return { orgId: org.id, authorId: admin.id, seedMs: performance.now() - t0 }
}

function runChild(orgId: string, authorId: string): Promise<ChildReport> {
  const here = fileURLToPath(import.meta.url)
  return new Promise((resolve, reject) => {
    const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', here, '--child', orgId, authorId], {
      env: { ...process.env, DATABASE_URL: booted.databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || !line) reject(new Error(`child exited ${code}\n${out}`))
      else resolve(JSON.parse(line.slice(7)))
    })
  })
}

const rows: (ChildReport & { size: number; seedMs: number })[] = []
for (const size of sizes) {
  const s = await seedSchool(size)
  const r = await runChild(s.orgId, s.authorId)
  rows.push({ ...r, size, seedMs: s.seedMs })
  console.log(`${size} children: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB, ZIP ${r.zipMb.toFixed(1)} MB`)
}
await booted.stop()
fs.rmSync(tmp, { recursive: true, force: true })

console.log(`\nSchool learning ZIP (background job: PDFs + CSV + JSON + manifest, to a file), ${os.cpus().length} CPU(s), node ${process.version}`)
console.log('| children | results | observations | PDFs | time | children/s | peak RSS | ZIP size |')
console.log('|---|---|---|---|---|---|---|---|')
for (const r of rows) {
  console.log(
    `| ${r.children} | ${r.results} | ${r.observations} | ${r.pdfs} | ${(r.ms / 1000).toFixed(1)} s | ${(r.children / (r.ms / 1000)).toFixed(0)} | ${r.maxRssMb.toFixed(0)} MB | ${r.zipMb.toFixed(
      1,
    )} MB |`,
  )
}
if (rows.length >= 2) console.log(`\npeak RSS ${rows[1]!.size} / ${rows[0]!.size}: ${(rows[1]!.maxRssMb / rows[0]!.maxRssMb).toFixed(2)} (must be ≤ 1.2)`)

// Class grid page (30 children × 60 activities, every cell filled) under 50 concurrent
// requests, against the built app started as `npm start` does (scripts/start.mjs), and in the
// same run a bare Remix route (the landing page, anonymous: no session, no query) and the
// lightest signed-in page (/home) for comparison. Targets: grid p95 ≤ 50 ms, ratio ≤ 4.
// Run: npx tsx bench/class-grid.ts   (BENCH_REQUESTS per route, default 2000; BENCH_CONCURRENCY, default 50)
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import http from 'node:http'
import { sql } from 'drizzle-orm'

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50)

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-grid-'))
fs.chmodSync(tmp, 0o755)
process.env.DATA_DIR = tmp
delete process.env.REDIS_URL
const { boot } = await import('../server/boot')
const { freePort } = await import('../server/embedded-postgres')
const { getDb } = await import('../app/db.server')
const { createSession } = await import('../app/auth/session.server')
const schema = await import('../drizzle/schema')
const { makeAdult, makeChild, makeClass, makeOrg, teach } = await import('../tests/helpers/factories')
const { listSkills } = await import('../app/models/learning/skills.server')

const booted = await boot()
const db = getDb()

// ——— A class of 30 with 60 activities (50 quizzes, 10 observation sessions), all cells filled. ———
const org = await makeOrg(db, 'school', 'École du banc d’essai')
const klass = await makeClass(db, org.id, 'CM2 banc')
const teacher = await makeAdult(db, { orgId: org.id, role: 'teacher' })
await teach(db, { orgId: org.id, classId: klass.id, userId: teacher.id })
const kids = []
for (let i = 0; i < 30; i++) kids.push(await makeChild(db, { orgId: org.id, classId: klass.id, firstName: ['Zoé', 'Łukasz', 'Nguyễn', 'Ömer', 'Inès'][i % 5]!, lastName: `Élève ${i + 1}` }))
const skills = await listSkills(db, { orgId: org.id })
const acts = await db
  .insert(schema.activities)
  .values(
    Array.from({ length: 60 }, (_, i) => ({
      orgId: org.id,
      classId: klass.id,
      kind: (i % 6 === 5 ? 'observation' : 'quiz') as 'quiz' | 'observation',
      title: `Activité ${i + 1}`,
      createdAt: new Date(Date.now() - (60 - i) * 86_400_000),
      publishedAt: i % 2 ? new Date() : null,
    })),
  )
  .returning()
await db.insert(schema.activitySkills).values(acts.map((a, i) => ({ orgId: org.id, activityId: a.id, skillId: skills[i % skills.length]!.id })))
await db
  .insert(schema.results)
  .values(
    kids.flatMap((k, i) =>
      acts
        .filter((a) => a.kind === 'quiz')
        .map((a, j) => ({ orgId: org.id, childId: k.id, activityId: a.id, score: (i + j) % 11, max: 10, answers: [], completedAt: new Date(), publishedAt: j % 3 ? new Date() : null })),
    ),
  )
await db.insert(schema.observations).values(
  kids.flatMap((k, i) =>
    acts
      .filter((a) => a.kind === 'observation')
      .map((a, j) => ({
        orgId: org.id,
        classId: klass.id,
        activityId: a.id,
        childId: k.id,
        skillId: skills[(j * 6 + 5) % skills.length]!.id,
        level: (['not_yet', 'in_progress', 'acquired'] as const)[(i + j) % 3],
        observedOn: '2026-02-01',
        createdAt: new Date(),
      })),
  ),
)
// Planner statistics, as autovacuum keeps them on a live database (it analyzes a table within a
// minute of this many new rows): without them the grid's statement costs PostgreSQL 3× more.
await db.execute(sql`analyze`)
const { token } = await createSession(db, teacher.id, { kind: 'adult' })
const cookie = `carnet_session=${token}`

// ——— The app, built and started as `npm start` does, on the same database. ———
const port = await freePort()
const buildDir = path.resolve('.cache', `bench-grid-build-${process.pid}`)
const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []
const server = spawn(process.execPath, [...prof, 'scripts/start.mjs'], {
  env: {
    ...process.env,
    DATA_DIR: tmp,
    CARNET_BUILD_DIR: buildDir,
    DATABASE_URL: booted.databaseUrl,
    PORT: String(port),
    CARNET_NO_WORKERS: '1',
    NODE_ENV: 'production',
    SESSION_SECRET: process.env.SESSION_SECRET,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
})
let log = ''
server.stdout.on('data', (d) => (log += d))
server.stderr.on('data', (d) => (log += d))
const base = `http://127.0.0.1:${port}`
const deadline = Date.now() + 300_000
for (;;) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break
  } catch {}
  if (Date.now() > deadline) throw new Error(`server did not start\n${log}`)
  await new Promise((r) => setTimeout(r, 200))
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
type Target = { name: string; url: string; cookie?: string; expect: string }
const allTargets: Target[] = [
  { name: 'bare Remix route (`/`, anonymous)', url: `${base}/`, expect: 'Carnet' },
  { name: 'signed-in home (`/home`)', url: `${base}/home`, cookie, expect: 'École du banc' },
  { name: 'class grid 30 × 60', url: `${base}/org/${org.id}/classes/${klass.id}/learning`, cookie, expect: 'Activité 60' },
]
// BENCH_ONLY=2 measures the grid alone (e.g. with BENCH_PROF, to profile one route).
const targets = process.env.BENCH_ONLY ? allTargets.filter((_, i) => process.env.BENCH_ONLY!.split(',').includes(String(i))) : allTargets

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

async function one(t: Target) {
  const t0 = performance.now()
  const res = await get(t.url, t.cookie ? { cookie: t.cookie, 'accept-language': 'fr' } : { 'accept-language': 'fr' })
  const ms = performance.now() - t0
  if (res.status !== 200 || !res.body.includes(t.expect)) throw new Error(`${t.name}: ${res.status} ${res.body.slice(0, 200)}`)
  return { ms, bytes: res.body.length }
}

// CPU time (ms) of the app's process and of all PostgreSQL processes, from /proc (Linux):
// where a request's cost goes, whatever the other processes on the machine are doing.
const TICK_MS = 10 // USER_HZ = 100 on Linux
function cpuMs(pid: number) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(f[11]) + Number(f[12])) * TICK_MS
  } catch {
    return 0
  }
}
function postgresCpuMs() {
  let total = 0
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') total += cpuMs(Number(d))
    } catch {}
  }
  return total
}

// Statements per request: committed transactions of the app's database (each autocommit
// statement is one); PostgreSQL publishes these counters about once a second.
async function statements() {
  await new Promise((r) => setTimeout(r, 1_500))
  const [row] = await db.execute<{ n: string }>(sql`select xact_commit::text as n from pg_stat_database where datname = current_database()`)
  return Number(row!.n) - 1 // this statement itself
}

async function load(t: Target, n: number) {
  const st0 = await statements()
  const app0 = cpuMs(server.pid!)
  const pg0 = postgresCpuMs()
  const lat: number[] = []
  let bytes = 0
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        next++
        const r = await one(t)
        lat.push(r.ms)
        bytes = r.bytes
      }
    }),
  )
  const secs = (performance.now() - started) / 1000
  lat.sort((a, b) => a - b)
  const p = (q: number) => lat[Math.min(lat.length - 1, Math.ceil(q * lat.length) - 1)]!
  const appCpu = (cpuMs(server.pid!) - app0) / lat.length
  const pgCpu = (postgresCpuMs() - pg0) / lat.length
  const perRequest = ((await statements()) - st0) / lat.length
  return { name: t.name, n: lat.length, p50: p(0.5), p95: p(0.95), p99: p(0.99), max: lat[lat.length - 1]!, rps: lat.length / secs, kb: bytes / 1024, appCpu, pgCpu, statements: perRequest }
}

// Warm-up (JIT, connection pools, caches), then each route measured under the same load.
for (const t of targets) await load(t, 300)
const rows = []
for (const t of targets) rows.push(await load(t, REQUESTS))
// Single requests, no concurrency: the page's own cost.
const solo: number[] = []
for (const t of targets) {
  const xs = []
  for (let i = 0; i < 100; i++) xs.push((await one(t)).ms)
  xs.sort((a, b) => a - b)
  solo.push(xs[49]!)
}

server.kill('SIGTERM')
await new Promise((r) => server.on('exit', r))
agent.destroy()
await booted.stop()
fs.rmSync(tmp, { recursive: true, force: true })
fs.rmSync(buildDir, { recursive: true, force: true })

const bare = rows[0]!
console.log(`Class grid latency, ${CONCURRENCY} concurrent requests, ${REQUESTS} per route, built app (NODE_ENV=production, workers off), ${os.cpus().length} CPU(s), node ${process.version}`)
console.log('| route | p50 ms | p95 ms | p99 ms | max ms | req/s | p95 ÷ bare | alone, p50 ms | app CPU ms/req | PostgreSQL CPU ms/req | statements/req | page KB |')
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|')
rows.forEach((r, i) =>
  console.log(
    `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(0)} | ${r.rps.toFixed(0)} | ${(r.p95 / bare.p95).toFixed(2)} | ${solo[i]!.toFixed(
      1,
    )} | ${r.appCpu.toFixed(1)} | ${r.pgCpu.toFixed(1)} | ${r.statements.toFixed(1)} | ${r.kb.toFixed(0)} |`,
  ),
)

// Page cost against a bare Remix route (issue 18), under 50 concurrent clients, against the
// built app started as `npm start` does (scripts/start.mjs): the class grid (30 children × 60
// activities, every cell filled), a large grid (35 × 200), a teacher's class page, a guardian's
// child record and the DPO's request list, each against the bare route (the landing page,
// anonymous: no session, no query) and the lightest signed-in page (/home).
// Honest by construction: BENCH_ROUNDS (default 10) rounds in which every route is measured once,
// in an order that rotates each round (A B C…, then B C… A, …), so no route always runs on a
// warmer or quieter machine; each round's ratio is that round's p95 ÷ that round's bare p95; the
// result is the median ratio and its range, with the 1-minute load average of every round.
// CPU per request counts only this run's processes: the app's, and the PostgreSQL cluster this
// script started (its postmaster and that postmaster's children) — never other clusters.
// Targets: grid ÷ bare ≤ 2, 35 × 200 grid ÷ bare ≤ 3, class page, child record, request list ≤ 2.
// Run: npx tsx bench/class-grid.ts   (BENCH_REQUESTS per route per round, default 300;
// BENCH_CONCURRENCY, default 50; BENCH_ONLY=2,3 measures only those targets and the bare route)
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import http from 'node:http'
import { sql } from 'drizzle-orm'

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)
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
const { createReceivedRequest } = await import('../app/privacy/rights-requests/intake.server')
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
// ——— A large class: 35 children × 200 quizzes, every cell filled. ———
const big = await makeClass(db, org.id, 'CM1 grande grille')
await teach(db, { orgId: org.id, classId: big.id, userId: teacher.id })
const bigKids = []
for (let i = 0; i < 35; i++) bigKids.push(await makeChild(db, { orgId: org.id, classId: big.id, firstName: ['Léa', 'Adèle', 'Noé'][i % 3]!, lastName: `Grand ${i + 1}` }))
const bigActs = await db
  .insert(schema.activities)
  .values(
    Array.from({ length: 200 }, (_, i) => ({
      orgId: org.id,
      classId: big.id,
      kind: 'quiz' as const,
      title: `Exercice ${i + 1}`,
      createdAt: new Date(Date.now() - (200 - i) * 3_600_000),
      publishedAt: new Date(),
    })),
  )
  .returning()
await db.insert(schema.activitySkills).values(bigActs.map((a, i) => ({ orgId: org.id, activityId: a.id, skillId: skills[i % skills.length]!.id })))
for (const k of bigKids)
  await db
    .insert(schema.results)
    .values(bigActs.map((a, j) => ({ orgId: org.id, childId: k.id, activityId: a.id, score: j % 11, max: 10, answers: [], completedAt: new Date(), publishedAt: new Date() })))

// ——— A guardian of the first child, and a DPO with 60 rights requests to list. ———
const guardian = await makeAdult(db, { orgId: org.id, role: 'guardian' })
await db.insert(schema.guardianLinks).values({ orgId: org.id, childId: kids[0]!.id, guardianId: guardian.id, legalStatus: 'parent', startedAt: new Date(), createdAt: new Date() })
const dpo = await makeAdult(db, { orgId: org.id, role: 'dpo' })
for (let i = 0; i < 60; i++)
  await createReceivedRequest(db, {
    orgId: org.id,
    kind: (['access', 'rectification', 'erasure', 'question'] as const)[i % 4]!,
    channel: 'in_app',
    subjectId: kids[i % kids.length]!.id,
    subjectName: null,
    requesterEmail: `parent${i}@example.org`,
    requesterName: `Parent ${i}`,
    relation: 'guardian',
    message: null,
    lang: 'fr',
    receivedAt: new Date(Date.now() - i * 3_600_000),
    actorId: guardian.id,
    origin: { ip: '127.0.0.1', userAgent: 'bench' },
  })

// Planner statistics, as autovacuum keeps them on a live database.
await db.execute(sql`analyze`)
const session = async (userId: string) => `carnet_session=${(await createSession(db, userId, { kind: 'adult' })).token}`
const cookie = await session(teacher.id)
const guardianCookie = await session(guardian.id)
const dpoCookie = await session(dpo.id)

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
    // The runtime role may not migrate: the server checks the schema as the owner, as `npm start` does.
    ...(booted.ownerUrl ? { DATABASE_OWNER_URL: booted.ownerUrl } : {}),
    PORT: String(port),
    CARNET_NO_WORKERS: '1',
    NODE_ENV: 'production',
    // No mail is sent while measuring pages; production otherwise refuses to start without SMTP_URL.
    CARNET_ALLOW_NO_SMTP: '1',
    SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
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
type Target = { name: string; url: string; cookie?: string; expect: string; target?: number }
const allTargets: Target[] = [
  { name: 'bare Remix route (`/`, anonymous)', url: `${base}/`, expect: 'Carnet' },
  { name: 'signed-in home (`/home`)', url: `${base}/home`, cookie, expect: 'École du banc' },
  { name: 'class grid 30 × 60', url: `${base}/org/${org.id}/classes/${klass.id}/learning`, cookie, expect: 'Activité 60', target: 2 },
  { name: 'class grid 35 × 200', url: `${base}/org/${org.id}/classes/${big.id}/learning`, cookie, expect: 'Exercice 200', target: 3 },
  { name: "teacher's class page", url: `${base}/org/${org.id}/classes/${klass.id}`, cookie, expect: 'CM2 banc', target: 2 },
  { name: "guardian's child record", url: `${base}/children/${kids[0]!.id}`, cookie: guardianCookie, expect: kids[0]!.firstName, target: 2 },
  { name: "DPO's request list (60)", url: `${base}/org/${org.id}/dpo/requests`, cookie: dpoCookie, expect: 'DSR-', target: 2 },
]
// BENCH_ONLY=2 measures the grid alone against the bare route (e.g. with BENCH_PROF, to profile one route).
const only = process.env.BENCH_ONLY?.split(',')
const targets = only ? allTargets.filter((_, i) => i === 0 || only.includes(String(i))) : allTargets

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
// The cluster this script started: its postmaster's pid is the first line of postmaster.pid in
// the data directory under DATA_DIR; its backends are that postmaster's children.
function findPostmasterPid(dir: string): number {
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name === 'postmaster.pid') return Number(fs.readFileSync(path.join(e.parentPath, e.name), 'utf8').split('\n')[0])
  }
  throw new Error(`no postmaster.pid under ${dir}: run on the embedded PostgreSQL (unset DATABASE_URL)`)
}
const postmaster = findPostmasterPid(tmp)
function postgresCpuMs() {
  let total = cpuMs(postmaster)
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const ppid = Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1])
      if (ppid === postmaster) total += cpuMs(Number(d))
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

// Warm-up (JIT, connection pools, caches), not measured.
for (const t of targets) await load(t, 200)
type Measure = Awaited<ReturnType<typeof load>>
const byRound: { load: number; rows: Map<string, Measure> }[] = []
for (let r = 0; r < ROUNDS; r++) {
  const order = targets.map((_, i) => targets[(i + r) % targets.length]!)
  const rows = new Map<string, Measure>()
  for (const t of order) rows.set(t.name, await load(t, REQUESTS))
  byRound.push({ load: os.loadavg()[0]!, rows })
  const bareP95 = rows.get(targets[0]!.name)!.p95
  console.log(`round ${r + 1}/${ROUNDS} (load ${os.loadavg()[0]!.toFixed(1)}): ${targets.map((t) => `${t.name.split(' (')[0]} ${(rows.get(t.name)!.p95 / bareP95).toFixed(2)}`).join(' · ')}`)
}
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

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(v.length / 2)
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}
const loads = byRound.map((r) => r.load)
console.log(
  `\nPage cost against a bare route, ${CONCURRENCY} concurrent clients, ${REQUESTS} requests per route per round, ${ROUNDS} rounds in rotating order; built app (NODE_ENV=production, workers off), ${os.cpus().length} CPU(s), node ${process.version}; 1-min load per round ${loads.map((x) => x.toFixed(1)).join(', ')}`,
)
console.log('| route | p95 ÷ bare p95, median | range | target | p50 ms | p95 ms | p99 ms | req/s | alone, p50 ms | app CPU ms/req | PostgreSQL CPU ms/req | statements/req | page KB |')
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
let failed = false
targets.forEach((t, i) => {
  const per = byRound.map((r) => r.rows.get(t.name)!)
  const ratios = byRound.map((r) => r.rows.get(t.name)!.p95 / r.rows.get(targets[0]!.name)!.p95)
  const m = (k: keyof Measure) => median(per.map((x) => x[k] as number))
  const ratio = median(ratios)
  if (t.target && ratio > t.target) failed = true
  console.log(
    `| ${t.name} | **${ratio.toFixed(2)}** | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} | ${t.target ? `≤ ${t.target}` : ''} | ${m('p50').toFixed(1)} | ${m('p95').toFixed(1)} | ${m('p99').toFixed(1)} | ${m('rps').toFixed(0)} | ${solo[i]!.toFixed(1)} | ${m('appCpu').toFixed(1)} | ${m('pgCpu').toFixed(1)} | ${m('statements').toFixed(1)} | ${m('kb').toFixed(0)} |`,
  )
})
if (failed) process.exitCode = 1

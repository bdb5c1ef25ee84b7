// Erasure benchmarks (issue 7): erase one child with 1,000 results (target ≤ 200 ms), drain
// 10,000 due deletions, and the request-to-erased lag with the workers running (p99 over 200
// deletions, target ≤ 2 minutes). Issue 12 (`flat`): erase one child in a deployment of 1,000
// children and in one of 200,000, side by side in interleaved rounds (target ≤ 50 ms, ratio of
// the medians ≤ 1.3).
// Run: npx tsx bench/erasure.ts [one|drain|lag|flat ...]   (embedded PostgreSQL in a temp
// DATA_DIR unless DATABASE_URL is set — `flat` needs the embedded one; BullMQ on PostgreSQL
// unless REDIS_URL is set). BENCH_DRAIN=n changes the 10,000; BENCH_FLAT=n the 200,000,
// BENCH_ROUNDS=n the 15 rounds of `flat`.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inArray, sql } from 'drizzle-orm'
import { deletionRequests, erasureTombstones } from '../drizzle/schema'

const parts = process.argv.slice(2).length ? process.argv.slice(2) : ['one', 'drain', 'lag', 'flat']
const DRAIN = Number(process.env.BENCH_DRAIN ?? 10_000)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-erasure-'))
fs.chmodSync(tmp, 0o755)
process.env.DATA_DIR = tmp
process.env.CARNET_QUEUE_PREFIX = `carnet-bench-${process.pid}`

const { boot } = await import('../server/boot')
const { getDb, getSql } = await import('../app/db.server')
const { requestDeletion } = await import('../app/privacy/erasure/requests.server')
const { runDeletion, drainDue } = await import('../app/privacy/erasure/run.server')
const { makeAdult, makeClass, makeOrg } = await import('../tests/helpers/factories')
const { RESULTS_PER_CHILD, seedDeployment, seedId } = await import('./erasure-seed')

const booted = await boot()
const db = getDb()
const pg = getSql()
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!
const out: string[] = []

/** A class of `children` children, each with `results` quiz results, guardians, a session, consent, audit rows. Bulk SQL. */
async function school(children: number, results: number) {
  const org = await makeOrg(db, 'school', `École ${Math.random().toString(36).slice(2, 7)}`)
  const cls = await makeClass(db, org.id)
  const teacher = await makeAdult(db, { orgId: org.id, role: 'teacher' })
  await pg`insert into activities (org_id, class_id, kind, title, created_by, created_at)
    select ${org.id}, ${cls.id}, 'quiz', 'Quiz ' || g, ${teacher.id}, now() from generate_series(1, ${results}) g`
  const kids = await pg<{ id: string }[]>`
    insert into users (kind, first_name, last_name, birth_date, created_at)
    select 'child', 'Élève' || g, 'Banc' || g || ${org.id.slice(0, 6)}, date '2017-01-01' + g, now() from generate_series(1, ${children}) g returning id`
  const ids = kids.map((k) => k.id)
  await pg`insert into memberships (org_id, user_id, role, created_at) select ${org.id}, unnest(${ids}::uuid[]), 'child', now()`
  await pg`insert into enrolments (org_id, class_id, child_id, created_at) select ${org.id}, ${cls.id}, unnest(${ids}::uuid[]), now()`
  await pg`insert into child_profiles (child_id, org_id, external_id) select c, ${org.id}, 'INE-' || c from unnest(${ids}::uuid[]) c`
  await pg`insert into results (org_id, child_id, activity_id, score, max, answers, duration_ms, completed_at)
    select ${org.id}, c, a.id, 1, 2, '[0,1]'::jsonb, 30000, now() from unnest(${ids}::uuid[]) c cross join (select id from activities where class_id = ${cls.id}) a`
  await pg`insert into audit_events (at, org_id, actor_id, action, target_type, target_id, outcome, ip, user_agent)
    select now(), ${org.id}, c, 'child.login', 'user', c::text, 'success', '192.0.2.1', 'Tablette' from unnest(${ids}::uuid[]) c`
  await pg`insert into sessions (id, user_id, kind, created_at, expires_at, last_seen_at, user_agent) select md5(c::text || random()), c, 'child', now(), now() + interval '8 hours', now(), 'Tablette' from unnest(${ids}::uuid[]) c`
  await pg`insert into guardian_links (org_id, child_id, guardian_id, legal_status, started_at, created_at) select ${org.id}, c, gen_random_uuid(), 'parent', now(), now() from unnest(${ids}::uuid[]) c`
  await pg`analyze`
  return { org, cls, ids }
}

if (parts.includes('one')) {
  // 25 children × 1,000 results (25,000 results in the class); erase children one by one.
  const s = await school(25, 1000)
  const times: number[] = []
  for (let i = 0; i < 11; i++) {
    const r = await requestDeletion(db, { subjectId: s.ids[i]!, orgId: s.org.id, requestedBy: null, role: 'admin', reason: 'bench' })
    const t0 = performance.now()
    const res = await runDeletion(db, r.id)
    const t = ms(t0)
    if (res.status !== 'erased' || res.counts.anonymized.results !== 1000) throw new Error(`unexpected ${JSON.stringify(res)}`)
    if (i > 0)
      times.push(t) // the first run also reads the catalog for the plan
    else out.push(`first erasure in the process (plan built from the catalog): ${t} ms`)
  }
  out.push(`| erase one child with 1,000 results (25,000 in the class; 10 runs) | median ${pct(times, 50)} ms | max ${Math.max(...times)} ms | target ≤ 200 ms |`)
}

if (parts.includes('drain')) {
  // 10,000 children (4 results, guardian link, session, audit row each), all due at once.
  const schools = []
  for (let done = 0; done < DRAIN; done += 1000) schools.push(await school(Math.min(1000, DRAIN - done), 4))
  const ids = schools.flatMap((s) => s.ids.map((id) => ({ id, org: s.org.id })))
  // What requestDeletion writes, in bulk (the request path is not what is measured here).
  await pg`update users set deactivated_at = now() where id = any(${ids.map((x) => x.id)}::uuid[])`
  await pg`insert into deletion_requests (scope, subject_id, org_id, requested_by_role, reason, requested_at, erase_after, due_at)
    select 'account', x.id, x.org, 'admin', 'bench', now(), now(), now() + interval '24 hours'
    from unnest(${ids.map((x) => x.id)}::uuid[], ${ids.map((x) => x.org)}::uuid[]) as x(id, org)`
  const t0 = performance.now()
  // Two sweeps side by side (as two worker processes would): rows are locked SKIP LOCKED.
  const results = await Promise.all([drainDue(db, { budgetMs: 3_600_000 }), drainDue(db, { budgetMs: 3_600_000 })])
  const total = ms(t0)
  const erased = results.reduce((a, r) => a + r.erased, 0)
  const [{ left }] = await pg<{ left: number }[]>`select count(*)::int as left from deletion_requests where completed_at is null`
  out.push(
    `| drain ${ids.length} due deletions (2 concurrent sweeps) | ${(total / 1000).toFixed(1)} s | ${Math.round(erased / (total / 1000))} erasures/s | ${left} left, ${results.reduce((a, r) => a + r.late, 0)} late |`,
  )
}

if (parts.includes('lag')) {
  const { startWorkers } = await import('../workers/runtime.server')
  const { erasureRunJob, erasureSweepJob } = await import('../workers/jobs/erasure.server')
  const { requestErasure } = await import('../app/privacy/erasure/requests.server')
  const { closeQueues } = await import('../app/queue/job.server')
  const quiet = { info() {}, warn: console.warn, error: console.error }
  const workers = await startWorkers({ log: quiet, jobs: [erasureRunJob, erasureSweepJob] })
  const s = await school(201, 20)
  await requestErasure(db, { of: 'person', subjectId: s.ids[200]!, orgId: s.org.id, requestedBy: null, role: 'admin', reason: 'bench' }, quiet)
  const reqIds: string[] = []
  for (let i = 0; i < 200; i++) {
    // What the deletion pages do: request (deactivate at once), then enqueue the erasure job.
    const r = await requestErasure(db, { of: 'person', subjectId: s.ids[i]!, orgId: s.org.id, requestedBy: null, role: 'guardian', reason: 'bench' }, quiet)
    reqIds.push(r.id)
    await new Promise((res) => setTimeout(res, 100)) // 10 per second
  }
  const deadline = Date.now() + 10 * 60_000
  let lags: number[] = []
  for (;;) {
    const rows = await db.select({ requestedAt: deletionRequests.requestedAt, completedAt: deletionRequests.completedAt }).from(deletionRequests).where(inArray(deletionRequests.id, reqIds))
    if (rows.every((r) => r.completedAt)) {
      lags = rows.map((r) => r.completedAt!.getTime() - r.requestedAt.getTime())
      break
    }
    if (Date.now() > deadline) throw new Error('deletions still pending after 10 minutes')
    await new Promise((res) => setTimeout(res, 200))
  }
  const tombs = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(erasureTombstones)
    .where(inArray(erasureTombstones.requestId, reqIds))
  out.push(
    `| request → erased, workers running, 200 deletions at 10/s (queues on ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'}) | p50 ${pct(lags, 50)} ms | p99 **${pct(lags, 99)} ms** | max ${Math.max(...lags)} ms; ${tombs[0]!.n} tombstones; target ≤ 2 min |`,
  )
  await workers.stop()
  await closeQueues()
}

if (parts.includes('flat')) {
  if (!booted.embedded) throw new Error('flat: run it on the embedded PostgreSQL (unset DATABASE_URL): it creates two databases')
  const { startEmbeddedPostgres, RUNTIME_ROLE } = await import('../server/embedded-postgres')
  const { prepareDatabase } = await import('../app/migrate.server')
  const { connect } = await import('../app/db.server')
  const LARGE = Number(process.env.BENCH_FLAT ?? 200_000)
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
  /** A deployment of `children` children in its own database of the same cluster, seeded set-wise. */
  const deployment = async (children: number) => {
    // Same cluster as boot() (its state file), a database of its own, the same two roles.
    const h = await startEmbeddedPostgres({ database: `carnet_flat_${children}` })
    await prepareDatabase(h.ownerUrl, { runtimeRole: RUNTIME_ROLE, queues: false, auditOnlineMonths: 6 })
    const c = connect(h.url, { max: 2 })
    const t0 = performance.now()
    await seedDeployment(c.sql, children)
    return { children, ...c, seedMs: ms(t0) }
  }
  const small = await deployment(1_000)
  const large = await deployment(LARGE)
  const sizes = [small, large]
  const times = new Map(sizes.map((d) => [d.children, [] as number[]]))
  const loads: number[] = []
  let next = 0
  const eraseOne = async (d: (typeof sizes)[number]) => {
    // Children spread over every school: child k of school k, then k + 1 …
    const k = next++
    const schools = d.children / 1000
    const g = (k % schools) * 1000 + ((k * 7) % 1000) + 1
    const [child] = await d.sql<{ id: string; org: string }[]>`select u.id, m.org_id as org from users u join memberships m on m.user_id = u.id where u.id = ${seedId('c', g)}`
    if (!child) throw new Error(`flat: child ${g} missing`)
    const r = await requestDeletion(d.db, { subjectId: child.id, orgId: child.org, requestedBy: null, role: 'admin', reason: 'bench' })
    const t0 = performance.now()
    const res = await runDeletion(d.db, r.id)
    const t = ms(t0)
    if (res.status !== 'erased' || res.counts.anonymized.results !== RESULTS_PER_CHILD) throw new Error(`flat: unexpected ${JSON.stringify(res)}`)
    return t
  }
  // Two warm-up erasures each (the plan, cold caches), not counted.
  for (const d of sizes) for (let i = 0; i < 2; i++) await eraseOne(d)
  for (let round = 0; round < ROUNDS; round++) {
    loads.push(os.loadavg()[0]!)
    // Interleaved: the order alternates, so drifting load falls on both sizes alike.
    for (const d of round % 2 ? [...sizes].reverse() : sizes) times.get(d.children)!.push(await eraseOne(d))
  }
  loads.push(os.loadavg()[0]!)
  const med = (xs: number[]) => pct(xs, 50)
  const line = (d: (typeof sizes)[number]) => {
    const xs = times.get(d.children)!
    return `| erase one child, deployment of ${d.children.toLocaleString('en')} children (${ROUNDS} interleaved rounds) | median **${med(xs)} ms** | range ${Math.min(...xs)}–${Math.max(...xs)} ms | seeded in ${(d.seedMs / 1000).toFixed(1)} s |`
  }
  out.push(line(small), line(large))
  out.push(
    `| ratio of the medians ${LARGE.toLocaleString('en')} / 1,000 | **${(med(times.get(LARGE)!) / med(times.get(1000)!)).toFixed(2)}** | target ≤ 1.3; median ≤ 50 ms | load average (1 min) during the rounds ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`,
  )
  for (const d of sizes) await d.sql.end()
}

console.log(`Erasure benchmarks — ${new Date().toISOString()}, ${os.cpus().length} CPU(s), node ${process.version}`)
for (const l of out) console.log(l)
await booted.stop()
fs.rmSync(tmp, { recursive: true, force: true })
process.exit(0)

// Forwarding lag of rights requests, from receipt (the request counts: received_at) to
// forwarded (forwarded_at: the school's DPO and admins notified in the app and by email, the
// receipt mailed), with the workers running as in `npm start` — the DPA allows 48 hours, the
// target is under a minute. 200 requests, twice: arriving steadily (10 per second) and all at once.
// Run: npx tsx bench/dsr-forwarding.ts   (embedded PostgreSQL in a temp DATA_DIR unless
// DATABASE_URL is set; BullMQ on PostgreSQL unless REDIS_URL is set)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inArray } from 'drizzle-orm'
import { rightsRequests } from '../drizzle/schema'

const N = Number(process.env.BENCH_N ?? 200)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-dsr-'))
fs.chmodSync(tmp, 0o755)
process.env.DATA_DIR = tmp
process.env.CARNET_QUEUE_PREFIX = `carnet-bench-${process.pid}`

const { boot } = await import('../server/boot')
const { getDb } = await import('../app/db.server')
const { startWorkers } = await import('../workers/runtime.server')
const { jobs } = await import('../workers/registry.server')
const { closeQueues } = await import('../app/queue/job.server')
const { createReceivedRequest } = await import('../app/privacy/rights-requests/intake.server')
const { enqueueDsrForward } = await import('../app/privacy/rights-requests/jobs.server')
const { makeAdult, makeChild, makeClass, makeOrg } = await import('../tests/helpers/factories')

const booted = await boot()
const db = getDb()
const quiet = { info() {}, warn: console.warn, error: console.error }
const workers = await startWorkers({ log: quiet, jobs })

const org = await makeOrg(db, 'school', 'École du banc d’essai')
const cls = await makeClass(db, org.id)
const child = await makeChild(db, { orgId: org.id, classId: cls.id })
await makeAdult(db, { orgId: org.id, role: 'dpo' })
await makeAdult(db, { orgId: org.id, role: 'admin' })
const origin = { ip: '127.0.0.1', userAgent: 'bench' }

/** What the in-app route does: the request counts, then the forward job is enqueued. */
async function receive(i: number) {
  const r = await createReceivedRequest(db, {
    orgId: org.id,
    kind: 'access',
    channel: 'in_app',
    subjectId: child.id,
    subjectName: null,
    requesterEmail: `bench-${i}@example.org`,
    requesterName: 'Bench',
    relation: 'guardian',
    message: null,
    lang: 'fr',
    receivedAt: new Date(),
    actorId: child.id,
    origin,
  })
  await enqueueDsrForward(r.id, quiet)
  return r.id
}

async function lags(ids: string[]) {
  const deadline = Date.now() + 10 * 60_000
  for (;;) {
    const rows = await db.select({ receivedAt: rightsRequests.receivedAt, forwardedAt: rightsRequests.forwardedAt }).from(rightsRequests).where(inArray(rightsRequests.id, ids))
    if (rows.every((r) => r.forwardedAt)) return rows.map((r) => r.forwardedAt!.getTime() - r.receivedAt!.getTime()).sort((a, b) => a - b)
    if (Date.now() > deadline) throw new Error(`${rows.filter((r) => !r.forwardedAt).length} requests still unforwarded after 10 minutes`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!
const line = (name: string, xs: number[]) => `| ${name} | ${xs.length} | ${pct(xs, 50)} | ${pct(xs, 95)} | ${pct(xs, 99)} | ${xs[xs.length - 1]} |`

// Warm-up (first queue connections, first mail): not measured.
await lags([await receive(-1)])

const steady: string[] = []
for (let i = 0; i < N; i++) {
  steady.push(await receive(i))
  await new Promise((r) => setTimeout(r, 100))
}
const steadyLags = await lags(steady)
const burst = await Promise.all(Array.from({ length: N }, (_, i) => receive(N + i)))
const burstLags = await lags(burst)

console.log(
  `Rights-request forwarding lag (received_at → forwarded_at), workers running in-process, queues on ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'}, ${os.cpus().length} CPU(s), node ${process.version}`,
)
console.log('| arrival | requests | p50 ms | p95 ms | p99 ms | max ms |')
console.log('|---|---|---|---|---|---|')
console.log(line('steady, 10/s', steadyLags))
console.log(line(`burst, ${N} at once`, burstLags))

await workers.stop()
await closeQueues()
await booted.stop()
fs.rmSync(tmp, { recursive: true, force: true })
process.exit(0)

// Forwarding of rights requests under a burst, with a slow SMTP server (issue 12 §11): 2,000
// requests received at once (as the platform, the processor, receives them), the workers running
// as in `npm start`, against a local smtp-server that answers each command after 10 ms. Measures
// per request the lag from receipt (received_at) to forwarded (forwarded_at: the school's DPO and
// admins notified in the app, their emails and the requester's receipt committed to the outbox),
// and to the receipt actually accepted by the SMTP server (outbox sent_at). Target: p99 to
// forwarded ≤ 60 s (DPA §10.1 allows 48 hours).
// Baseline, interleaved with each round: the same number of mails (3 per request) sent straight to
// the same SMTP server through the same transport (pooled, MAIL_SMTP_CONNECTIONS connections) —
// what delivery alone costs, with no database and no queue.
// Run: npx tsx bench/dsr-forwarding.ts   (BENCH_N=2000 BENCH_ROUNDS=3 BENCH_SMTP_DELAY_MS=10;
// embedded PostgreSQL in a temp DATA_DIR unless DATABASE_URL is set; BullMQ on PostgreSQL unless
// REDIS_URL is set)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inArray } from 'drizzle-orm'
import { outboxMails, rightsRequests } from '../drizzle/schema'

const N = Number(process.env.BENCH_N ?? 2000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DELAY = Number(process.env.BENCH_SMTP_DELAY_MS ?? 10)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-dsr-'))
fs.chmodSync(tmp, 0o755)
process.env.DATA_DIR = tmp
process.env.CARNET_QUEUE_PREFIX = `carnet-bench-${process.pid}`

const { startSmtp } = await import('../tests/helpers/smtp')
const smtp = await startSmtp({ commandDelayMs: DELAY })
process.env.SMTP_URL = smtp.url

const { boot } = await import('../server/boot')
const { getDb } = await import('../app/db.server')
const { startWorkers } = await import('../workers/runtime.server')
const { jobs } = await import('../workers/registry.server')
const { closeQueues } = await import('../app/queue/job.server')
const { asDelivery, smtpSend } = await import('../app/mail/smtp.server')
const { config } = await import('../app/config.server')
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

/** What the in-app and operator routes do: the request counts, then the forward job is enqueued. */
async function receive(tag: string) {
  const r = await createReceivedRequest(db, {
    orgId: org.id,
    kind: 'access',
    channel: 'in_app',
    subjectId: child.id,
    subjectName: null,
    requesterEmail: `${tag}@example.org`,
    requesterName: 'Bench',
    relation: 'guardian',
    message: null,
    lang: 'fr',
    receivedAt: new Date(),
    actorId: child.id,
    origin,
  })
  await enqueueDsrForward(r.id, quiet)
  return r
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitFor<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 20 * 60_000
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`${what}: not done after 20 minutes`)
    await sleep(250)
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}

type Round = { forwardedP50: number; forwardedP99: number; forwardedMax: number; deliveredP99: number; drainS: number; baselineS: number; load: string }

async function outboxRound(r: number) {
  const t0 = Date.now()
  const reqs = await Promise.all(Array.from({ length: N }, (_, i) => receive(`bench-${r}-${i}`)))
  const ids = reqs.map((x) => x.id)
  const forwarded = await waitFor('forwarding', async () => {
    const rows = await db.select({ receivedAt: rightsRequests.receivedAt, forwardedAt: rightsRequests.forwardedAt }).from(rightsRequests).where(inArray(rightsRequests.id, ids))
    return rows.every((x) => x.forwardedAt) ? rows.map((x) => x.forwardedAt!.getTime() - x.receivedAt!.getTime()) : null
  })
  const emails = reqs.map((x) => x.requesterEmail)
  const received = new Map(reqs.map((x) => [x.requesterEmail, x.receivedAt!.getTime()]))
  const delivered = await waitFor('receipts delivered', async () => {
    const rows = await db.select({ to: outboxMails.to, status: outboxMails.status, sentAt: outboxMails.sentAt }).from(outboxMails).where(inArray(outboxMails.to, emails))
    return rows.length === N && rows.every((x) => x.status === 'sent') ? rows.map((x) => x.sentAt!.getTime() - received.get(x.to)!) : null
  })
  // Every mail of the round out (the DPO's and the admin's too) before the baseline starts.
  await waitFor('outbox drained', async () => {
    const rows = await db
      .select({ id: outboxMails.id })
      .from(outboxMails)
      .where(inArray(outboxMails.status, ['pending', 'sending']))
      .limit(1)
    return rows.length === 0 ? true : null
  })
  return { forwarded, delivered, drainS: (Date.now() - t0) / 1000 }
}

async function baselineRound(r: number) {
  const t0 = Date.now()
  await asDelivery(() =>
    Promise.all(
      Array.from({ length: 3 * N }, (_, i) =>
        smtpSend(smtp.url, {
          from: config.mailFrom,
          to: `baseline-${r}-${i}@example.org`,
          subject: `Demande DSR-BASE-${i}`,
          text: 'Une demande de droits à traiter.',
          messageId: `<base-${r}-${i}@bench>`,
        }),
      ),
    ),
  )
  return (Date.now() - t0) / 1000
}

// Warm-up (first queue connections, first SMTP connections): not measured.
await receive('warmup').then((x) =>
  waitFor('warm-up', async () =>
    (
      await db
        .select()
        .from(rightsRequests)
        .where(inArray(rightsRequests.id, [x.id]))
    )[0]!.forwardedAt
      ? true
      : null,
  ),
)

const rounds: Round[] = []
for (let r = 1; r <= ROUNDS; r++) {
  const before = os.loadavg()[0]!.toFixed(1)
  const o = await outboxRound(r)
  const baselineS = await baselineRound(r)
  const after = os.loadavg()[0]!.toFixed(1)
  const round = {
    forwardedP50: pct(o.forwarded, 50),
    forwardedP99: pct(o.forwarded, 99),
    forwardedMax: pct(o.forwarded, 100),
    deliveredP99: pct(o.delivered, 99),
    drainS: o.drainS,
    baselineS,
    load: `${before} → ${after}`,
  }
  rounds.push(round)
  console.log(`round ${r}: ${JSON.stringify(round)}`)
}

const med = (xs: number[]) => pct(xs, 50)
const range = (xs: number[]) => `${Math.min(...xs)}–${Math.max(...xs)}`
const s = (ms: number) => (ms / 1000).toFixed(1)
const col = (k: keyof Omit<Round, 'load'>) => rounds.map((x) => x[k] as number)
console.log(
  `\nRights-request forwarding, burst of ${N} received at once, ${ROUNDS} interleaved rounds, SMTP answering each command after ${DELAY} ms; workers in-process, queues on ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'}; ${os.cpus().length} CPU(s), node ${process.version}; 1-min load per round: ${rounds.map((x) => x.load).join(', ')}`,
)
console.log('| measure | median | range |')
console.log('|---|---|---|')
console.log(`| receipt → forwarded, p50 | ${s(med(col('forwardedP50')))} s | ${range(col('forwardedP50').map((x) => +s(x)))} s |`)
console.log(`| receipt → forwarded, **p99** (target ≤ 60 s) | **${s(med(col('forwardedP99')))} s** | ${range(col('forwardedP99').map((x) => +s(x)))} s |`)
console.log(`| receipt → forwarded, max | ${s(med(col('forwardedMax')))} s | ${range(col('forwardedMax').map((x) => +s(x)))} s |`)
console.log(`| receipt → requester's receipt accepted by SMTP, p99 | ${s(med(col('deliveredP99')))} s | ${range(col('deliveredP99').map((x) => +s(x)))} s |`)
console.log(`| burst start → all ${3 * N} mails sent (outbox) | ${med(col('drainS')).toFixed(1)} s | ${range(col('drainS').map((x) => +x.toFixed(1)))} s |`)
console.log(`| baseline: the same ${3 * N} mails straight to SMTP, same transport | ${med(col('baselineS')).toFixed(1)} s | ${range(col('baselineS').map((x) => +x.toFixed(1)))} s |`)

await workers.stop()
await closeQueues()
await booted.stop()
await smtp.stop()
fs.rmSync(tmp, { recursive: true, force: true })
process.exit(0)

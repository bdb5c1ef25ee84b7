// Typed jobs, in two halves so the app never imports a worker:
//   - the definition (name, zod payload, queue config, repeat) lives next to the use case in
//     app/, with the typed `enqueueX(...)` helper that is the only way the app starts it;
//   - the processor is bound to the definition in workers/jobs/<job>.server.ts
//     (`bindJob(definition, process)`), and workers/registry.server.ts lists the bound jobs.
//   A job only its scheduler starts (a sweep: `repeat`, never enqueued by the app) is defined
//   and bound in its workers/jobs file: nothing in app/ needs its definition.
// A job is enqueued only through such a helper (which calls `enqueue(definition, payload)`),
// never with a bare `queue.add(name, data)`.
//
// Every processor MUST be idempotent (safe to run twice, or concurrently in two worker
// processes): BullMQ delivers at least once (a stalled job is retried, a scheduler may fire
// again on restart), and `carnet sweep` runs the same processors outside BullMQ. Write
// processors as "bring the database to the desired state" (delete where due, upsert, skip
// what is already done), never "do X once more".
import { UnrecoverableError, type JobsOptions } from 'bullmq'
import type { z } from 'zod'
import { getDb, reportDatabaseError, type Db } from '~/db.server'
import { createQueue, type CarnetQueue } from './connection.server'

export type JobLog = Pick<Console, 'info' | 'warn' | 'error'>

export type JobContext = {
  db: Db
  log: JobLog
  /** BullMQ job id; undefined when run in-process by `carnet sweep`. */
  jobId: string | undefined
  /** 1 on the first try. */
  attempt: number
}

export type QueueConfig = Required<Pick<JobsOptions, 'attempts'>> & Pick<JobsOptions, 'backoff' | 'removeOnComplete' | 'removeOnFail'>

export type JobDefinition<S extends z.ZodType = z.ZodType> = Readonly<{
  /** Also the queue name: one queue per job keeps retries and metrics per job. */
  name: string
  payload: S
  queue: QueueConfig
  /** Repeatable: a scheduler adds the job every `every` ms with `payload` (default {}). */
  repeat?: { every: number; payload?: z.input<S> }
  /** Jobs of this kind one worker process runs at once (default 1). */
  concurrency?: number
}>

export type JobProcessor<S extends z.ZodType, R> = (payload: z.output<S>, ctx: JobContext) => Promise<R>

/** A definition with its processor: what the worker runtime and `carnet sweep` run. */
export type BoundJob<S extends z.ZodType = z.ZodType, R = unknown> = JobDefinition<S> & Readonly<{ process: JobProcessor<S, R> }>

// `any` here only so heterogeneous jobs fit in one registry list.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJob = BoundJob<any, any>

/** The definition half: safe to import anywhere in app/ (no processor, no worker code). */
export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  // Queue names end up in Redis keys and PostgreSQL rows: keep them plain.
  if (!/^[a-z][a-z0-9-]*$/.test(def.name)) throw new Error(`Job name must be kebab-case: ${def.name}`)
  if (def.repeat && !(def.repeat.every > 0)) throw new Error(`${def.name}: repeat.every must be > 0`)
  return Object.freeze({ ...def })
}

/** The processor half, bound in workers/jobs/<job>.server.ts. */
export function bindJob<S extends z.ZodType, R>(def: JobDefinition<S>, process: JobProcessor<S, R>): BoundJob<S, R> {
  return Object.freeze({ ...def, process })
}

/** Validates as the worker will; a bad payload is a bug, so it is never retried. */
export function parsePayload<S extends z.ZodType>(job: JobDefinition<S>, data: unknown): z.output<S> {
  const parsed = job.payload.safeParse(data)
  if (parsed.success) return parsed.data
  // Paths and messages only: payload values may be personal data.
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
  throw new UnrecoverableError(`${job.name}: invalid payload: ${issues}`)
}

/** Runs a job's processor on raw data (used by the BullMQ worker and by `carnet sweep`). */
export function runJob<S extends z.ZodType, R>(job: BoundJob<S, R>, data: unknown, ctx: Omit<JobContext, 'db'> & { db?: Db }): Promise<R> {
  const payload = parsePayload(job, data)
  return job.process(payload, { ...ctx, db: ctx.db ?? getDb() })
}

// Producers are cached per process: opening a queue per enqueue would cost a connection each.
const producers = new Map<string, CarnetQueue>()

function producer(name: string): CarnetQueue {
  let q = producers.get(name)
  if (!q) {
    q = createQueue(name)
    // Connection errors surface on the next add(); an unlistened 'error' event would crash.
    // The database being away is said once for the whole process (app/db.server.ts).
    q.on('error', (err) => reportDatabaseError(err) || console.warn(`[jobs] queue ${name}: ${err.message}`))
    producers.set(name, q)
  }
  return q
}

export type EnqueueOptions = {
  /** Same jobId twice → one job: the way to make an enqueue itself idempotent. */
  jobId?: string
  delay?: number
}

/** Validates the payload (throws the ZodError to the caller) and adds the job. Returns its id. */
export async function enqueue<S extends z.ZodType>(job: JobDefinition<S>, payload: z.input<S>, opts: EnqueueOptions = {}): Promise<string> {
  const data = job.payload.parse(payload)
  try {
    const added = await producer(job.name).add(job.name, data, { ...job.queue, ...opts })
    return added.id!
  } catch (e) {
    // A queue that could not reach its backend once keeps that failure (BullMQ remembers its
    // readiness): forget it, so the first enqueue after the outage opens a fresh one.
    if (reportDatabaseError(e)) forgetProducer(job.name)
    throw e
  }
}

/** How long an enqueue whose work a sweep also finds may hold its caller (a page, a job). */
const BEST_EFFORT_WAIT = 3_000

/**
 * For work that a periodic sweep also finds (a forward, an erasure, a mail delivery): adds the
 * job, but never throws for the queue and never waits more than a few seconds — a queue backend
 * that is away or saturated (Redis retrying forever, PostgreSQL pool exhausted) must not hold a
 * request or a transaction's after-commit work. A payload that does not validate still throws:
 * that is a bug, not an outage. Returns whether the job was added; `warn` says why not.
 */
export async function enqueueBestEffort<S extends z.ZodType>(
  job: JobDefinition<S>,
  payload: z.input<S>,
  opts: EnqueueOptions,
  warn: (reason: string) => void,
  waitMs = BEST_EFFORT_WAIT,
): Promise<boolean> {
  job.payload.parse(payload)
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      enqueue(job, payload, opts),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from the queue in ${waitMs} ms`)), waitMs)
        timer.unref()
      }),
    ])
    return true
  } catch (e) {
    warn(e instanceof Error ? e.message : String(e))
    return false
  } finally {
    clearTimeout(timer)
  }
}

function forgetProducer(name: string) {
  const q = producers.get(name)
  producers.delete(name)
  q?.close().catch(() => {})
}

let healthQueue: CarnetQueue | null = null

/**
 * Whether the queue backend answers (PostgreSQL's `bullmq` schema, or Redis): a read of an empty
 * queue's counts, nothing written. For /health; the caller bounds the wait.
 */
export async function checkQueueBackend(): Promise<void> {
  if (!healthQueue) {
    healthQueue = createQueue('carnet-health', { skipMetasUpdate: true })
    healthQueue.on('error', () => {})
  }
  const q = healthQueue
  try {
    await q.getJobCounts('waiting')
  } catch (e) {
    if (healthQueue === q) healthQueue = null
    q.close().catch(() => {})
    throw e
  }
}

/** Closes the cached producer queues (on shutdown). Safe to call more than once. */
export async function closeQueues() {
  const all = [...producers.values(), ...(healthQueue ? [healthQueue] : [])]
  producers.clear()
  healthQueue = null
  await Promise.all(all.map((q) => q.close()))
}

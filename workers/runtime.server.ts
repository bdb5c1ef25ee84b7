// Starts the BullMQ side of the process (`npm start`, `npm run workers`) and the in-process
// sweep behind `carnet sweep`.
import { errorCode, isDatabaseUnavailable, reportDatabaseError, watchDatabaseAvailability } from '../app/db.server'
import { createQueue, createWorker, type CarnetQueue, type CarnetWorker } from '../app/queue/connection.server'
import { closeQueues, runJob, type AnyJob, type JobLog } from '../app/queue/job.server'
import { closeMailTransport } from '../app/mail/delivery.server'
import { jobs as registry } from './registry.server'

export type WorkersHandle = { stop(): Promise<void> }

export async function startWorkers({ log = console, jobs = registry }: { log?: JobLog; jobs?: readonly AnyJob[] } = {}): Promise<WorkersHandle> {
  const workers: CarnetWorker[] = []
  const queues: CarnetQueue[] = []
  // While the database is away the workers stop fetching (jobs in hand fail and are retried by
  // the queue once it is back) and start again when it answers: no spinning, no restart (ADR 017).
  // With Redis the queue may still answer, but the jobs need the database all the same.
  const unwatch = watchDatabaseAvailability((a) => {
    for (const w of workers) {
      if (a.up) w.resume().catch((e: unknown) => reportDatabaseError(e) || log.error(`[jobs] ${w.name}: resume failed: ${String(e)}`))
      else w.pause(true).catch(() => {})
    }
    log.info(a.up ? '[jobs] workers resumed' : '[jobs] workers paused until the database answers')
  })
  const stop = async () => {
    unwatch()
    // Workers first: close() waits for the jobs in hand, so nothing is cut mid-transaction.
    await Promise.all(workers.splice(0).map((w) => w.close()))
    await Promise.all(queues.splice(0).map((q) => q.close()))
    await closeQueues()
    closeMailTransport()
  }
  try {
    for (const job of jobs) {
      const worker = createWorker(
        job.name,
        async (j) => {
          try {
            return await runJob(job, j.data, { log, jobId: j.id, attempt: j.attemptsMade + 1 })
          } catch (e) {
            reportDatabaseError(e)
            throw e
          }
        },
        { concurrency: job.concurrency ?? 1 },
      )
      // Without an 'error' listener an EventEmitter error would crash the process. The database
      // being away is said once for the process, not once per worker and retry.
      worker.on('error', (err) => reportDatabaseError(err) || log.error(`[jobs] ${job.name}: ${err.message}`))
      // A query's text and values are not for the log when all that happened is the database left.
      worker.on('failed', (j, err) => log.warn(`[jobs] ${job.name}#${j?.id} failed: ${isDatabaseUnavailable(err) ? `database unreachable (${errorCode(err)})` : err.message}`))
      workers.push(worker)
      await worker.waitUntilReady()
      if (job.repeat) {
        const queue = createQueue(job.name)
        queue.on('error', (err) => reportDatabaseError(err) || log.error(`[jobs] queue ${job.name}: ${err.message}`))
        queues.push(queue)
        // Upsert, keyed by the job name: restarting (or N processes starting) keeps one scheduler.
        await queue.upsertJobScheduler(job.name, { every: job.repeat.every }, { name: job.name, data: job.payload.parse(job.repeat.payload ?? {}), opts: job.queue })
      }
    }
  } catch (err) {
    await stop()
    throw err
  }
  log.info(`[jobs] ${workers.length} worker(s) started`)
  return { stop }
}

export type SweepResult = { job: string; ok: true; result: unknown; ms: number } | { job: string; ok: false; error: string; ms: number }

/** `carnet sweep`: every repeatable job once, in this process, no queue backend needed. */
export async function runDueJobsOnce({ log = console, jobs = registry }: { log?: JobLog; jobs?: readonly AnyJob[] } = {}): Promise<SweepResult[]> {
  const out: SweepResult[] = []
  for (const job of jobs) {
    if (!job.repeat) continue
    const t0 = Date.now()
    try {
      const result = await runJob(job, job.repeat.payload ?? {}, { log, jobId: undefined, attempt: 1 })
      out.push({ job: job.name, ok: true, result, ms: Date.now() - t0 })
    } catch (err) {
      // One failing job must not stop the others; the caller decides the exit code.
      out.push({ job: job.name, ok: false, error: err instanceof Error ? err.message : String(err), ms: Date.now() - t0 })
    }
  }
  return out
}

// Starts the BullMQ side of the process (`npm start`, `npm run workers`) and the in-process
// sweep behind `carnet sweep`.
import { createQueue, createWorker, type CarnetQueue, type CarnetWorker } from '../app/queue/connection.server'
import { closeQueues, runJob, type AnyJob, type JobLog } from '../app/queue/job.server'
import { jobs as registry } from './registry.server'

export type WorkersHandle = { stop(): Promise<void> }

export async function startWorkers({ log = console, jobs = registry }: { log?: JobLog; jobs?: readonly AnyJob[] } = {}): Promise<WorkersHandle> {
  const workers: CarnetWorker[] = []
  const queues: CarnetQueue[] = []
  const stop = async () => {
    // Workers first: close() waits for the jobs in hand, so nothing is cut mid-transaction.
    await Promise.all(workers.splice(0).map((w) => w.close()))
    await Promise.all(queues.splice(0).map((q) => q.close()))
    await closeQueues()
  }
  try {
    for (const job of jobs) {
      const worker = createWorker(job.name, (j) => runJob(job, j.data, { log, jobId: j.id, attempt: j.attemptsMade + 1 }))
      // Without an 'error' listener an EventEmitter error would crash the process.
      worker.on('error', (err) => log.error(`[jobs] ${job.name}: ${err.message}`))
      worker.on('failed', (j, err) => log.warn(`[jobs] ${job.name}#${j?.id} failed: ${err.message}`))
      workers.push(worker)
      await worker.waitUntilReady()
      if (job.repeat) {
        const queue = createQueue(job.name)
        queue.on('error', (err) => log.error(`[jobs] queue ${job.name}: ${err.message}`))
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

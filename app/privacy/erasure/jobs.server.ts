// The erasure job's definition and the only way the app starts it. One job per deletion
// request, delayed by the organization's grace period (none by default), so the lag from
// request to erased is seconds; the per-minute erasure sweep (workers/jobs/erasure.server.ts)
// erases whatever a job missed. The processor is bound in workers/jobs/erasure.server.ts.
import { z } from 'zod'
import { HOUR, now } from '../../clock.server'
import { defineJob, enqueueBestEffort } from '../../queue/job.server'
import { VACUUM_WINDOW } from './vacuum.server'

export const erasureRunDefinition = defineJob({
  name: 'erasure-run',
  payload: z.object({ requestId: z.uuid() }).strict(),
  queue: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 500 }, removeOnFail: { age: 30 * 24 * 3600 } },
})

/** Never throws: when the queue is unreachable the per-minute sweep erases the request anyway. */
export async function enqueueErasure(r: { id: string; eraseAfter: Date }, log: Pick<Console, 'warn'> = console) {
  // jobId = the request: asking twice (or the sweep racing the job) is one job.
  await enqueueBestEffort(erasureRunDefinition, { requestId: r.id }, { jobId: `erasure-${r.id}`, delay: Math.max(0, r.eraseAfter.getTime() - now().getTime()) }, (why) =>
    log.warn(`[erasure] enqueue ${r.id} failed (the sweep will erase it): ${why}`),
  )
}

/**
 * VACUUM (ANALYZE) of the tables erasures changed (vacuum.server.ts). Enqueued after an erasure
 * batch for the end of its window — one job per window, whatever the number of erasures — and
 * repeated hourly, so a lost enqueue still leaves nothing waiting overnight.
 */
export const erasureVacuumDefinition = defineJob({
  name: 'erasure-vacuum',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: HOUR },
})

/** Never throws: the hourly run vacuums whatever a lost enqueue left waiting. */
export async function enqueueErasureVacuum(log: Pick<Console, 'warn'> = console) {
  const t = now().getTime()
  const end = (Math.floor(t / VACUUM_WINDOW) + 1) * VACUUM_WINDOW
  // jobId = the window: every erasure batch of the window shares this one job.
  await enqueueBestEffort(erasureVacuumDefinition, {}, { jobId: `erasure-vacuum-${end}`, delay: end - t }, (why) => log.warn(`[erasure] enqueue vacuum failed (the hourly run will vacuum): ${why}`))
}

// The erasure job's definition and the only way the app starts it. One job per deletion
// request, delayed by the organization's grace period (none by default), so the lag from
// request to erased is seconds; the per-minute erasure sweep (workers/jobs/erasure.server.ts)
// erases whatever a job missed. The processor is bound in workers/jobs/erasure.server.ts.
import { z } from 'zod'
import { now } from '../../clock.server'
import { defineJob, enqueue } from '../../queue/job.server'

export const erasureRunDefinition = defineJob({
  name: 'erasure-run',
  payload: z.object({ requestId: z.uuid() }).strict(),
  queue: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 500 }, removeOnFail: { age: 30 * 24 * 3600 } },
})

/** Never throws: when the queue is unreachable the per-minute sweep erases the request anyway. */
export async function enqueueErasure(r: { id: string; eraseAfter: Date }, log: Pick<Console, 'warn'> = console) {
  try {
    // jobId = the request: asking twice (or the sweep racing the job) is one job.
    await enqueue(erasureRunDefinition, { requestId: r.id }, { jobId: `erasure-${r.id}`, delay: Math.max(0, r.eraseAfter.getTime() - now().getTime()) })
  } catch (e) {
    log.warn(`[erasure] enqueue ${r.id} failed (the sweep will erase it): ${e instanceof Error ? e.message : e}`)
  }
}

// Erasure: one job per deletion request, enqueued when it is made (delayed by the
// organization's grace period, none by default) so the lag from request to erased is
// seconds; and a per-minute sweep that takes over erasure rights requests, flags requests
// past their 24 hours, and erases everything due that the jobs missed (after a restart, a
// queue outage). runDeletion() locks the request and skips what is done: safe to run twice.
import { z } from 'zod'
import { MINUTE, now } from '~/clock.server'
import { runDeletion, sweepErasures } from '~/privacy/erasure/run.server'
import { defineJob, enqueue } from '../../app/queue/job.server'

export const erasureRunJob = defineJob({
  name: 'erasure-run',
  payload: z.object({ requestId: z.uuid() }).strict(),
  queue: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 500 }, removeOnFail: { age: 30 * 24 * 3600 } },
  async process({ requestId }, { db }) {
    const out = await runDeletion(db, requestId)
    return out.status === 'erased' ? { status: out.status, late: out.late } : out
  },
})

export const erasureSweepJob = defineJob({
  name: 'erasure-sweep',
  payload: z.object({}).strict(),
  queue: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: MINUTE },
  async process(_payload, { db, log }) {
    return sweepErasures(db, log)
  },
})

/** Never throws: when the queue is unreachable the per-minute sweep erases the request anyway. */
export async function enqueueErasure(r: { id: string; eraseAfter: Date }, log: Pick<Console, 'warn'> = console) {
  try {
    await enqueue(erasureRunJob, { requestId: r.id }, { jobId: `erasure-${r.id}`, delay: Math.max(0, r.eraseAfter.getTime() - now().getTime()) })
  } catch (e) {
    log.warn(`[erasure] enqueue ${r.id} failed (the sweep will erase it): ${e instanceof Error ? e.message : e}`)
  }
}

// The forwarding job's definition and the only way the app asks for a forward: one job per
// rights request, as soon as it counts (jobId = the request, so a double enqueue is one job).
// The processor is bound in workers/jobs/dsr-forward.server.ts; the per-minute dsr-sweep
// forwards anything a job missed.
import { z } from 'zod'
import { defineJob, enqueueBestEffort } from '../../queue/job.server'

export const dsrForwardDefinition = defineJob({
  name: 'dsr-forward',
  payload: z.object({ requestId: z.uuid() }).strict(),
  queue: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 500 }, removeOnFail: { age: 30 * 24 * 3600 } },
  // Each forward locks only its own request and no longer waits on SMTP (its mails go to the
  // outbox): a burst is forwarded several at a time.
  concurrency: 4,
})

/** Never throws: if the queue is unreachable the per-minute sweep (dsr-sweep) forwards the request anyway. */
export async function enqueueDsrForward(requestId: string, log: Pick<Console, 'warn'> = console) {
  await enqueueBestEffort(dsrForwardDefinition, { requestId }, { jobId: `dsr-forward-${requestId}` }, (why) =>
    log.warn(`[dsr] enqueue forward ${requestId} failed (the sweep will forward it): ${why}`),
  )
}

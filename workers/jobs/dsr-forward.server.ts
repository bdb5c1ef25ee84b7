// Forwards one rights request to the school's DPO and admins (in-app + email, receipt to the
// requester) as soon as it counts. Enqueued with jobId = the request id, so a double enqueue
// is one job; forwardRequest() locks the row and forwards once, so a retry is harmless.
import { z } from 'zod'
import { forwardRequest } from '~/privacy/rights-requests/forwarding.server'
import { defineJob, enqueue } from '../../app/queue/job.server'

export const dsrForwardJob = defineJob({
  name: 'dsr-forward',
  payload: z.object({ requestId: z.uuid() }).strict(),
  queue: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 500 }, removeOnFail: { age: 30 * 24 * 3600 } },
  async process({ requestId }, { db }) {
    return forwardRequest(db, requestId)
  },
})

/**
 * The only way the app asks for a forward. Never throws: if the queue is unreachable the
 * per-minute sweep (dsr-sweep) forwards the request anyway.
 */
export async function enqueueDsrForward(requestId: string, log: Pick<Console, 'warn'> = console) {
  try {
    await enqueue(dsrForwardJob, { requestId }, { jobId: `dsr-forward-${requestId}` })
  } catch (e) {
    log.warn(`[dsr] enqueue forward ${requestId} failed (the sweep will forward it): ${e instanceof Error ? e.message : e}`)
  }
}

// Forwards rights requests to the school's DPO and admins (in-app + email, receipt to the
// requester) as soon as they count; defined and enqueued in app/privacy/rights-requests/jobs.server.ts.
// One job per request, but a job forwards every received request it finds, a batch per
// transaction (SKIP LOCKED), so a burst is forwarded by the first jobs and the rest find theirs
// done. Then its own request: forwardRequest() locks the row and forwards once, so a retry is
// harmless, and it throws when its request cannot be forwarded, so the job is retried.
import { dsrForwardDefinition } from '~/privacy/rights-requests/jobs.server'
import { forwardReceived, forwardRequest } from '~/privacy/rights-requests/forwarding.server'
import { bindJob } from '../../app/queue/job.server'

export const dsrForwardJob = bindJob(dsrForwardDefinition, async ({ requestId }, { db, log }) => {
  await forwardReceived(db, { log })
  return forwardRequest(db, requestId)
})

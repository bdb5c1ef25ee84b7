// Forwards one rights request to the school's DPO and admins (in-app + email, receipt to the
// requester) as soon as it counts; defined and enqueued in app/privacy/rights-requests/jobs.server.ts.
// forwardRequest() locks the row and forwards once, so a retry is harmless.
import { dsrForwardDefinition } from '~/privacy/rights-requests/jobs.server'
import { forwardRequest } from '~/privacy/rights-requests/forwarding.server'
import { bindJob } from '../../app/queue/job.server'

export const dsrForwardJob = bindJob(dsrForwardDefinition, async ({ requestId }, { db }) => {
  return forwardRequest(db, requestId)
})

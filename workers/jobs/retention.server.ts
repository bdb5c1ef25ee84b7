// Retention after contract end (GTCS §21.2): every hour, the organizations whose subscription
// ended get their notices 30 and 7 days before the end of the 2-year retention period, then
// their deletion request (carried out by the erasure jobs). Idempotent: a notice is sent once
// per organization, kind and date; an open deletion request is not duplicated.
import { z } from 'zod'
import { HOUR } from '~/clock.server'
import { sweepRetention } from '~/privacy/retention/contract-end.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const retentionDefinition = defineJob({
  name: 'retention-sweep',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 30 * 24 * 3600 } },
  repeat: { every: HOUR },
})

export const retentionJob = bindJob(retentionDefinition, async (_payload, { db }) => {
  const out = await sweepRetention(db)
  return { inRetention: out.inRetention, notices: out.notices, deletionsRequested: out.deletionsRequested }
})

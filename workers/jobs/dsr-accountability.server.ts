// Every day: closed rights requests kept past the accountability period (5 years by default,
// CARNET_RIGHTS_REQUEST_RETENTION_YEARS) are deleted with their events (ADR 020). Idempotent.
import { z } from 'zod'
import { DAY } from '~/clock.server'
import { purgeClosedRequests } from '~/privacy/rights-requests/accountability.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const dsrAccountabilityDefinition = defineJob({
  name: 'dsr-accountability-purge',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 20 }, removeOnFail: { age: 30 * 24 * 3600 } },
  repeat: { every: DAY },
})

export const dsrAccountabilityJob = bindJob(dsrAccountabilityDefinition, async (_payload, { db }) => purgeClosedRequests(db))

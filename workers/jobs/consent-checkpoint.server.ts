// Signs each organization's consent-log chain head once a day (DESIGN §3.5). Runs hourly so a
// restart or a missed slot is caught up within the hour; an organization already signed today
// or whose head has not moved is skipped, so running it twice writes nothing more.
import { z } from 'zod'
import { HOUR } from '~/clock.server'
import { writeDailyCheckpoints } from '~/compliance/checkpoints.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const consentCheckpointDefinition = defineJob({
  name: 'consent-checkpoint',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: HOUR },
})

export const consentCheckpointJob = bindJob(consentCheckpointDefinition, async (_payload, { db }) => {
  return writeDailyCheckpoints(db)
})

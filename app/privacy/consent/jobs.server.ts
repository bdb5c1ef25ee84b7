// The weekly checkpoint mail's definition (ADR 015). Runs hourly: the first run of each ISO week
// mails every organization, and a run missed by a restart is caught up within the hour; the
// (organization, week) claim makes every later run that week a no-op. The processor is bound
// in workers/jobs/checkpoint-mail.server.ts.
import { z } from 'zod'
import { HOUR } from '../../clock.server'
import { defineJob } from '../../queue/job.server'

export const checkpointMailDefinition = defineJob({
  name: 'checkpoint-mail',
  payload: z.object({}).strict(),
  queue: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 30 * 24 * 3600 } },
  repeat: { every: HOUR },
})

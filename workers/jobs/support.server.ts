// Support grants end on their own (the policy reads expires_at on every request); this
// per-minute job only writes each grant's end to the audit log, once.
import { z } from 'zod'
import { MINUTE } from '~/clock.server'
import { logEndedGrants } from '~/privacy/support-access/grants.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const supportGrantsDefinition = defineJob({
  name: 'support-grants',
  payload: z.object({}).strict(),
  queue: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: MINUTE },
})

export const supportGrantsJob = bindJob(supportGrantsDefinition, async (_payload, { db }) => {
  return logEndedGrants(db)
})

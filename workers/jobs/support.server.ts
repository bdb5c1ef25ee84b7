// Support grants end on their own (the policy reads expires_at on every request); this
// per-minute job only writes each grant's end to the audit log, once.
import { z } from 'zod'
import { MINUTE } from '~/clock.server'
import { logEndedGrants } from '~/privacy/support-access/grants.server'
import { defineJob } from '../../app/queue/job.server'

export const supportGrantsJob = defineJob({
  name: 'support-grants',
  payload: z.object({}).strict(),
  queue: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: MINUTE },
  async process(_payload, { db }) {
    return logEndedGrants(db)
  },
})

// Hourly: reminds the school's DPO and admins by email (and in the app) of answers nearly due
// (7 days) and overdue (then weekly). Idempotent through the request's reminded_* columns.
import { z } from 'zod'
import { HOUR } from '~/clock.server'
import { sendReminders } from '~/privacy/rights-requests/forwarding.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const dsrRemindersDefinition = defineJob({
  name: 'dsr-reminders',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: HOUR },
})

export const dsrRemindersJob = bindJob(dsrRemindersDefinition, async (_payload, { db }) => {
  return sendReminders(db)
})

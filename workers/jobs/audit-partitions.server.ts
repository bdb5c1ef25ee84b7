// Creates the current month's audit partition and the next three ahead (moving any rows the DEFAULT partition holds for them).
// Idempotent: it brings the log to the state due at now(); a second run finds nothing to do.
// The step audits itself (app/privacy/audit/retention.server.ts).
import { z } from 'zod'
import { HOUR } from '~/clock.server'
import { ensurePartitionsAhead } from '~/privacy/audit/retention.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const auditPartitionsDefinition = defineJob({
  name: 'audit-partitions',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 30 * 24 * 3600 } },
  repeat: { every: 6 * HOUR },
})

export const auditPartitionsJob = bindJob(auditPartitionsDefinition, async (_payload, { db }) => {
  return ensurePartitionsAhead(db)
})

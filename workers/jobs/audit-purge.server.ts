// Deletes archive files older than the archive period (1 year after leaving the online table, by default); the listing keeps when they were purged.
// Idempotent: it brings the log to the state due at now(); a second run finds nothing to do.
// The step audits itself (app/privacy/audit/retention.server.ts).
import { z } from 'zod'
import { HOUR } from '~/clock.server'
import { purgeDueArchives } from '~/privacy/audit/retention.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const auditPurgeDefinition = defineJob({
  name: 'audit-purge',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 30 * 24 * 3600 } },
  repeat: { every: 6 * HOUR },
})

export const auditPurgeJob = bindJob(auditPurgeDefinition, async (_payload, { db }) => {
  return purgeDueArchives(db)
})

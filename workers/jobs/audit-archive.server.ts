// Archives every month older than the online period (6 months by default) to gzip JSON-lines files with their SHA-256, then drops the month's partition.
// Idempotent: it brings the log to the state due at now(); a second run finds nothing to do.
// The step audits itself (app/privacy/audit/retention.server.ts).
import { z } from 'zod'
import { HOUR } from '~/clock.server'
import { archiveDueMonths } from '~/privacy/audit/retention.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const auditArchiveDefinition = defineJob({
  name: 'audit-archive',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 30 * 24 * 3600 } },
  repeat: { every: 6 * HOUR },
})

export const auditArchiveJob = bindJob(auditArchiveDefinition, async (_payload, { db }) => {
  return archiveDueMonths(db)
})

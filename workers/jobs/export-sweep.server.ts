// Hourly: export files past their 7 days are deleted (they hold learning records) and their
// rows marked expired. Idempotent: a second run finds nothing due.
import { z } from 'zod'
import { HOUR } from '~/clock.server'
import { sweepExpiredExports } from '~/exports/learning/files.server'
import { defineJob } from '../../app/queue/job.server'

export const exportSweepJob = defineJob({
  name: 'export-sweep',
  payload: z.object({}).strict(),
  queue: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { count: 50 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  repeat: { every: HOUR },
  async process(_payload, { db }) {
    return sweepExpiredExports(db)
  },
})

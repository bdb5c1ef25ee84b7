// Every 5 minutes: export files past their 7 days are deleted (they hold learning records) and
// their rows marked expired; exports whose job died silently (no heartbeat for the stall limit)
// are marked failed and their partial files deleted. Idempotent: a second run finds nothing due.
import { z } from 'zod'
import { MINUTE } from '~/clock.server'
import { sweepExpiredExports, sweepStalledExports } from '~/exports/learning/files.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const exportSweepDefinition = defineJob({
  name: 'export-sweep',
  payload: z.object({}).strict(),
  queue: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { count: 50 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  repeat: { every: 5 * MINUTE },
})

export const exportSweepJob = bindJob(exportSweepDefinition, async (_payload, { db }) => {
  const stalled = await sweepStalledExports(db)
  const expired = await sweepExpiredExports(db)
  return { ...expired, ...stalled }
})

// The background learning export's definition and the only way the app starts one (a school,
// a big period: beyond the sync limit). The processor is bound in workers/jobs/export-learning.server.ts.
import { z } from 'zod'
import { defineJob, enqueue } from '../../queue/job.server'

export const exportLearningDefinition = defineJob({
  name: 'export-learning',
  payload: z.object({ orgId: z.uuid(), exportId: z.uuid() }).strict(),
  queue: {
    attempts: 2,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
})

/**
 * The only way the app starts a background learning export (jobId = the export: one job each).
 * `restartedAt` (a "try again" on a failed export) gives the run its own job id: the failed job
 * keeps the first one for 7 days.
 */
export function enqueueLearningExport(payload: { orgId: string; exportId: string }, restartedAt?: Date) {
  return enqueue(exportLearningDefinition, payload, { jobId: `export-${payload.exportId}${restartedAt ? `-${restartedAt.getTime()}` : ''}` })
}

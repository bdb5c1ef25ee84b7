// Builds a large learning export (a school, a big period) in the background; the exports page
// shows the progress written on the export_files row and, when done, a 7-day download link.
// Idempotent: a finished export is left as it is (buildExportFile checks the row's status).
// A failure deletes the partial file at once; the last attempt marks the row failed (the page
// then offers "try again"), and the export sweep fails exports whose job died silently.
import { UnrecoverableError } from 'bullmq'
import { z } from 'zod'
import { NotFound } from '~/errors.server'
import { buildExportFile } from '~/exports/learning/files.server'
import { defineJob, enqueue } from '../../app/queue/job.server'

const ATTEMPTS = 2

export const exportLearningJob = defineJob({
  name: 'export-learning',
  payload: z.object({ orgId: z.uuid(), exportId: z.uuid() }).strict(),
  queue: {
    attempts: ATTEMPTS,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  async process({ orgId, exportId }, { db, log, attempt }) {
    try {
      const t0 = Date.now()
      const r = await buildExportFile(db, { orgId, exportId, lastAttempt: attempt >= ATTEMPTS })
      log.info(`[export-learning] ${exportId}: ${r.alreadyDone ? `left ${r.row.status}` : `${r.row.bytes} bytes in ${Date.now() - t0} ms`}`)
      return { status: r.row.status }
    } catch (e) {
      if (e instanceof NotFound) throw new UnrecoverableError(`export-learning: no export ${exportId}`)
      throw e
    }
  },
})

/**
 * The only way the app starts a background learning export. `restartedAt` (a "try again" on a
 * failed export) gives the run its own job id: the failed job keeps the first one for 7 days.
 */
export function enqueueLearningExport(payload: { orgId: string; exportId: string }, restartedAt?: Date) {
  return enqueue(exportLearningJob, payload, { jobId: `export-${payload.exportId}${restartedAt ? `-${restartedAt.getTime()}` : ''}` })
}

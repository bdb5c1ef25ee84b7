// Builds a large learning export (a school, a big period) in the background; the exports page
// shows the progress written on the export_files row and, when done, a 7-day download link.
// Idempotent: a finished export is left as it is (buildExportFile checks the row's status).
import { UnrecoverableError } from 'bullmq'
import { z } from 'zod'
import { NotFound } from '~/errors.server'
import { buildExportFile } from '~/exports/learning/files.server'
import { defineJob, enqueue } from '../../app/queue/job.server'

export const exportLearningJob = defineJob({
  name: 'export-learning',
  payload: z.object({ orgId: z.uuid(), exportId: z.uuid() }).strict(),
  queue: {
    attempts: 2,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  async process({ orgId, exportId }, { db, log }) {
    try {
      const t0 = Date.now()
      const r = await buildExportFile(db, { orgId, exportId })
      log.info(`[export-learning] ${exportId}: ${r.alreadyDone ? 'already done' : `${r.row.bytes} bytes in ${Date.now() - t0} ms`}`)
      return { status: r.row.status }
    } catch (e) {
      if (e instanceof NotFound) throw new UnrecoverableError(`export-learning: no export ${exportId}`)
      throw e
    }
  },
})

/** The only way the app starts a background learning export. */
export function enqueueLearningExport(payload: { orgId: string; exportId: string }) {
  return enqueue(exportLearningJob, payload, { jobId: `export-${payload.exportId}` })
}

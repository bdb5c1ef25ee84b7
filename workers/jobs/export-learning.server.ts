// Builds a large learning export (a school, a big period) in the background; the exports page
// shows the progress written on the export_files row and, when done, a 7-day download link.
// Defined and enqueued in app/exports/learning/jobs.server.ts.
// Idempotent: a finished export is left as it is (buildExportFile checks the row's status).
// A failure deletes the partial file at once; the last attempt marks the row failed (the page
// then offers "try again"), and the export sweep fails exports whose job died silently.
import { UnrecoverableError } from 'bullmq'
import { NotFound } from '~/errors.server'
import { buildExportFile } from '~/exports/learning/files.server'
import { exportLearningDefinition } from '~/exports/learning/jobs.server'
import { bindJob } from '../../app/queue/job.server'

export const exportLearningJob = bindJob(exportLearningDefinition, async ({ orgId, exportId }, { db, log, attempt }) => {
  try {
    const t0 = Date.now()
    const r = await buildExportFile(db, { orgId, exportId, lastAttempt: attempt >= exportLearningDefinition.queue.attempts })
    log.info(`[export-learning] ${exportId}: ${r.alreadyDone ? `left ${r.row.status}` : `${r.row.bytes} bytes in ${Date.now() - t0} ms`}`)
    return { status: r.row.status }
  } catch (e) {
    if (e instanceof NotFound) throw new UnrecoverableError(`export-learning: no export ${exportId}`)
    throw e
  }
})

// Commits a big roster import in the background so the admin's page stays responsive; the
// page polls the progress the commit writes on the roster_imports row. Defined and enqueued in
// app/models/roster-import/jobs.server.ts.
// Idempotent: commitImport reads the import's status under a per-organization lock and
// returns the stored result when it is already done, so a retried or duplicated job does
// not apply the plan twice.
import { UnrecoverableError } from 'bullmq'
import { DomainError, NotFound } from '~/errors.server'
import { commitImport } from '~/models/roster-import/commit.server'
import { getImport } from '~/models/roster-import/imports.server'
import { rosterImportDefinition } from '~/models/roster-import/jobs.server'
import { bindJob } from '../../app/queue/job.server'

export const rosterImportJob = bindJob(rosterImportDefinition, async ({ orgId, importId }, { db, log }) => {
  let row
  try {
    row = await getImport(db, { orgId, importId })
  } catch (e) {
    if (e instanceof NotFound) throw new UnrecoverableError(`roster-import: no import ${importId}`)
    throw e
  }
  const confirm = row.payload?.confirm
  try {
    const result = await commitImport(db, {
      orgId,
      importId,
      actorId: confirm?.actorId ?? null,
      // The request's address is in the roster.import_confirmed audit entry; this runs in a worker.
      origin: { ip: null, userAgent: 'worker' },
      archiveChildIds: confirm?.archiveChildIds ?? [],
      newEnrolmentLines: confirm?.newEnrolmentLines ?? [],
    })
    log.info(`[roster-import] ${importId}: ${result.alreadyDone ? 'already done' : `${result.childrenCreated} created, ${result.childrenUpdated} updated in ${result.ms} ms`}`)
    return result
  } catch (e) {
    // A stale or invalid plan will not get better by retrying: the admin must plan again.
    if (e instanceof DomainError) throw new UnrecoverableError(`roster-import: ${e.code}`)
    throw e
  }
})

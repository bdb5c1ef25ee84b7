// The background roster import's definition and the only way the app starts one (a big
// import, committed off the request so the admin's page stays responsive). The processor is
// bound in workers/jobs/roster-import.server.ts.
import { z } from 'zod'
import { defineJob, enqueue } from '../../queue/job.server'

export const rosterImportDefinition = defineJob({
  name: 'roster-import',
  // Ids only: who confirmed and which children to archive are stored on the import row.
  payload: z.object({ orgId: z.uuid(), importId: z.uuid() }).strict(),
  queue: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
})

/** The only way the app starts a background roster import. */
export function enqueueRosterImport(payload: { orgId: string; importId: string }) {
  return enqueue(rosterImportDefinition, payload)
}

// Erasure: the per-request job (defined, and enqueued, in app/privacy/erasure/jobs.server.ts)
// and a per-minute sweep that takes over erasure rights requests, flags requests past their
// 24 hours, and erases everything due that the jobs missed (after a restart, a queue outage).
// runDeletion() locks the request and skips what is done: safe to run twice. After erasures,
// the erasure-vacuum job clears the erased values from the files and the statistics.
import { z } from 'zod'
import { MINUTE } from '~/clock.server'
import { enqueueErasureVacuum, erasureRunDefinition, erasureVacuumDefinition } from '~/privacy/erasure/jobs.server'
import { vacuumErasedTables } from '~/privacy/erasure/vacuum.server'
import { runDeletion, sweepErasures } from '~/privacy/erasure/run.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

export const erasureRunJob = bindJob(erasureRunDefinition, async ({ requestId }, { db, log }) => {
  const out = await runDeletion(db, requestId)
  if (out.status !== 'erased') return out
  await enqueueErasureVacuum(log)
  return { status: out.status, late: out.late }
})

const erasureSweepDefinition = defineJob({
  name: 'erasure-sweep',
  payload: z.object({}).strict(),
  queue: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: MINUTE },
})

export const erasureSweepJob = bindJob(erasureSweepDefinition, async (_payload, { db, log }) => {
  const out = await sweepErasures(db, log)
  if (out.erased) await enqueueErasureVacuum(log)
  return out
})

/** VACUUM (ANALYZE) of what erasures changed: after each batch's window, and hourly (ADR 019). */
export const erasureVacuumJob = bindJob(erasureVacuumDefinition, async (_payload, { db, log }) => vacuumErasedTables(db, { log }))

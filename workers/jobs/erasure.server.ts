// Erasure: the per-request job (defined, and enqueued, in app/privacy/erasure/jobs.server.ts)
// and a per-minute sweep that takes over erasure rights requests, flags requests past their
// 24 hours, and erases everything due that the jobs missed (after a restart, a queue outage).
// runDeletion() locks the request and skips what is done: safe to run twice.
import { z } from 'zod'
import { MINUTE } from '~/clock.server'
import { erasureRunDefinition } from '~/privacy/erasure/jobs.server'
import { runDeletion, sweepErasures } from '~/privacy/erasure/run.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

export const erasureRunJob = bindJob(erasureRunDefinition, async ({ requestId }, { db }) => {
  const out = await runDeletion(db, requestId)
  return out.status === 'erased' ? { status: out.status, late: out.late } : out
})

const erasureSweepDefinition = defineJob({
  name: 'erasure-sweep',
  payload: z.object({}).strict(),
  queue: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: MINUTE },
})

export const erasureSweepJob = bindJob(erasureSweepDefinition, async (_payload, { db, log }) => {
  return sweepErasures(db, log)
})

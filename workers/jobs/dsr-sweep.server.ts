// Every minute: flags requests still unforwarded past their 48 hours, forwards anything the
// dsr-forward job missed, deletes public-form requests never verified after a day.
import { z } from 'zod'
import { MINUTE } from '~/clock.server'
import { sweepForwarding } from '~/privacy/rights-requests/forwarding.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const dsrSweepDefinition = defineJob({
  name: 'dsr-sweep',
  payload: z.object({}).strict(),
  queue: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: MINUTE },
})

export const dsrSweepJob = bindJob(dsrSweepDefinition, async (_payload, { db, log }) => {
  return sweepForwarding(db, log)
})

// Mail delivery: the job the outbox enqueues after commit (defined in app/mail/jobs.server.ts)
// and a per-minute sweep that sends what a job missed (crash between commit and enqueue, queue
// outage, a worker that died holding a mail) and deletes old sent and dead mails.
import { z } from 'zod'
import { MINUTE } from '~/clock.server'
import { deliverMails, sweepOutbox } from '~/mail/delivery.server'
import { mailDeliverDefinition } from '~/mail/jobs.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

export const mailDeliverJob = bindJob(mailDeliverDefinition, async ({ mailIds }, { db, log }) => {
  return deliverMails(db, mailIds, log)
})

const mailSweepDefinition = defineJob({
  name: 'mail-sweep',
  payload: z.object({}).strict(),
  queue: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { age: 7 * 24 * 3600 } },
  repeat: { every: MINUTE },
})

export const mailSweepJob = bindJob(mailSweepDefinition, async (_payload, { db, log }) => {
  return sweepOutbox(db, log)
})

// The delivery job's definition and the only way the app asks for a delivery: one job per
// committed transaction's mails (queueMail enqueues it after COMMIT), one per retry of a mail.
// The processor is bound in workers/jobs/mail.server.ts; the outbox sweep there delivers what a
// job missed (a crash between commit and enqueue, a queue outage, an expired lease).
import { z } from 'zod'
import { defineJob, enqueueBestEffort } from '../queue/job.server'

export const MAIL_BATCH = 50

export const mailDeliverDefinition = defineJob({
  name: 'mail-deliver',
  payload: z.object({ mailIds: z.array(z.uuid()).min(1).max(MAIL_BATCH) }).strict(),
  // SMTP failures are retried per mail, from the outbox row (attempts, next_attempt_at): these
  // attempts only cover the job itself failing (the database away).
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  // Delivery waits on the SMTP server, not on this process: several at once.
  concurrency: Number(process.env.MAIL_DELIVERY_CONCURRENCY ?? 4),
})

/** Never throws and never waits long: the mails are committed in the outbox, so if the queue is unreachable the outbox sweep delivers them anyway. */
export async function enqueueMailDelivery(mailIds: string[], opts: { delay?: number; jobId?: string } = {}, log: Pick<Console, 'warn'> = console) {
  for (let i = 0; i < mailIds.length; i += MAIL_BATCH) {
    const batch = mailIds.slice(i, i + MAIL_BATCH)
    await enqueueBestEffort(mailDeliverDefinition, { mailIds: batch }, { jobId: opts.jobId && i === 0 ? opts.jobId : `mail-${batch[0]}`, delay: opts.delay }, (why) =>
      log.warn(`[mail] enqueue delivery of ${batch.length} mail(s) failed (the outbox sweep will send them): ${why}`),
    )
  }
}

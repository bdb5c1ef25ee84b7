// Backups (DPA Annex D): the daily job takes one backup per Paris calendar day (checked every
// hour, so a restart or a late start still gets the day's backup; the first of a month is the
// monthly one, the first of a week the weekly one); the expiry job, also hourly, deletes what
// is past its date — nothing reaches six months — and records each deletion. Both bring the
// state to what is due at now(): running either twice does nothing more.
import { z } from 'zod'
import { HOUR } from '~/clock.server'
import { backupIfDue, expireBackups } from '~/privacy/backups/schedule.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const backupDailyDefinition = defineJob({
  name: 'backup-daily',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 30 * 24 * 3600 } },
  repeat: { every: HOUR },
})

export const backupDailyJob = bindJob(backupDailyDefinition, async (_payload, { db }) => {
  return backupIfDue(db)
})

const backupExpiryDefinition = defineJob({
  name: 'backup-expiry',
  payload: z.object({}).strict(),
  queue: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { age: 30 * 24 * 3600 } },
  repeat: { every: HOUR },
})

export const backupExpiryJob = bindJob(backupExpiryDefinition, async (_payload, { db }) => {
  return expireBackups(db)
})

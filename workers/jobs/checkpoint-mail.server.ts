// Mails each organization's latest signed consent-log checkpoint to its DPO once a week (ADR 015).
import { checkpointMailDefinition } from '~/privacy/consent/jobs.server'
import { mailWeeklyCheckpoints } from '~/privacy/consent/checkpoint-mail.server'
import { bindJob } from '../../app/queue/job.server'

export const checkpointMailJob = bindJob(checkpointMailDefinition, async (_payload, { db }) => mailWeeklyCheckpoints(db))

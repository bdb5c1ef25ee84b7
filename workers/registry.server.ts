// Every job the workers run. A new job: add workers/jobs/<name>.server.ts and append it here.
import type { AnyJob } from '../app/queue/job.server'
import { purgeExpiredSessions } from './jobs/purge-expired-sessions.server'
import { rosterImportJob } from './jobs/roster-import.server'
import { consentCheckpointJob } from './jobs/consent-checkpoint.server'
import { auditPartitionsJob } from './jobs/audit-partitions.server'
import { auditArchiveJob } from './jobs/audit-archive.server'
import { auditPurgeJob } from './jobs/audit-purge.server'
import { dsrForwardJob } from './jobs/dsr-forward.server'
import { dsrSweepJob } from './jobs/dsr-sweep.server'
import { dsrRemindersJob } from './jobs/dsr-reminders.server'
import { erasureRunJob, erasureSweepJob } from './jobs/erasure.server'
import { backupDailyJob, backupExpiryJob } from './jobs/backup.server'
import { retentionJob } from './jobs/retention.server'
import { supportGrantsJob } from './jobs/support.server'
import { exportLearningJob } from './jobs/export-learning.server'
import { exportSweepJob } from './jobs/export-sweep.server'

export const jobs: readonly AnyJob[] = [purgeExpiredSessions, rosterImportJob, consentCheckpointJob, auditPartitionsJob, auditArchiveJob, auditPurgeJob, dsrForwardJob, dsrSweepJob, dsrRemindersJob]
  .concat([erasureRunJob, erasureSweepJob] as AnyJob[])
  .concat([backupDailyJob, backupExpiryJob] as AnyJob[])
  .concat([retentionJob, supportGrantsJob] as AnyJob[])
  .concat([exportLearningJob, exportSweepJob] as AnyJob[])

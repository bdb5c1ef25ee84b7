// Every job the workers run (BullMQ) and `carnet sweep` runs (the repeatable ones), each a
// definition bound to its processor. A new job the app enqueues: define it, with its typed
// enqueueX helper, in app/<use case>/jobs.server.ts; bind its processor in
// workers/jobs/<name>.server.ts; append the bound job here (workers/registry.server.test.ts
// fails on a definition left unbound). A job only its scheduler starts is defined and bound in
// its workers/jobs file.
import type { AnyJob } from '../app/queue/job.server'
import { purgeExpiredSessions } from './jobs/purge-expired-sessions.server'
import { rosterImportJob } from './jobs/roster-import.server'
import { consentCheckpointJob } from './jobs/consent-checkpoint.server'
import { checkpointMailJob } from './jobs/checkpoint-mail.server'
import { auditPartitionsJob } from './jobs/audit-partitions.server'
import { auditArchiveJob } from './jobs/audit-archive.server'
import { auditPurgeJob } from './jobs/audit-purge.server'
import { dsrForwardJob } from './jobs/dsr-forward.server'
import { dsrSweepJob } from './jobs/dsr-sweep.server'
import { dsrRemindersJob } from './jobs/dsr-reminders.server'
import { dsrAccountabilityJob } from './jobs/dsr-accountability.server'
import { erasureRunJob, erasureSweepJob, erasureVacuumJob } from './jobs/erasure.server'
import { backupDailyJob, backupExpiryJob } from './jobs/backup.server'
import { retentionJob } from './jobs/retention.server'
import { supportGrantsJob } from './jobs/support.server'
import { exportLearningJob } from './jobs/export-learning.server'
import { exportSweepJob } from './jobs/export-sweep.server'
import { mailDeliverJob, mailSweepJob } from './jobs/mail.server'

export const jobs: readonly AnyJob[] = [purgeExpiredSessions, rosterImportJob, consentCheckpointJob, auditPartitionsJob, auditArchiveJob, auditPurgeJob, dsrForwardJob, dsrSweepJob, dsrRemindersJob]
  .concat([erasureRunJob, erasureSweepJob, erasureVacuumJob] as AnyJob[])
  .concat([backupDailyJob, backupExpiryJob] as AnyJob[])
  .concat([retentionJob, supportGrantsJob] as AnyJob[])
  .concat([exportLearningJob, exportSweepJob] as AnyJob[])
  .concat([checkpointMailJob, dsrAccountabilityJob] as AnyJob[])
  .concat([mailDeliverJob, mailSweepJob] as AnyJob[])

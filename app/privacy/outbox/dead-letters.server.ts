// The platform operator's view of mail delivery (/operator/mail): how much is waiting, and the
// dead letters — mails the outbox gave up after MAIL_MAX_ATTEMPTS or that the SMTP server refused
// for good — to send again once the cause is fixed, or discard. Recipient and subject are shown,
// never the body (it can hold a reset link or a code). Both actions are audited.
import { Conflict } from '../../errors.server'
import type { DbOrTx } from '../../db.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { mailRetryPolicy } from '../../mail/delivery.server'
import { deadMails, discardDeadMail, outboxSummary, retryDeadMail } from '../../mail/outbox.server'

export async function mailDeliveryView(db: DbOrTx) {
  const [summary, dead] = await Promise.all([outboxSummary(db), deadMails(db)])
  return { summary, dead, maxAttempts: mailRetryPolicy().maxAttempts }
}

type By = { actorId: string; origin: RequestOrigin }

export async function resendDeadLetter(db: DbOrTx, a: { mailId: string; by: By }) {
  const row = await retryDeadMail(db, a.mailId)
  if (!row) throw new Conflict('retention.mail.not_dead')
  await recordAudit(db, { action: 'mail.dead_letter_resent', actorId: a.by.actorId, targetType: 'outbox_mail', targetId: row.id, ...a.by.origin })
  return row
}

export async function discardDeadLetter(db: DbOrTx, a: { mailId: string; by: By }) {
  const row = await discardDeadMail(db, a.mailId)
  if (!row) throw new Conflict('retention.mail.not_dead')
  await recordAudit(db, { action: 'mail.dead_letter_discarded', actorId: a.by.actorId, targetType: 'outbox_mail', targetId: row.id, ...a.by.origin })
  return row
}

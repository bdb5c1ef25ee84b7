// The mail outbox (DESIGN §3.13): a mail is a row written in the transaction of the business
// change that causes it, and is delivered by the mail-deliver job once that transaction has
// committed (delivery.server.ts). An SMTP failure or a slow SMTP server therefore never holds
// the business transaction's locks, never rolls it back and never loses the mail: it delays it.
// Without SMTP_URL the development mailbox (/dev/mailbox) reads these same rows.
import { and, count, desc, eq, lt, min } from 'drizzle-orm'
import { outboxMails, type OutboxStatus } from '../../drizzle/schema'
import { now } from '../clock.server'
import { commitScope, onCommit, type DbOrTx } from '../db.server'
import { enqueueMailDelivery } from './jobs.server'

/** A file sent with a mail (e.g. a signed checkpoint, JSON): small, built in memory. */
export type Attachment = { filename: string; contentType: string; content: string | Buffer }
export type Mail = {
  to: string
  subject: string
  text: string
  html?: string
  userId?: string | null
  attachments?: Attachment[]
  /** The row is deleted once delivered (a proof of erasure to the erased person's own address). */
  eraseAfterSending?: boolean
}

/** How an attachment is kept in the outbox row: its bytes in base64. */
export type StoredAttachment = { filename: string; contentType: string; content: string }
const storedAttachment = (a: Attachment): StoredAttachment => ({
  filename: a.filename,
  contentType: a.contentType,
  content: (typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content).toString('base64'),
})

/** An outbox row's attachments, decoded (the delivery, the dev mailbox, tests). */
export function outboxAttachments(row: { attachments: unknown }): { filename: string; contentType: string; content: Buffer }[] {
  const list = Array.isArray(row.attachments) ? (row.attachments as StoredAttachment[]) : []
  return list.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') }))
}

// The mails each open transaction (savepoints included) wrote: one delivery enqueue per
// transaction, after its COMMIT. A mail of a rolled-back savepoint is in the list but not in the
// outbox: the delivery skips it.
const batches = new WeakMap<object, string[]>()

/**
 * Writes the mail to the outbox in `db`'s transaction (or at once, outside one) and has it
 * delivered after commit. Returns the outbox row's id. Never talks to SMTP.
 */
export async function queueMail(db: DbOrTx, mail: Mail): Promise<string> {
  const at = now()
  const [row] = await db
    .insert(outboxMails)
    .values({
      createdAt: at,
      nextAttemptAt: at,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? null,
      attachments: mail.attachments?.length ? mail.attachments.map(storedAttachment) : null,
      userId: mail.userId ?? null,
      eraseAfterSending: mail.eraseAfterSending ?? false,
    })
    .returning({ id: outboxMails.id })
  const id = row!.id
  const scope = commitScope(db)
  if (!scope) {
    await enqueueMailDelivery([id])
    return id
  }
  const batch = batches.get(scope)
  if (batch) batch.push(id)
  else {
    const ids = [id]
    batches.set(scope, ids)
    await onCommit(db, () => enqueueMailDelivery(ids))
  }
  return id
}

/** The development mailbox (/dev/mailbox): the outbox, newest first. */
export async function latestOutboxMails(db: DbOrTx, { limit = 50 }: { limit?: number } = {}) {
  return db.select().from(outboxMails).orderBy(desc(outboxMails.createdAt)).limit(limit)
}

/** For the operator: how many mails are in each state, and since when the oldest is waiting. */
export async function outboxSummary(db: DbOrTx) {
  const rows = await db
    .select({ status: outboxMails.status, n: count(), oldest: min(outboxMails.createdAt) })
    .from(outboxMails)
    .groupBy(outboxMails.status)
  const by = (s: OutboxStatus) => rows.find((r) => r.status === s)
  return {
    pending: (by('pending')?.n ?? 0) + (by('sending')?.n ?? 0),
    oldestPendingAt: [by('pending')?.oldest, by('sending')?.oldest].filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0] ?? null,
    sent: by('sent')?.n ?? 0,
    dead: by('dead')?.n ?? 0,
  }
}

/** Dead letters: mails given up after their attempts (or refused for good by the SMTP server). */
export async function deadMails(db: DbOrTx, { limit = 100 }: { limit?: number } = {}) {
  return db
    .select({
      id: outboxMails.id,
      createdAt: outboxMails.createdAt,
      to: outboxMails.to,
      subject: outboxMails.subject,
      attempts: outboxMails.attempts,
      lastAttemptAt: outboxMails.lastAttemptAt,
      lastError: outboxMails.lastError,
    })
    .from(outboxMails)
    .where(eq(outboxMails.status, 'dead'))
    .orderBy(desc(outboxMails.createdAt))
    .limit(limit)
}

/** A dead letter sent again from scratch (the operator fixed the cause). Null when it is not dead. */
export async function retryDeadMail(db: DbOrTx, id: string) {
  const [row] = await db
    .update(outboxMails)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now(), leaseUntil: null })
    .where(and(eq(outboxMails.id, id), eq(outboxMails.status, 'dead')))
    .returning({ id: outboxMails.id, to: outboxMails.to })
  if (row) await onCommit(db, () => enqueueMailDelivery([row.id]))
  return row ?? null
}

/** A dead letter dropped (e.g. an address that does not exist). Null when it is not dead. */
export async function discardDeadMail(db: DbOrTx, id: string) {
  const [row] = await db
    .delete(outboxMails)
    .where(and(eq(outboxMails.id, id), eq(outboxMails.status, 'dead')))
    .returning({ id: outboxMails.id, to: outboxMails.to })
  return row ?? null
}

/** Sent and dead mails are kept this long (the operator's view of what went out), then deleted. */
export const MAIL_KEEP_DAYS = 30

export async function purgeOldMails(db: DbOrTx) {
  const before = new Date(now().getTime() - MAIL_KEEP_DAYS * 24 * 3600_000)
  const sent = await db
    .delete(outboxMails)
    .where(and(eq(outboxMails.status, 'sent'), lt(outboxMails.createdAt, before)))
    .returning({ id: outboxMails.id })
  const dead = await db
    .delete(outboxMails)
    .where(and(eq(outboxMails.status, 'dead'), lt(outboxMails.lastAttemptAt, before)))
    .returning({ id: outboxMails.id })
  return sent.length + dead.length
}

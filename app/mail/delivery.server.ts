// Delivery of the outbox, after commit and never inside a transaction: each mail is claimed
// (pending → sending, one attempt counted, a lease), sent, then marked sent — three separate
// statements around the SMTP conversation. A temporary failure puts it back to pending with an
// exponential backoff and schedules its retry; after MAIL_MAX_ATTEMPTS (or a permanent refusal)
// it is dead and shown to the platform operator (/operator/mail).
//
// Sending twice is avoided where it can be: a mail is claimed by one worker at a time (a sent or
// held mail is skipped), and the Message-ID is the outbox row's, so if a worker dies after the
// SMTP server accepted the mail and before it was marked sent, the retry after the lease carries
// the same Message-ID and receiving servers and mail clients can recognise the duplicate.
import { and, asc, eq, lt, lte, or, sql } from 'drizzle-orm'
import { outboxMails } from '../../drizzle/schema'
import { HOUR, MINUTE, now } from '../clock.server'
import { config } from '../config.server'
import type { Db } from '../db.server'
import { enqueueMailDelivery } from './jobs.server'
import { outboxAttachments, purgeOldMails } from './outbox.server'
import { asDelivery, closeSmtp, smtpSend } from './smtp.server'

/** A claim holds this long; bounded SMTP timeouts (smtp.server.ts) keep an attempt shorter. */
export const MAIL_LEASE = 5 * MINUTE
/** A pending mail past its time by this much has lost its job: the sweep sends it. */
export const MAIL_SWEEP_GRACE = 2 * MINUTE

export function mailRetryPolicy() {
  return {
    /** Attempts before a mail is dead (default 10: with the default base, about 8.5 hours of trying). */
    maxAttempts: Math.max(1, Number(process.env.MAIL_MAX_ATTEMPTS ?? 10)),
    /** Wait after the first failure; doubled after each further one, at most 6 hours. */
    baseDelay: Math.max(1, Number(process.env.MAIL_RETRY_BASE_MS ?? MINUTE)),
  }
}

export function retryDelay(attempts: number) {
  return Math.min(mailRetryPolicy().baseDelay * 2 ** Math.max(0, attempts - 1), 6 * HOUR)
}

/** The mail's Message-ID: the outbox row's id, so every attempt of one mail carries the same. */
export function messageIdFor(id: string) {
  let host = 'carnet.localhost'
  try {
    host = new URL(config.appUrl).hostname || host
  } catch {
    // keep the default
  }
  return `<${id}@${host}>`
}

type Outcome = 'sent' | 'retry' | 'dead' | 'skipped'

/** Takes the mail for one attempt, unless it is sent, dead, or held by another worker's live lease. */
async function claim(db: Db, id: string) {
  const at = now()
  const [row] = await db
    .update(outboxMails)
    .set({ status: 'sending', attempts: sql`${outboxMails.attempts} + 1`, leaseUntil: new Date(at.getTime() + MAIL_LEASE), lastAttemptAt: at })
    .where(and(eq(outboxMails.id, id), or(eq(outboxMails.status, 'pending'), and(eq(outboxMails.status, 'sending'), lt(outboxMails.leaseUntil, at)))))
    .returning()
  return row ?? null
}

/** The SMTP server refused this message for good (5xx on the envelope or the content): no retry helps. */
function isPermanent(e: unknown) {
  const err = e as { responseCode?: number; code?: string }
  return typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600 && (err.code === 'EENVELOPE' || err.code === 'EMESSAGE')
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 500)

async function deliverOne(db: Db, id: string, log: Pick<Console, 'warn'>): Promise<Outcome> {
  const row = await claim(db, id)
  if (!row) return 'skipped'
  const url = config.smtpUrl
  try {
    // Without SMTP_URL the development mailbox is the transport: it shows the row as it is.
    if (url)
      await asDelivery(() =>
        smtpSend(url, {
          from: config.mailFrom,
          to: row.to,
          subject: row.subject,
          text: row.text,
          html: row.html ?? undefined,
          attachments: outboxAttachments(row),
          messageId: messageIdFor(row.id),
          date: row.createdAt,
        }),
      )
  } catch (e) {
    const { maxAttempts } = mailRetryPolicy()
    const dead = isPermanent(e) || row.attempts >= maxAttempts
    const next = new Date(now().getTime() + retryDelay(row.attempts))
    await db
      .update(outboxMails)
      .set(dead ? { status: 'dead', leaseUntil: null, lastError: describe(e) } : { status: 'pending', leaseUntil: null, lastError: describe(e), nextAttemptAt: next })
      .where(and(eq(outboxMails.id, row.id), eq(outboxMails.status, 'sending')))
    if (dead) {
      log.warn(`[mail] ${row.id} is dead after ${row.attempts} attempt(s): ${describe(e)}`)
      return 'dead'
    }
    await enqueueMailDelivery([row.id], { delay: next.getTime() - now().getTime(), jobId: `mail-${row.id}-${row.attempts}` }, log)
    return 'retry'
  }
  // A proof of erasure to the erased person's own address: nothing of it is kept once delivered.
  if (row.eraseAfterSending) {
    await db.delete(outboxMails).where(and(eq(outboxMails.id, row.id), eq(outboxMails.status, 'sending')))
    return 'sent'
  }
  // Sent through SMTP: the body (reset links, codes) and attachments are not kept; the dev mailbox keeps it to show.
  await db
    .update(outboxMails)
    .set({ status: 'sent', sentAt: now(), leaseUntil: null, lastError: null, ...(url ? { text: '', html: null, attachments: null } : {}) })
    .where(and(eq(outboxMails.id, row.id), eq(outboxMails.status, 'sending')))
  return 'sent'
}

/** The mail-deliver job: each mail once, in order; safe to run twice or concurrently. */
export async function deliverMails(db: Db, ids: string[], log: Pick<Console, 'warn'> = console) {
  const out: Record<Outcome, number> = { sent: 0, retry: 0, dead: 0, skipped: 0 }
  for (const id of ids) out[await deliverOne(db, id, log)]++
  return out
}

/**
 * The outbox sweep (every minute): sends what no job will — pending mails past their time by
 * MAIL_SWEEP_GRACE (a crash between commit and enqueue, a lost retry, the queue away) and mails
 * whose sender died (lease expired) — at most `limit` mails or `budget` ms per run; then deletes
 * sent and dead mails past MAIL_KEEP_DAYS.
 */
export async function sweepOutbox(db: Db, log: Pick<Console, 'warn'> = console, { limit = 200, budget = 30_000 } = {}) {
  const at = now()
  const due = await db
    .select({ id: outboxMails.id })
    .from(outboxMails)
    .where(
      or(and(eq(outboxMails.status, 'pending'), lte(outboxMails.nextAttemptAt, new Date(at.getTime() - MAIL_SWEEP_GRACE))), and(eq(outboxMails.status, 'sending'), lt(outboxMails.leaseUntil, at))),
    )
    .orderBy(asc(outboxMails.nextAttemptAt))
    .limit(limit)
  const t0 = Date.now()
  const out: Record<Outcome, number> = { sent: 0, retry: 0, dead: 0, skipped: 0 }
  for (const { id } of due) {
    if (Date.now() - t0 > budget) break
    out[await deliverOne(db, id, log)]++
  }
  return { due: due.length, ...out, purged: await purgeOldMails(db) }
}

/** Closes the SMTP connections (worker shutdown, tests). */
export const closeMailTransport = closeSmtp

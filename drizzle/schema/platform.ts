import { sql } from 'drizzle-orm'
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Who did what to which record, when, from where, and the outcome. Partitioned by month on
 * `at` (migration 0003_audit_partitions; partitions live in schema `audit_partitions`), so
 * the retention job archives and drops a whole month cheaply — hence the key (id, at).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    orgId: uuid('org_id'),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    outcome: text('outcome', { enum: ['success', 'failure', 'denied'] }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details'),
  },
  (t) => [primaryKey({ columns: [t.id, t.at] }), index('audit_events_org_at').on(t.orgId, t.at), index('audit_events_actor').on(t.actorId), index('audit_events_target').on(t.targetId)],
)

/** Terms of Use, Privacy Policy and DPA, versioned, one row per language. */
export const legalDocuments = pgTable(
  'legal_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['terms', 'privacy', 'dpa'] }).notNull(),
    version: text('version').notNull(),
    lang: text('lang', { enum: ['fr', 'en'] }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('legal_documents_kind_version_lang').on(t.kind, t.version, t.lang)],
)

/**
 * The mail outbox: every mail is a row written in the transaction of the business change, and
 * the mail-deliver job sends it after commit (app/mail/). pending → sending (claimed with a
 * lease, one attempt counted) → sent, or back to pending with a later next_attempt_at, or dead
 * after MAIL_MAX_ATTEMPTS (shown to the platform operator). Without SMTP_URL the development
 * mailbox (/dev/mailbox) is the transport: it shows these rows.
 */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'dead'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

export const outboxMails = pgTable(
  'outbox_mails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    /** Attached files, [{ filename, contentType, content (base64) }]: a signed checkpoint. */
    attachments: jsonb('attachments'),
    // Who the mail is about, so erasure can find it.
    userId: uuid('user_id'),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    /** Attempts started (a claim counts one, even if the process died during it). */
    attempts: integer('attempts').notNull().default(0),
    /** When a pending mail may be tried (again); the sweep takes over a pending mail past it. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** While sending: until when the claim holds; past it, another worker may take the mail over. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** The proof of erasure sent to the erased person's own address: the row goes once delivered. */
    eraseAfterSending: boolean('erase_after_sending').notNull().default(false),
  },
  (t) => [
    index('outbox_mails_to').on(t.to),
    index('outbox_mails_to_lower').on(sql`lower(${t.to})`),
    index('outbox_mails_user')
      .on(t.userId)
      .where(sql`user_id is not null`),
    index('outbox_mails_due')
      .on(t.nextAttemptAt)
      .where(sql`status in ('pending', 'sending')`),
    index('outbox_mails_dead')
      .on(t.createdAt)
      .where(sql`status = 'dead'`),
  ],
)

/** People who run the platform (the processor side): registers, forwarding, breaches. */
export const platformOperators = pgTable('platform_operators', {
  userId: uuid('user_id').primaryKey(),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
})

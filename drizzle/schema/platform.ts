import { sql } from 'drizzle-orm'
import { bigserial, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

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

/** Development mailbox: mail lands here when SMTP_URL is not set. */
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
  },
  (t) => [
    index('outbox_mails_to').on(t.to),
    index('outbox_mails_to_lower').on(sql`lower(${t.to})`),
    index('outbox_mails_user')
      .on(t.userId)
      .where(sql`user_id is not null`),
  ],
)

/** People who run the platform (the processor side): registers, forwarding, breaches. */
export const platformOperators = pgTable('platform_operators', {
  userId: uuid('user_id').primaryKey(),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
})

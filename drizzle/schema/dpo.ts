import { bigint, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Signed checkpoints of each organization's consent-log chain head: HMAC-SHA256 (server
 * secret) over (org, seq, head hash, time). Written daily by a job; the school downloads them
 * as JSON and keeps them outside Carnet, so a rewritten chain no longer matches. Append-only.
 */
export const consentCheckpoints = pgTable(
  'consent_checkpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    seq: integer('seq').notNull(),
    headHash: text('head_hash').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    hmac: text('hmac').notNull(),
  },
  (t) => [uniqueIndex('consent_checkpoints_org_seq').on(t.orgId, t.seq), index('consent_checkpoints_org_signed').on(t.orgId, t.signedAt)],
)

/**
 * One compressed, hashed file per month and organization once audit entries leave the online
 * table (6 months by default); the file is deleted after the archive period (1 year by
 * default) and the row stays, with purged_at, as the record that it existed.
 */
export const auditArchives = pgTable(
  'audit_archives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** First day of the archived month (UTC). */
    month: date('month').notNull(),
    /** null: entries attached to no organization (platform). */
    orgId: uuid('org_id'),
    /** Relative to DATA_DIR/audit-archive. */
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    entries: integer('entries').notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }).notNull(),
    purgeDueAt: timestamp('purge_due_at', { withTimezone: true }).notNull(),
    purgedAt: timestamp('purged_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('audit_archives_file').on(t.fileName), index('audit_archives_org').on(t.orgId, t.month)],
)

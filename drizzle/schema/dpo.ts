import { bigint, boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Signed checkpoints of each organization's consent-log chain head: Ed25519 (a key kept apart
 * from the database, ADR 015) over (org, seq, head hash, time). Written daily by a job and
 * mailed weekly to the DPO; the school keeps them outside Carnet, so a rewritten chain no longer
 * matches. Append-only. Rows from before ADR 015 are HMAC-SHA256 (server secret), labelled so.
 */
export const consentCheckpoints = pgTable(
  'consent_checkpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    seq: integer('seq').notNull(),
    headHash: text('head_hash').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    /** 'Ed25519' (signature, keyFingerprint) or, before ADR 015, 'HMAC-SHA256' (hmac). */
    algorithm: text('algorithm').notNull().default('HMAC-SHA256'),
    hmac: text('hmac'),
    /** Base64 Ed25519 signature of the versioned payload (checkpoints.server checkpointPayload). */
    signature: text('signature'),
    /** SHA-256 (hex) of the signing public key's DER: which key signed. */
    keyFingerprint: text('key_fingerprint'),
  },
  (t) => [uniqueIndex('consent_checkpoints_org_seq').on(t.orgId, t.seq), index('consent_checkpoints_org_signed').on(t.orgId, t.signedAt)],
)

/**
 * The weekly mail that carries an organization's latest signed checkpoint to its DPO (or its
 * admins when it has no DPO): one row per organization and ISO week, so the job sends once.
 */
export const checkpointMailings = pgTable(
  'checkpoint_mailings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    /** Monday (UTC) of the week mailed. */
    week: date('week').notNull(),
    checkpointId: uuid('checkpoint_id').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    recipients: integer('recipients').notNull(),
    /** No member had the DPO role: the mail went to the administrators, and said so. */
    toAdmins: boolean('to_admins').notNull().default(false),
  },
  (t) => [uniqueIndex('checkpoint_mailings_org_week').on(t.orgId, t.week)],
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

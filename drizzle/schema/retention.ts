import { sql } from 'drizzle-orm'
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations'

/** Who asked for a deletion (DESIGN §3.2, Annex B "Retention Period"). */
export const DELETION_REQUESTERS = ['self', 'guardian', 'admin', 'rights_request', 'operator', 'contract_end'] as const
export type DeletionRequester = (typeof DELETION_REQUESTERS)[number]
/**
 * account: the whole person, everywhere (their only organization, or their own request);
 * membership: only what one organization holds about them (an admin removing a member who
 * also belongs elsewhere); organization: everything the organization controls.
 */
export const DELETION_SCOPES = ['account', 'membership', 'organization'] as const
export type DeletionScope = (typeof DELETION_SCOPES)[number]

export const LEGAL_BASES = ['public_task', 'contract', 'consent', 'legitimate_interest', 'legal_obligation'] as const
export type LegalBasis = (typeof LEGAL_BASES)[number]

/** The organization's privacy settings: deletion grace period, legal basis for the records of processing. */
export const orgPrivacySettings = pgTable('org_privacy_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  /** Hours after a deletion request during which it may be cancelled (and the erasure waits). 0 = none. */
  deletionGraceHours: integer('deletion_grace_hours').notNull().default(0),
  legalBasis: text('legal_basis', { enum: LEGAL_BASES }).notNull().default('public_task'),
  updatedAt: timestamp('updated_at', { withTimezone: true }),
  updatedBy: uuid('updated_by'),
})

/**
 * A deletion to carry out: the account is deactivated at request time, erased by the erasure
 * job as soon as `erase_after` passes (the grace period, none by default) and in any case
 * before `due_at` (requested + 24 h). Ids and times only: the row is the instruction's evidence.
 */
export const deletionRequests = pgTable(
  'deletion_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scope: text('scope', { enum: DELETION_SCOPES }).notNull(),
    /** The person (null for an organization's deletion). */
    subjectId: uuid('subject_id'),
    /** The organization acting (membership, organization) or the context of the request. */
    orgId: uuid('org_id'),
    requestedBy: uuid('requested_by'),
    requestedByRole: text('requested_by_role', { enum: DELETION_REQUESTERS }).notNull(),
    /** A code, never free text: 'own_request', 'left_school', 'rights_request', 'contract_end' … */
    reason: text('reason').notNull(),
    rightsRequestId: uuid('rights_request_id'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    eraseAfter: timestamp('erase_after', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: uuid('cancelled_by'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Set by the sweep when due_at passed before completion (kept once completed). */
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    index('deletion_requests_pending')
      .on(t.eraseAfter)
      .where(sql`completed_at is null and cancelled_at is null`),
    index('deletion_requests_subject').on(t.subjectId),
    index('deletion_requests_org').on(t.orgId),
    uniqueIndex('deletion_requests_open')
      .on(t.scope, t.subjectId, t.orgId)
      .where(sql`completed_at is null and cancelled_at is null`),
  ],
)

/**
 * What remains of an erasure: no personal data — the subject's random id, the organization,
 * the times, and how many rows each table lost. Also appended to DATA_DIR/backups/tombstones.jsonl
 * so a restore replays the erasures made after its backup.
 */
export const erasureTombstones = pgTable(
  'erasure_tombstones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id'),
    scope: text('scope', { enum: DELETION_SCOPES }).notNull(),
    subjectId: uuid('subject_id'),
    orgId: uuid('org_id'),
    requestedByRole: text('requested_by_role', { enum: DELETION_REQUESTERS }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
    late: boolean('late').notNull().default(false),
    /** { table: rows deleted } */
    deleted: jsonb('deleted').$type<Record<string, number>>().notNull(),
    /** { table: rows kept irreversibly anonymized } */
    anonymized: jsonb('anonymized').$type<Record<string, number>>().notNull(),
    files: integer('files').notNull().default(0),
    /** Set when the erasure was replayed after a restore. */
    replayedAt: timestamp('replayed_at', { withTimezone: true }),
    /**
     * So a roster import does not re-create an erased child (ADR 021): HMAC-SHA256 (server
     * secret) of organization id + external id, one per organization the child was on the
     * roll of. Keyed hashes only, never the values; empty for erasures made before them.
     */
    externalIdHmacs: text('external_id_hmacs')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The same of organization id + folded first name + folded last name + birth date. */
    nameHmacs: text('name_hmacs')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [
    index('erasure_tombstones_subject').on(t.subjectId),
    index('erasure_tombstones_org').on(t.orgId, t.completedAt),
    index('erasure_tombstones_external_id_hmacs').using('gin', t.externalIdHmacs),
    index('erasure_tombstones_name_hmacs').using('gin', t.nameHmacs),
  ],
)

/**
 * Tables an erasure changed, waiting for VACUUM (ANALYZE): until then the erased rows stay in
 * the files as dead tuples and their values in the planner's statistics (pg_stats). Appended in
 * the erasure's transaction (no row is updated there, so concurrent erasures never wait on each
 * other); the erasure-vacuum job marks them vacuumed (ADR 019). Table names only.
 */
export const erasureVacuums = pgTable(
  'erasure_vacuums',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tableName: text('table_name').notNull(),
    touchedAt: timestamp('touched_at', { withTimezone: true }).notNull(),
    /** Null while waiting; the last vacuumed row of a table says when it was last vacuumed. */
    vacuumedAt: timestamp('vacuumed_at', { withTimezone: true }),
  },
  (t) => [index('erasure_vacuums_table').on(t.tableName, t.vacuumedAt)],
)

export const BACKUP_KINDS = ['daily', 'weekly', 'monthly', 'manual'] as const
export type BackupKind = (typeof BACKUP_KINDS)[number]

/** Backups under DATA_DIR/backups (Annex D: daily 7 days, weekly 4 weeks, monthly 6 months). */
export const backups = pgTable(
  'backups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fileName: text('file_name').notNull(),
    kind: text('kind', { enum: BACKUP_KINDS }).notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
    sha256: text('sha256').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    tables: integer('tables').notNull(),
    rows: bigint('rows', { mode: 'number' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletionReason: text('deletion_reason'),
  },
  (t) => [uniqueIndex('backups_file').on(t.fileName), index('backups_expires').on(t.expiresAt)],
)

export const RETENTION_NOTICES = ['days_30', 'days_7'] as const

/** Emails sent to an organization's admins before its retention period ends (30 and 7 days before). */
export const retentionNotices = pgTable(
  'retention_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: RETENTION_NOTICES }).notNull(),
    /** The erasure date the notice announced. */
    erasureAt: timestamp('erasure_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    recipients: integer('recipients').notNull(),
  },
  (t) => [uniqueIndex('retention_notices_once').on(t.orgId, t.kind, t.erasureAt)],
)

/**
 * An organization admin lets the platform operator see its learning data, for a stated reason
 * and at most 72 hours. The policy reads active grants on every request (nothing to revoke by hand).
 */
export const supportGrants = pgTable(
  'support_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    grantedBy: uuid('granted_by').notNull(),
    reason: text('reason').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    /** Set by the sweep once the end (expiry or revocation) is written to the audit log. */
    endLoggedAt: timestamp('end_logged_at', { withTimezone: true }),
  },
  (t) => [index('support_grants_org').on(t.orgId, t.expiresAt)],
)

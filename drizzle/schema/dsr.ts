import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations'

/** GDPR Art. 15–22 plus the two requests the French law adds (free question, post-mortem directives). */
export const DSR_KINDS = ['access', 'rectification', 'erasure', 'restriction', 'objection', 'portability', 'automated_decision', 'question', 'post_mortem'] as const
export type DsrKind = (typeof DSR_KINDS)[number]

export const DSR_CHANNELS = ['public_form', 'in_app', 'operator_log'] as const
export type DsrChannel = (typeof DSR_CHANNELS)[number]

/**
 * awaiting_verification: public form, email code not typed yet — the request does not count.
 * received: counts (the 48-hour forwarding clock runs). forwarded: the school's DPO and
 * admins have it. closed: the controller recorded its answer.
 */
export const DSR_STATUSES = ['awaiting_verification', 'received', 'forwarded', 'closed'] as const
export type DsrStatus = (typeof DSR_STATUSES)[number]

export const DSR_OUTCOMES = ['fulfilled', 'partially_fulfilled', 'refused', 'no_data', 'withdrawn', 'pending_erasure'] as const
export type DsrOutcome = (typeof DSR_OUTCOMES)[number]

/**
 * A data subject rights request. Deadlines are columns, swept by jobs (DPA §10.1: forwarded
 * to the controller within 48 hours; GDPR Art. 12(3): answered within one calendar month,
 * extendable once by two more months with a reason told to the requester).
 */
export const rightsRequests = pgTable(
  'rights_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Human reference printed on the receipt, e.g. DSR-2026-4F7K2Q. */
    reference: text('reference').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: DSR_KINDS }).notNull(),
    channel: text('channel', { enum: DSR_CHANNELS }).notNull(),
    status: text('status', { enum: DSR_STATUSES }).notNull(),
    /** The person the request is about (a child, a guardian, a staff member), once known. */
    subjectId: uuid('subject_id'),
    /** Once the subject is erased: the erasure's tombstone, in place of every identifying value (ADR 020). */
    subjectErasureId: uuid('subject_erasure_id'),
    /** What the requester typed to name the subject (public form / operator log). */
    subjectName: text('subject_name'),
    subjectBirthDate: text('subject_birth_date'),
    requesterEmail: text('requester_email').notNull(),
    requesterName: text('requester_name'),
    requesterUserId: uuid('requester_user_id'),
    /** self | guardian | representative */
    requesterRelation: text('requester_relation').notNull(),
    message: text('message'),
    lang: text('lang', { enum: ['fr', 'en'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    // Email verification (public form): a 6-digit code, stored as an HMAC, 5 tries, 30 minutes.
    verificationCodeHash: text('verification_code_hash'),
    verificationExpiresAt: timestamp('verification_expires_at', { withTimezone: true }),
    verificationAttempts: integer('verification_attempts').notNull().default(0),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /** When the request counts: email verified, in-app submission, or the date the operator received it. */
    receivedAt: timestamp('received_at', { withTimezone: true }),
    forwardDueAt: timestamp('forward_due_at', { withTimezone: true }),
    forwardedAt: timestamp('forwarded_at', { withTimezone: true }),
    /** Set by the sweep when the 48-hour forwarding deadline passed unforwarded (kept once forwarded). */
    forwardOverdueAt: timestamp('forward_overdue_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    extendedDueAt: timestamp('extended_due_at', { withTimezone: true }),
    extensionReason: text('extension_reason'),
    extendedAt: timestamp('extended_at', { withTimezone: true }),
    extendedBy: uuid('extended_by'),
    identityVerifiedAt: timestamp('identity_verified_at', { withTimezone: true }),
    identityMethod: text('identity_method'),
    identityVerifiedBy: uuid('identity_verified_by'),
    /** DPA §10.1: the platform answers only on the controller's written instruction. */
    writtenInstructionAt: timestamp('written_instruction_at', { withTimezone: true }),
    writtenInstructionRef: text('written_instruction_ref'),
    writtenInstructionBy: uuid('written_instruction_by'),
    remindedSoonAt: timestamp('reminded_soon_at', { withTimezone: true }),
    remindedOverdueAt: timestamp('reminded_overdue_at', { withTimezone: true }),
    erasurePendingAt: timestamp('erasure_pending_at', { withTimezone: true }),
    outcome: text('outcome', { enum: DSR_OUTCOMES }),
    outcomeNote: text('outcome_note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by'),
    /** Operator who logged a request received by email or post. */
    loggedBy: uuid('logged_by'),
    /**
     * The requester's status link (app/privacy/rights-requests/status.server.ts): an HMAC of a
     * 256-bit random token mailed with the receipt; valid while the request is open and for
     * 90 days after it is closed (ADR 023).
     */
    statusTokenHash: text('status_token_hash'),
    statusTokenIssuedAt: timestamp('status_token_issued_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('rights_requests_reference').on(t.reference),
    index('rights_requests_org_status').on(t.orgId, t.status),
    index('rights_requests_subject').on(t.subjectId),
    // Erasure finds every request a person made or handled (plan.server.ts, issue 12).
    index('rights_requests_requester_email_lower').on(sql`lower(${t.requesterEmail})`),
    index('rights_requests_requester_user_id')
      .on(t.requesterUserId)
      .where(sql`requester_user_id is not null`),
    index('rights_requests_extended_by')
      .on(t.extendedBy)
      .where(sql`extended_by is not null`),
    index('rights_requests_identity_verified_by')
      .on(t.identityVerifiedBy)
      .where(sql`identity_verified_by is not null`),
    index('rights_requests_written_instruction_by')
      .on(t.writtenInstructionBy)
      .where(sql`written_instruction_by is not null`),
    index('rights_requests_closed_by')
      .on(t.closedBy)
      .where(sql`closed_by is not null`),
    index('rights_requests_logged_by')
      .on(t.loggedBy)
      .where(sql`logged_by is not null`),
    uniqueIndex('rights_requests_status_token')
      .on(t.statusTokenHash)
      .where(sql`status_token_hash is not null`),
    index('rights_requests_unforwarded')
      .on(t.forwardDueAt)
      .where(sql`status = 'received'`),
  ],
)

export const DSR_EVENT_KINDS = [
  'submitted',
  'email_verified',
  'received',
  'forwarded',
  'forward_overdue',
  'receipt_sent',
  'reminder_due_soon',
  'reminder_overdue',
  'extended',
  'identity_verified',
  'subject_set',
  'package_built',
  'package_released',
  'package_downloaded',
  'rectified',
  'restricted',
  'restriction_lifted',
  'objection_recorded',
  'erasure_pending',
  'erasure_cancelled',
  'instruction_recorded',
  'answered_by_operator',
  'note',
  'closed',
  'post_mortem_recorded',
  'post_mortem_verified',
  'post_mortem_executed',
] as const
export type DsrEventKind = (typeof DSR_EVENT_KINDS)[number]

/** The request's own history (what the DPO sees); values changed by a rectification live here, not in the audit log. */
export const rightsRequestEvents = pgTable(
  'rights_request_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    kind: text('kind', { enum: DSR_EVENT_KINDS }).notNull(),
    note: text('note'),
    details: jsonb('details'),
  },
  (t) => [
    index('rights_request_events_request').on(t.requestId, t.at),
    index('rights_request_events_org').on(t.orgId),
    index('rights_request_events_actor')
      .on(t.actorId)
      .where(sql`actor_id is not null`),
  ],
)

export const PACKAGE_LINK_REVOKE_REASONS = ['re_released', 'erased'] as const

/**
 * The access (or portability) package handed to the verified requester inside Carnet: an
 * emailed link, stored as the SHA-256 of its random token, valid until expires_at for at most
 * max_downloads downloads (counted under the row's lock). The package itself is never stored:
 * it is built from the data at each download (ADR 022). A new release revokes the previous link.
 */
export const accessPackageLinks = pgTable(
  'access_package_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }).notNull(),
    releasedBy: uuid('released_by'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    maxDownloads: integer('max_downloads').notNull(),
    downloads: integer('downloads').notNull().default(0),
    lastDownloadAt: timestamp('last_download_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    revokeReason: text('revoke_reason', { enum: PACKAGE_LINK_REVOKE_REASONS }),
  },
  (t) => [
    uniqueIndex('access_package_links_token').on(t.tokenHash),
    index('access_package_links_request').on(t.requestId, t.releasedAt),
    index('access_package_links_org').on(t.orgId),
    index('access_package_links_released_by')
      .on(t.releasedBy)
      .where(sql`released_by is not null`),
    index('access_package_links_revoked_by')
      .on(t.revokedBy)
      .where(sql`revoked_by is not null`),
  ],
)

/**
 * GDPR Art. 18: while a row is active (lifted_at null) the subject's data is kept but not
 * processed — the child cannot log in and the data is left out of exports and views, the
 * DPO's excepted. See app/gdpr/restriction.server.ts.
 */
export const subjectRestrictions = pgTable(
  'subject_restrictions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    subjectId: uuid('subject_id').notNull(),
    requestId: uuid('request_id'),
    restrictedAt: timestamp('restricted_at', { withTimezone: true }).notNull(),
    restrictedBy: uuid('restricted_by'),
    reason: text('reason'),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
    liftedBy: uuid('lifted_by'),
  },
  (t) => [
    index('subject_restrictions_subject').on(t.subjectId),
    uniqueIndex('subject_restrictions_active')
      .on(t.orgId, t.subjectId)
      .where(sql`lifted_at is null`),
    index('subject_restrictions_org').on(t.orgId),
    index('subject_restrictions_restricted_by')
      .on(t.restrictedBy)
      .where(sql`restricted_by is not null`),
    index('subject_restrictions_lifted_by')
      .on(t.liftedBy)
      .where(sql`lifted_by is not null`),
  ],
)

/** In-app notifications (a forwarded rights request, a reminder); read on the page they point to. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    orgId: uuid('org_id'),
    kind: text('kind').notNull(),
    refType: text('ref_type'),
    refId: uuid('ref_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user').on(t.userId, t.readAt),
    uniqueIndex('notifications_once').on(t.userId, t.kind, t.refId),
    index('notifications_org')
      .on(t.orgId)
      .where(sql`org_id is not null`),
    index('notifications_ref')
      .on(t.refId)
      .where(sql`ref_id is not null`),
  ],
)

/** What a person directed for their data after their death (French law, Loi 78-17 art. 85; terms §8). */
export const POST_MORTEM_DIRECTIVES = ['retention', 'erasure', 'disclosure'] as const
export type PostMortemDirective = (typeof POST_MORTEM_DIRECTIVES)[number]

/**
 * A post-mortem rights request's directive, handled by the DPO in three steps: recorded (what,
 * and the person appointed to carry it out), the appointed person verified (how, on which day,
 * by whom), executed (erasure through the erasure pipeline; disclosure or retention recorded).
 * Evidence hanging off its request: emptied of names and free text with it (ADR 020).
 */
export const postMortemDirectives = pgTable(
  'post_mortem_directives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    directive: text('directive', { enum: POST_MORTEM_DIRECTIVES }).notNull(),
    /** The directive's own words (what to keep, erase or disclose, to whom). */
    instructions: text('instructions'),
    appointedName: text('appointed_name').notNull(),
    /** An email address, a telephone number or a postal address, as given. */
    appointedContact: text('appointed_contact').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /** The day the appointed person's identity and standing were checked (YYYY-MM-DD). */
    verifiedOn: text('verified_on'),
    verificationMethod: text('verification_method'),
    verificationNote: text('verification_note'),
    verifiedBy: uuid('verified_by'),
    executedAt: timestamp('executed_at', { withTimezone: true }),
    executedBy: uuid('executed_by'),
    executionNote: text('execution_note'),
  },
  (t) => [
    uniqueIndex('post_mortem_directives_request').on(t.requestId),
    index('post_mortem_directives_org').on(t.orgId),
    index('post_mortem_directives_recorded_by')
      .on(t.recordedBy)
      .where(sql`recorded_by is not null`),
    index('post_mortem_directives_verified_by')
      .on(t.verifiedBy)
      .where(sql`verified_by is not null`),
    index('post_mortem_directives_executed_by')
      .on(t.executedBy)
      .where(sql`executed_by is not null`),
  ],
)

import { sql } from 'drizzle-orm'
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations'

export const LEGAL_STATUSES = ['parent', 'legal_guardian', 'other_contact'] as const
export type LegalStatus = (typeof LEGAL_STATUSES)[number]

/**
 * Which adult may see which child, in which organization. A link is active while it has
 * started, is not suspended and has not ended; only active links reach the permission policy
 * (app/permissions/guardian-links.server.ts). At most 4 current links per child (model).
 * Per-class "guardians informed" records and per-child authorisations are NOT here: they are
 * the consent log (append-only), whose latest entry per child is the current state.
 */
export const guardianLinks = pgTable(
  'guardian_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    childId: uuid('child_id').notNull(),
    guardianId: uuid('guardian_id').notNull(),
    legalStatus: text('legal_status', { enum: LEGAL_STATUSES }).notNull(),
    canSeeRecord: boolean('can_see_record').notNull().default(true),
    canReceiveMessages: boolean('can_receive_messages').notNull().default(true),
    canGiveConsent: boolean('can_give_consent').notNull().default(false),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: uuid('ended_by'),
    // e.g. a court decision: access stops on the guardian's next request.
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    suspendedBy: uuid('suspended_by'),
    suspensionReason: text('suspension_reason'),
    // How the link was made: a link code (letter or email), or the family space itself.
    codeId: uuid('code_id'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('guardian_links_guardian').on(t.guardianId),
    index('guardian_links_child').on(t.orgId, t.childId),
    index('guardian_links_child_only').on(t.childId),
    index('guardian_links_created_by')
      .on(t.createdBy)
      .where(sql`created_by is not null`),
    index('guardian_links_ended_by')
      .on(t.endedBy)
      .where(sql`ended_by is not null`),
    index('guardian_links_suspended_by')
      .on(t.suspendedBy)
      .where(sql`suspended_by is not null`),
    // One current link per (child, guardian); ended links stay as history.
    uniqueIndex('guardian_links_current')
      .on(t.orgId, t.childId, t.guardianId)
      .where(sql`ended_at is null`),
  ],
)

/**
 * Single-use codes that link a guardian to a school child: printed on a link letter or sent
 * by email (from a roster guardian invitation). Only an HMAC of the code is stored.
 */
export const linkCodes = pgTable(
  'link_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    childId: uuid('child_id').notNull(),
    codeHash: text('code_hash').notNull(),
    channel: text('channel', { enum: ['letter', 'email'] }).notNull(),
    // Emailed codes come from a guardian invitation (roster import or typed by the school).
    invitationId: uuid('invitation_id'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastPrintedAt: timestamp('last_printed_at', { withTimezone: true }),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedBy: uuid('used_by'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason', { enum: ['not_my_child', 'replaced', 'revoked'] }),
  },
  (t) => [
    uniqueIndex('link_codes_hash').on(t.codeHash),
    index('link_codes_child').on(t.orgId, t.childId),
    index('link_codes_invitation').on(t.invitationId),
    index('link_codes_child_only').on(t.childId),
    index('link_codes_created_by')
      .on(t.createdBy)
      .where(sql`created_by is not null`),
    index('link_codes_used_by')
      .on(t.usedBy)
      .where(sql`used_by is not null`),
  ],
)

/** "This is not my child": the code is cancelled and the school sees this alert. */
export const linkAlerts = pgTable(
  'link_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    childId: uuid('child_id').notNull(),
    codeId: uuid('code_id').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    reportedBy: uuid('reported_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by'),
  },
  (t) => [
    index('link_alerts_org').on(t.orgId, t.resolvedAt),
    index('link_alerts_child').on(t.childId),
    index('link_alerts_reported_by')
      .on(t.reportedBy)
      .where(sql`reported_by is not null`),
    index('link_alerts_resolved_by')
      .on(t.resolvedBy)
      .where(sql`resolved_by is not null`),
  ],
)

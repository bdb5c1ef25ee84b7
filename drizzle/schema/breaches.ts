import { sql } from 'drizzle-orm'
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations'

/**
 * The processor's breach register (DPA §10.2, GDPR Art. 33(3)): what happened, how many
 * people and records, the likely consequences and the measures. Written by the platform
 * operator; each affected organization is notified at once and sees its own 72-hour clock.
 */
export const breaches = pgTable(
  'breaches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Printed on notices, e.g. BRE-2026-0001. */
    reference: text('reference').notNull(),
    nature: text('nature').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
    subjectCategories: text('subject_categories').notNull(),
    approxSubjects: integer('approx_subjects'),
    recordCategories: text('record_categories').notNull(),
    approxRecords: integer('approx_records'),
    consequences: text('consequences').notNull(),
    measures: text('measures').notNull(),
    recordedBy: uuid('recorded_by'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('breaches_reference').on(t.reference)],
)

export const SUBJECTS_INFORMED = ['yes', 'no', 'not_required'] as const

/** One affected organization: when it was informed (its 72-hour clock starts there) and what its DPO recorded. */
export const breachOrgs = pgTable(
  'breach_orgs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    breachId: uuid('breach_id')
      .notNull()
      .references(() => breaches.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    informedAt: timestamp('informed_at', { withTimezone: true }).notNull(),
    recipients: integer('recipients').notNull().default(0),
    authorityNotifiedAt: timestamp('authority_notified_at', { withTimezone: true }),
    authorityReference: text('authority_reference'),
    subjectsInformed: text('subjects_informed', { enum: SUBJECTS_INFORMED }),
    subjectsInformedAt: timestamp('subjects_informed_at', { withTimezone: true }),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('breach_orgs_once').on(t.breachId, t.orgId), index('breach_orgs_org').on(t.orgId)],
)

/** Information added in phases (Art. 33(4)): by the operator (org_id null, sent to every affected organization) or by one organization's DPO. */
export const breachUpdates = pgTable(
  'breach_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    breachId: uuid('breach_id')
      .notNull()
      .references(() => breaches.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    authorId: uuid('author_id'),
    text: text('text').notNull(),
  },
  (t) => [
    index('breach_updates_breach').on(t.breachId, t.at),
    index('breach_updates_org')
      .on(t.orgId)
      .where(sql`org_id is not null`),
  ],
)

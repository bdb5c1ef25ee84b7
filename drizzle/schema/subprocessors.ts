import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations'

/** The processor's sub-processors (DPA §8, Annex C), shown to every organization. */
export const subprocessors = pgTable('subprocessors', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  registrationNumber: text('registration_number').notNull(),
  activity: text('activity').notNull(),
  /** Transfer of personal data outside the EU (Annex C "Personal Data Transfer"). */
  personalDataTransfer: boolean('personal_data_transfer').notNull().default(false),
  contract: text('contract').notNull(),
  position: integer('position').notNull().default(0),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  /** Active from this date (after the objection window of its announcement). */
  effectiveAt: timestamp('effective_at', { withTimezone: true }),
  removedAt: timestamp('removed_at', { withTimezone: true }),
})

export const SUBPROCESSOR_CHANGE_KINDS = ['addition', 'replacement'] as const

/** An intended addition or replacement, announced to every controller (DPA §8: 7 business days to object). */
export const subprocessorChanges = pgTable('subprocessor_changes', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind', { enum: SUBPROCESSOR_CHANGE_KINDS }).notNull(),
  subprocessorId: uuid('subprocessor_id')
    .notNull()
    .references(() => subprocessors.id, { onDelete: 'cascade' }),
  replacesId: uuid('replaces_id').references(() => subprocessors.id, { onDelete: 'set null' }),
  description: text('description').notNull(),
  announcedAt: timestamp('announced_at', { withTimezone: true }).notNull(),
  announcedBy: uuid('announced_by'),
})

/** The announcement as received by one organization, its own objection deadline, and its objection. */
export const subprocessorChangeOrgs = pgTable(
  'subprocessor_change_orgs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    changeId: uuid('change_id')
      .notNull()
      .references(() => subprocessorChanges.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    notifiedAt: timestamp('notified_at', { withTimezone: true }).notNull(),
    objectionDeadline: timestamp('objection_deadline', { withTimezone: true }).notNull(),
    objectedAt: timestamp('objected_at', { withTimezone: true }),
    objectedBy: uuid('objected_by'),
    /** The consent-log entry ('objection_recorded') that is the objection's evidence. */
    consentRecordId: uuid('consent_record_id'),
  },
  (t) => [uniqueIndex('subprocessor_change_orgs_once').on(t.changeId, t.orgId), index('subprocessor_change_orgs_org').on(t.orgId)],
)

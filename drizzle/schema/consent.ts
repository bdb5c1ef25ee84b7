import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const CONSENT_EVENTS = [
  'terms_accepted', // acceptance of a Terms / Privacy / DPA version
  'parental_consent_given',
  'parental_consent_withdrawn',
  'guardians_informed',
  'authorisation_obtained',
  'authorisation_refused',
  'authorisation_withdrawn',
  'objection_recorded',
  'support_access_granted',
] as const
export type ConsentEvent = (typeof CONSENT_EVENTS)[number]

/**
 * The consent and authorisation log: append-only (a trigger refuses UPDATE and DELETE) and
 * hash-chained per organization. Ids only — no names or emails — so it can outlive erasure.
 */
export const consentRecords = pgTable(
  'consent_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    seq: integer('seq').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    event: text('event', { enum: CONSENT_EVENTS }).notNull(),
    state: text('state', { enum: ['given', 'refused', 'withdrawn', 'recorded'] }).notNull(),
    subjectId: uuid('subject_id'),
    actorId: uuid('actor_id'),
    onBehalfOf: uuid('on_behalf_of'),
    documentKind: text('document_kind'),
    documentVersion: text('document_version'),
    purpose: text('purpose'),
    method: text('method').notNull(),
    language: text('language'),
    details: jsonb('details'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('consent_records_org_seq').on(t.orgId, t.seq), index('consent_records_subject').on(t.subjectId)],
)

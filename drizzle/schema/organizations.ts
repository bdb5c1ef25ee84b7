import { sql } from 'drizzle-orm'
import { boolean, cidr, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const ORG_KINDS = ['school', 'family', 'practice'] as const
export type OrgKind = (typeof ORG_KINDS)[number]
export const FAMILY_PLANS = ['solo', 'family'] as const

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind', { enum: ORG_KINDS }).notNull(),
  name: text('name').notNull(),
  /** A school's town, as the public finds it on the rights-request form (never set for a family space). */
  city: text('city'),
  /** A school's official establishment code (in France the UAI, e.g. 0751234A), searchable on the rights-request form. */
  officialCode: text('official_code'),
  country: text('country').notNull().default('FR'),
  plan: text('plan', { enum: FAMILY_PLANS }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  subscriptionEndsAt: timestamp('subscription_ends_at', { withTimezone: true }),
  lastAccessReviewAt: timestamp('last_access_review_at', { withTimezone: true }),
  lastAccessReviewBy: uuid('last_access_review_by'),
})

export const ROLES = ['admin', 'teacher', 'dpo', 'guardian', 'child'] as const
export type Role = (typeof ROLES)[number]
export const STAFF_ROLES: readonly Role[] = ['admin', 'teacher', 'dpo']

export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    // archived: a child who left the school (kept until the admin erases them).
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('memberships_org_user_role').on(t.orgId, t.userId, t.role), index('memberships_user').on(t.userId)],
)

/**
 * The networks an organization declares as its own (a school's public address behind which
 * every device sits). Login failures for the organization's accounts from such a network are
 * counted against the network's ceiling instead of the general per-address one (ADR 013).
 */
export const orgNetworks = pgTable(
  'org_networks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    cidr: cidr('cidr').notNull(),
    label: text('label').notNull(),
    // Failed logins per address of this network in 15 minutes before attempts wait.
    ceiling: integer('ceiling').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [uniqueIndex('org_networks_org_cidr').on(t.orgId, t.cidr)],
)

export const classes = pgTable(
  'classes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    level: text('level'),
    schoolYear: text('school_year').notNull(),
    // Typed by children on a shared tablet before picking their name.
    loginCode: text('login_code').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('classes_org_name_year').on(t.orgId, t.name, t.schoolYear), uniqueIndex('classes_login_code').on(t.loginCode)],
)

export const groups = pgTable(
  'groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('groups_class_name').on(t.classId, t.name), index('groups_org').on(t.orgId)],
)

export const classTeachers = pgTable(
  'class_teachers',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: ['lead', 'co'] })
      .notNull()
      .default('lead'),
  },
  (t) => [uniqueIndex('class_teachers_pk').on(t.classId, t.userId), index('class_teachers_user').on(t.userId), index('class_teachers_org').on(t.orgId)],
)

export const enrolments = pgTable(
  'enrolments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    childId: uuid('child_id').notNull(),
    groupId: uuid('group_id').references(() => groups.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('enrolments_class_child').on(t.classId, t.childId),
    index('enrolments_child').on(t.childId),
    index('enrolments_org').on(t.orgId),
    index('enrolments_group')
      .on(t.groupId)
      .where(sql`group_id is not null`),
  ],
)

/** School-side facts about a child that are not account data (external id from the roster). */
export const childProfiles = pgTable(
  'child_profiles',
  {
    childId: uuid('child_id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    externalId: text('external_id'),
    // Login card: a QR token and a short typed code, both stored hashed; regenerating replaces both.
    cardTokenHash: text('card_token_hash'),
    cardCodeHash: text('card_code_hash'),
    cardIssuedAt: timestamp('card_issued_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('child_profiles_org_external')
      .on(t.orgId, t.externalId)
      .where(sql`external_id is not null`),
    uniqueIndex('child_profiles_card_token').on(t.cardTokenHash),
    index('child_profiles_org').on(t.orgId),
  ],
)

export const accessReviews = pgTable(
  'access_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    reviewedBy: uuid('reviewed_by').notNull(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }).notNull(),
    membersCount: integer('members_count').notNull(),
  },
  (t) => [index('access_reviews_org').on(t.orgId)],
)

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    // Guardian invitations created by a roster import stay pending until the families flow sends them.
    pendingDelivery: boolean('pending_delivery').notNull().default(false),
  },
  (t) => [
    uniqueIndex('invitations_token').on(t.tokenHash),
    index('invitations_org_email').on(t.orgId, t.email),
    index('invitations_email_lower').on(sql`lower(${t.email})`),
    index('invitations_accepted_by')
      .on(t.acceptedBy)
      .where(sql`accepted_by is not null`),
  ],
)

/** Which children a guardian invitation covers (two siblings, one email: one invitation). */
export const invitationChildren = pgTable(
  'invitation_children',
  {
    invitationId: uuid('invitation_id')
      .notNull()
      .references(() => invitations.id, { onDelete: 'cascade' }),
    childId: uuid('child_id').notNull(),
  },
  (t) => [uniqueIndex('invitation_children_pk').on(t.invitationId, t.childId), index('invitation_children_child').on(t.childId)],
)

export const rosterImports = pgTable(
  'roster_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    fileName: text('file_name').notNull(),
    format: text('format', { enum: ['generic', 'oneroster'] }).notNull(),
    status: text('status', { enum: ['planned', 'running', 'done', 'failed'] }).notNull(),
    // The parsed roster and the dry-run plan: names and dates of birth, so erased with the org
    // and purged 30 days after commit (see classification).
    payload: jsonb('payload'),
    plan: jsonb('plan'),
    progress: integer('progress').notNull().default(0),
    total: integer('total').notNull().default(0),
    error: text('error'),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('roster_imports_org').on(t.orgId)],
)

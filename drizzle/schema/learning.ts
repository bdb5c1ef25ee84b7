import { sql } from 'drizzle-orm'
import { bigint, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { classes, groups, organizations } from './organizations'

export const ACTIVITY_KINDS = ['quiz', 'observation'] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]
export const LEVELS = ['not_yet', 'in_progress', 'acquired'] as const
export type Level = (typeof LEVELS)[number]
export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed', 'expired'] as const
export type ExportStatus = (typeof EXPORT_STATUSES)[number]

/**
 * The school's skills (French curriculum, cycles 1–3 by default; the school edits them). An
 * archived skill keeps its observations but is offered for no new activity.
 */
export const skills = pgTable(
  'skills',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    label: text('label').notNull(),
    domain: text('domain').notNull(),
    cycle: integer('cycle').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('skills_org_code').on(t.orgId, t.code), index('skills_org_cycle').on(t.orgId, t.cycle, t.position)],
)

/**
 * Something a class (or one of its groups) does: a quiz the children answer, or an
 * observation the teacher records. `publishedAt` (+ optional `releaseAt`) publishes every
 * result/observation of the activity to families at once; single items have their own.
 */
export const activities = pgTable(
  'activities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').references(() => groups.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: ACTIVITY_KINDS }).notNull(),
    title: text('title').notNull(),
    instructions: text('instructions'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    releaseAt: timestamp('release_at', { withTimezone: true }),
    publishedBy: uuid('published_by'),
  },
  (t) => [
    index('activities_class').on(t.classId, t.createdAt),
    index('activities_org').on(t.orgId),
    index('activities_group')
      .on(t.groupId)
      .where(sql`group_id is not null`),
  ],
)

export const activitySkills = pgTable(
  'activity_skills',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    skillId: uuid('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('activity_skills_pk').on(t.activityId, t.skillId), index('activity_skills_skill').on(t.skillId), index('activity_skills_org').on(t.orgId)],
)

export const quizQuestions = pgTable(
  'quiz_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    /** The choices, in order: string[]. */
    choices: jsonb('choices').$type<string[]>().notNull(),
    correctIndex: integer('correct_index').notNull(),
    pictureUrl: text('picture_url'),
  },
  (t) => [uniqueIndex('quiz_questions_order').on(t.activityId, t.position), index('quiz_questions_org').on(t.orgId)],
)

/** A child's answers to a quiz, auto-scored. One per child and activity. */
export const results = pgTable(
  'results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    childId: uuid('child_id').notNull(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    score: integer('score').notNull(),
    max: integer('max').notNull(),
    /** The index chosen for each question, in question order: (number | null)[]. */
    answers: jsonb('answers').$type<(number | null)[]>().notNull(),
    durationMs: integer('duration_ms'),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by'),
  },
  (t) => [uniqueIndex('results_activity_child').on(t.activityId, t.childId), index('results_org_child').on(t.orgId, t.childId), index('results_child').on(t.childId)],
)

/** A teacher's observation of one child on one skill, on a given day. */
export const observations = pgTable(
  'observations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    activityId: uuid('activity_id').references(() => activities.id, { onDelete: 'cascade' }),
    childId: uuid('child_id').notNull(),
    skillId: uuid('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    level: text('level', { enum: LEVELS }).notNull(),
    note: text('note'),
    observedOn: date('observed_on').notNull(),
    teacherId: uuid('teacher_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by'),
  },
  (t) => [
    index('observations_class_child').on(t.classId, t.childId, t.observedOn),
    index('observations_org_child').on(t.orgId, t.childId),
    index('observations_activity')
      .on(t.activityId)
      .where(sql`activity_id is not null`),
    index('observations_child').on(t.childId),
    index('observations_skill').on(t.skillId),
    index('observations_teacher')
      .on(t.teacherId)
      .where(sql`teacher_id is not null`),
    index('observations_published_by')
      .on(t.publishedBy)
      .where(sql`published_by is not null`),
  ],
)

/**
 * A large export built in the background: a ZIP under DATA_DIR, downloadable by its author
 * for 7 days, then deleted by the sweep. The file is personal data (DESIGN §3.11).
 */
export const exportFiles = pgTable(
  'export_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** { kind: 'class' | 'school', classId?, from?, to? } */
    scope: jsonb('scope').$type<{ kind: 'class' | 'school'; classId?: string; from?: string; to?: string }>().notNull(),
    authorId: uuid('author_id').notNull(),
    lang: text('lang', { enum: ['fr', 'en'] })
      .notNull()
      .default('fr'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: EXPORT_STATUSES }).notNull(),
    progress: integer('progress').notNull().default(0),
    total: integer('total').notNull().default(0),
    fileName: text('file_name'),
    path: text('path'),
    sha256: text('sha256'),
    bytes: bigint('bytes', { mode: 'number' }),
    error: text('error'),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Last sign of life of the job building it (bytes written, a child done): a running export
     *  silent for longer than the stall limit is marked failed by the sweep and its partial file deleted. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  },
  (t) => [
    index('export_files_org_author').on(t.orgId, t.authorId, t.createdAt),
    index('export_files_expires').on(t.expiresAt),
    index('export_files_author').on(t.authorId),
    index('export_files_unfinished')
      .on(t.heartbeatAt)
      .where(sql`status in ('queued', 'running')`),
  ],
)

/**
 * One row per class whose grid has changed since the migration: `version` is the id of the last
 * transaction that changed anything the class grid shows (results, observations, publication,
 * enrolment, names, activities and their skills, groups). Written only by database triggers
 * (the class_grid_versions migration), so every write path — the pages, the roster import, an erasure — moves it,
 * and every process sees it. The grid's cache (app/models/learning/grid-cache.server.ts) is
 * valid while this number is unchanged. No personal data: a class id and a counter.
 */
export const classGridVersions = pgTable('class_grid_versions', {
  classId: uuid('class_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
})

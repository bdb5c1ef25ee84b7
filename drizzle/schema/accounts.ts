import { sql } from 'drizzle-orm'
import { date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/** A person: adult (email + password) or child (no email; logs in with a card or a username). */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['adult', 'child'] }).notNull(),
    email: text('email'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    passwordHash: text('password_hash'),
    // Older children may get a username + password set by their teacher.
    username: text('username'),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    birthDate: date('birth_date'),
    locale: text('locale', { enum: ['fr', 'en'] }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    // Set at once by a deletion request: login refused, hidden from lists.
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email').on(t.email),
    uniqueIndex('users_username').on(t.username),
    // Erasure deletes rows holding the person's address whatever its case (plan.server.ts).
    index('users_email_lower')
      .on(sql`lower(${t.email})`)
      .where(sql`email is not null`),
  ],
)

/** Lucia-style sessions: the id is the SHA-256 of the cookie token, never the token itself. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['adult', 'child'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
    ip: text('ip'),
    // Staff sessions idle for 30 minutes are locked until the password is typed again.
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    // Child sessions are opened on a device the teacher may end (class tablet).
    openedBy: uuid('opened_by'),
  },
  (t) => [
    index('sessions_user').on(t.userId),
    index('sessions_expires').on(t.expiresAt),
    index('sessions_opened_by')
      .on(t.openedBy)
      .where(sql`opened_by is not null`),
  ],
)

export const userTokens = pgTable(
  'user_tokens',
  {
    id: text('id').primaryKey(), // SHA-256 of the emailed token
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['verify_email', 'reset_password'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('user_tokens_user').on(t.userId), index('user_tokens_expires').on(t.expiresAt)],
)

/**
 * Login throttling counters, one row per counted key (an account, an account at an address, an
 * address, a child's code…) and fixed 15-minute window. `key` is an HMAC (server secret) of
 * the scope and the subject, so the table never holds an email or an address in clear. An
 * attempt is reserved here, in one statement, before its password or code is checked
 * (app/auth/throttle.server.ts, ADR 013).
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_throttle_window').on(t.windowStartedAt)],
)

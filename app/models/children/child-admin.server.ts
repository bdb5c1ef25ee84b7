// The staff side of children's login: a child's profile as a teacher sees it, regenerating a
// card, the child's open sessions (and ending them), and a username/password for older pupils.
import { and, asc, eq, gt, inArray, isNull, ne } from 'drizzle-orm'
import { childProfiles, classes, enrolments, memberships, sessions, users } from '../../../drizzle/schema'
import { hashPassword } from '../../auth/password.server'
import { COMMON_PASSWORDS } from '../../auth/common-passwords'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { issueChildCard } from './login-card.server'

type Actor = { actorId: string; origin: RequestOrigin }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Ids come from URLs and forms: a malformed one is "not found", not a database error. */
export const isUuid = (v: string) => UUID.test(v)

/** A child of the organization, with the classes they are enrolled in (for the policy: classIds). */
export async function getChildForStaff(db: DbOrTx, { orgId, childId }: { orgId: string; childId: string }) {
  if (!isUuid(orgId) || !isUuid(childId)) throw new NotFound('child')
  const [row] = await db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      birthDate: users.birthDate,
      username: users.username,
      passwordHash: users.passwordHash,
      deactivatedAt: users.deactivatedAt,
      status: memberships.status,
      cardIssuedAt: childProfiles.cardIssuedAt,
    })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId), eq(memberships.role, 'child')))
    .leftJoin(childProfiles, and(eq(childProfiles.childId, users.id), eq(childProfiles.orgId, orgId)))
    .where(and(eq(users.id, childId), eq(users.kind, 'child')))
  if (!row) throw new NotFound('child')
  const cls = await db
    .select({ id: classes.id, name: classes.name, schoolYear: classes.schoolYear })
    .from(enrolments)
    .innerJoin(classes, and(eq(classes.id, enrolments.classId), eq(classes.orgId, orgId)))
    .where(and(eq(enrolments.childId, childId), eq(enrolments.orgId, orgId)))
    .orderBy(asc(classes.name))
  const { passwordHash, ...rest } = row
  return { ...rest, orgId, hasPassword: !!passwordHash, classes: cls, classIds: cls.map((c) => c.id) }
}

/** A new card for one child: the old QR code and short code stop working at once. */
export async function regenerateCard(db: DbOrTx, a: { orgId: string; childId: string } & Actor) {
  await getChildForStaff(db, a)
  const card = await issueChildCard(db, { orgId: a.orgId, childId: a.childId })
  await recordAudit(db, {
    action: 'child.card_regenerated',
    actorId: a.actorId,
    orgId: a.orgId,
    targetType: 'user',
    targetId: a.childId,
    ...a.origin,
  })
  return card
}

export type ChildSessionRow = { ref: string; userAgent: string | null; createdAt: Date; lastSeenAt: Date; expiresAt: Date }

/**
 * The child's sessions still open (8 hours each). Rows are referred to by a prefix of the
 * session id (itself a hash of the cookie token), enough to tell them apart.
 */
export async function listChildSessions(db: DbOrTx, { orgId, childId }: { orgId: string; childId: string }): Promise<ChildSessionRow[]> {
  await assertChildOfOrg(db, orgId, childId)
  const rows = await db
    .select({ id: sessions.id, userAgent: sessions.userAgent, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.userId, childId), eq(sessions.kind, 'child'), gt(sessions.expiresAt, now())))
    .orderBy(asc(sessions.createdAt))
  return rows.map(({ id, ...r }) => ({ ref: id.slice(0, 16), ...r }))
}

/** A teacher ends one of the child's sessions: the child's next request lands on the login page. */
export async function endChildSession(db: DbOrTx, a: { orgId: string; childId: string; ref: string } & Actor) {
  await assertChildOfOrg(db, a.orgId, a.childId)
  if (a.ref.length < 16) throw new NotFound('session')
  const mine = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, a.childId), eq(sessions.kind, 'child')))
  const target = mine.find((s) => s.id.startsWith(a.ref))
  if (!target) throw new NotFound('session')
  await db.delete(sessions).where(and(eq(sessions.id, target.id), eq(sessions.userId, a.childId)))
  await recordAudit(db, {
    action: 'auth.child_session_ended',
    actorId: a.actorId,
    orgId: a.orgId,
    targetType: 'user',
    targetId: a.childId,
    ...a.origin,
  })
}

export const CHILD_MIN_PASSWORD_LENGTH = 8
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/
// Short passwords that the shared list (12+ characters) does not hold.
const COMMON_SHORT = new Set([
  'password',
  'motdepasse',
  '12345678',
  '123456789',
  '1234567890',
  'azertyui',
  'azertyuiop',
  'qwertyui',
  'qwertyuiop',
  'iloveyou',
  'football',
  'jetaime1',
  'soleil123',
  'bonjour1',
  'doudou123',
  'abcdefgh',
  '11111111',
  '00000000',
])

/**
 * Why children's passwords have a simpler policy (8 characters, not the adults' 12): the
 * teacher sets them and the child must remember and type them on a shared tablet — a long one
 * ends up written on the desk. The risk is bounded: guessing is throttled (5 failures per 15
 * minutes for the account and for the address), the hash is Argon2id, and a child session
 * only reaches the child's own activities. ANSSI's authentication guidance accepts a shorter
 * secret when the number of attempts is limited. Common and one-character passwords, and
 * passwords containing the username or first name, are still refused.
 */
export function childPasswordProblem(password: string, ctx: { username: string; firstName: string }) {
  if ([...password].length < CHILD_MIN_PASSWORD_LENGTH) return 'children.password_too_short'
  if (password.length > 256) return 'children.password_too_long'
  const lower = password.toLowerCase()
  if (COMMON_PASSWORDS.has(lower) || COMMON_SHORT.has(lower) || new Set(lower).size <= 2) return 'children.password_common'
  const first = ctx.firstName.toLowerCase().trim()
  if (lower.includes(ctx.username.toLowerCase()) || (first.length >= 3 && lower.includes(first))) return 'children.password_contains_name'
  return null
}

/** Older children: the teacher sets a username (unique, lower case, no '@') and a password. */
export async function setChildUsernamePassword(db: DbOrTx, a: { orgId: string; childId: string; username: string; password: string } & Actor) {
  const child = await getChildForStaff(db, a)
  const username = a.username.trim().toLowerCase()
  if (!USERNAME.test(username)) throw new Invalid('children.username_invalid')
  const problem = childPasswordProblem(a.password, { username, firstName: child.firstName })
  if (problem) throw new Invalid(problem, { min: CHILD_MIN_PASSWORD_LENGTH })
  const [taken] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.username, username), ne(users.id, a.childId)))
  if (taken) throw new Conflict('children.username_taken')
  const passwordHash = await hashPassword(a.password)
  await db
    .update(users)
    .set({ username, passwordHash })
    .where(and(eq(users.id, a.childId), eq(users.kind, 'child')))
  await recordAudit(db, {
    action: 'child.credentials_set',
    actorId: a.actorId,
    orgId: a.orgId,
    targetType: 'user',
    targetId: a.childId,
    ...a.origin,
    details: { usernameChanged: username !== child.username },
  })
  return { username }
}

async function assertChildOfOrg(db: DbOrTx, orgId: string, childId: string) {
  if (!isUuid(orgId) || !isUuid(childId)) throw new NotFound('child')
  const [m] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, childId), eq(memberships.role, 'child')))
  if (!m) throw new NotFound('child')
}

/** The children of a class, for printing cards (only = 'new': those who never had a card). */
export async function classChildrenForCards(db: DbOrTx, a: { orgId: string; classId: string; only: 'all' | 'new'; childIds?: string[] }) {
  const rows = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, hasCard: childProfiles.cardTokenHash })
    .from(enrolments)
    .innerJoin(users, and(eq(users.id, enrolments.childId), eq(users.kind, 'child'), isNull(users.deactivatedAt)))
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, a.orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .leftJoin(childProfiles, and(eq(childProfiles.childId, users.id), eq(childProfiles.orgId, a.orgId)))
    .where(
      and(
        eq(enrolments.classId, a.classId),
        eq(enrolments.orgId, a.orgId),
        a.childIds ? inArray(enrolments.childId, a.childIds.length ? a.childIds : ['00000000-0000-0000-0000-000000000000']) : undefined,
      ),
    )
    .orderBy(asc(users.firstName), asc(users.lastName))
  return rows.filter((r) => a.only === 'all' || !r.hasCard)
}

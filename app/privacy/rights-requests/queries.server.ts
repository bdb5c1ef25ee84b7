// Reading rights requests: the DPO's list and detail (scoped to the organization), and the
// operator's register of every request (forwarding facts only, no learning data).
import { and, asc, desc, eq, inArray, ne, isNull } from 'drizzle-orm'
import { classes, enrolments, memberships, organizations, rightsRequestEvents, rightsRequests, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { activeRestriction } from '../../compliance/restriction.server'
import { effectiveDue, forwardingLate, urgency } from './deadlines.server'

type Row = typeof rightsRequests.$inferSelect

export function withFlags(r: Row, at = now()) {
  return { ...r, effectiveDueAt: effectiveDue(r), urgency: urgency(r, at), forwardingLate: forwardingLate(r, at) }
}

export async function listRequests(db: DbOrTx, orgId: string, opts: { open?: boolean } = {}) {
  const rows = await db
    .select()
    .from(rightsRequests)
    .where(and(eq(rightsRequests.orgId, orgId), ne(rightsRequests.status, 'awaiting_verification'), opts.open ? ne(rightsRequests.status, 'closed') : undefined))
    .orderBy(desc(rightsRequests.receivedAt))
  const at = now()
  const order = { overdue: 0, nearly_due: 1, on_time: 2, unverified: 3, closed: 4 }
  return rows.map((r) => withFlags(r, at)).sort((a, b) => order[a.urgency] - order[b.urgency] || (a.effectiveDueAt?.getTime() ?? 0) - (b.effectiveDueAt?.getTime() ?? 0))
}

export async function getRequest(db: DbOrTx, orgId: string, requestId: string) {
  const [r] = await db
    .select()
    .from(rightsRequests)
    .where(and(eq(rightsRequests.id, requestId), eq(rightsRequests.orgId, orgId), ne(rightsRequests.status, 'awaiting_verification')))
  if (!r) throw new NotFound('rights_request')
  return withFlags(r)
}

export async function requestEvents(db: DbOrTx, requestId: string) {
  const rows = await db
    .select({ e: rightsRequestEvents, firstName: users.firstName, lastName: users.lastName })
    .from(rightsRequestEvents)
    .leftJoin(users, eq(users.id, rightsRequestEvents.actorId))
    .where(eq(rightsRequestEvents.requestId, requestId))
    .orderBy(asc(rightsRequestEvents.at))
  return rows.map((r) => ({ ...r.e, actorName: r.firstName ? `${r.firstName} ${r.lastName}` : null }))
}

/** The data subject as the school knows them (identification, role, classes, restriction). */
export async function subjectSummary(db: DbOrTx, orgId: string, subjectId: string) {
  const [u] = await db.select().from(users).where(eq(users.id, subjectId))
  if (!u) return null
  const roles = await db
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, subjectId)))
  const cls = await db
    .select({ id: classes.id, name: classes.name })
    .from(enrolments)
    .innerJoin(classes, eq(classes.id, enrolments.classId))
    .where(and(eq(enrolments.orgId, orgId), eq(enrolments.childId, subjectId)))
  return {
    id: u.id,
    kind: u.kind,
    firstName: u.firstName,
    lastName: u.lastName,
    birthDate: u.birthDate,
    email: u.email,
    roles: roles.map((r) => r.role),
    classes: cls,
    restriction: await activeRestriction(db, orgId, subjectId),
  }
}

/** Members the DPO can name as the subject (children first, then adults). */
export async function subjectCandidates(db: DbOrTx, orgId: string) {
  const rows = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, birthDate: users.birthDate, kind: users.kind, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), isNull(users.deactivatedAt)))
    .orderBy(desc(users.kind), asc(users.lastName), asc(users.firstName))
  const seen = new Set<string>()
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id))
}

/** The operator's register: forwarding facts of every request, platform-wide. */
export async function operatorRegister(db: DbOrTx, opts: { orgIds?: string[] } = {}) {
  const rows = await db
    .select({ r: rightsRequests, orgName: organizations.name })
    .from(rightsRequests)
    .innerJoin(organizations, eq(organizations.id, rightsRequests.orgId))
    .where(and(ne(rightsRequests.status, 'awaiting_verification'), opts.orgIds ? inArray(rightsRequests.orgId, opts.orgIds) : undefined))
    .orderBy(desc(rightsRequests.receivedAt))
    .limit(500)
  const at = now()
  return rows.map(({ r, orgName }) => ({ ...withFlags(r, at), orgName }))
}

export async function allOrganizations(db: DbOrTx) {
  return db.select({ id: organizations.id, name: organizations.name, kind: organizations.kind }).from(organizations).orderBy(asc(organizations.name))
}

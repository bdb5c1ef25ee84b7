// Linking status as the school sees it: per child, which guardians are linked (active or
// suspended) and what is pending (invitations waiting to be sent or sent, letters printed);
// per class, how many children have a linked guardian; the open "not my child" alerts.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { classes, enrolments, guardianLinks, invitationChildren, invitations, linkAlerts, memberships, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { classAuthorisations, latestDecisions, type ChildLoginBlock } from './authorisations.server'
import { pendingCodes } from './codes.server'
import { isUuid, linksOfChildren, type ChildLinkItem } from './links.server'

export type InvitationItem = { id: string; email: string; state: 'not_sent' | 'sent' | 'expired' | 'accepted' | 'revoked'; lastSentAt: Date | null }

/** Guardian invitations (roster import or typed by the school) per child. */
export async function invitationsOfChildren(db: DbOrTx, { orgId, childIds }: { orgId: string; childIds: string[] }) {
  const out = new Map<string, InvitationItem[]>()
  if (!childIds.length) return out
  const rows = await db
    .select({ childId: invitationChildren.childId, inv: invitations })
    .from(invitationChildren)
    .innerJoin(invitations, eq(invitations.id, invitationChildren.invitationId))
    .where(and(eq(invitations.orgId, orgId), eq(invitations.role, 'guardian'), inArray(invitationChildren.childId, childIds)))
    .orderBy(asc(invitations.email))
  const at = now()
  for (const { childId, inv } of rows) {
    const state: InvitationItem['state'] = inv.acceptedAt ? 'accepted' : inv.revokedAt ? 'revoked' : inv.pendingDelivery || !inv.lastSentAt ? 'not_sent' : inv.expiresAt <= at ? 'expired' : 'sent'
    out.set(childId, [...(out.get(childId) ?? []), { id: inv.id, email: inv.email, state, lastSentAt: inv.lastSentAt }])
  }
  return out
}

export type ChildGuardianStatus = {
  id: string
  firstName: string
  lastName: string
  links: ChildLinkItem[]
  invitations: InvitationItem[]
  letters: number
  emails: number
  lastPrintedAt: Date | null
  alerts: number
  block: ChildLoginBlock | null
}

async function childrenOfClass(db: DbOrTx, orgId: string, classId: string) {
  return db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
    .from(enrolments)
    .innerJoin(users, and(eq(users.id, enrolments.childId), isNull(users.deactivatedAt)))
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .where(and(eq(enrolments.orgId, orgId), eq(enrolments.classId, classId)))
    .orderBy(asc(users.lastName), asc(users.firstName))
}

export async function guardianStatusOf(db: DbOrTx, orgId: string, children: { id: string; firstName: string; lastName: string }[]): Promise<ChildGuardianStatus[]> {
  const ids = children.map((c) => c.id)
  const [links, invs, codes, decisions, alerts] = await Promise.all([
    linksOfChildren(db, { orgId, childIds: ids }),
    invitationsOfChildren(db, { orgId, childIds: ids }),
    pendingCodes(db, { orgId, childIds: ids }),
    latestDecisions(db, { orgId, childIds: ids }),
    ids.length
      ? db
          .select({ childId: linkAlerts.childId })
          .from(linkAlerts)
          .where(and(eq(linkAlerts.orgId, orgId), inArray(linkAlerts.childId, ids), isNull(linkAlerts.resolvedAt)))
      : [],
  ])
  return children.map((c) => {
    const d = decisions.get(c.id)?.decision
    const pc = codes.get(c.id)
    return {
      ...c,
      links: links.get(c.id) ?? [],
      invitations: invs.get(c.id) ?? [],
      letters: pc?.letters ?? 0,
      emails: pc?.emails ?? 0,
      lastPrintedAt: pc?.lastPrintedAt ?? null,
      alerts: alerts.filter((x) => x.childId === c.id).length,
      block: d === 'refused' ? 'authorisation_refused' : d === 'withdrawn' ? 'authorisation_withdrawn' : null,
    }
  })
}

/** The class-wide linking status (children of one class). */
export async function classGuardianStatus(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  if (!isUuid(orgId) || !isUuid(classId)) throw new NotFound('class')
  const [cls] = await db
    .select()
    .from(classes)
    .where(and(eq(classes.id, classId), eq(classes.orgId, orgId)))
  if (!cls) throw new NotFound('class')
  const children = await guardianStatusOf(db, orgId, await childrenOfClass(db, orgId, classId))
  const summary = {
    children: children.length,
    linked: children.filter((c) => c.links.some((l) => l.state === 'active')).length,
    notSent: children.filter((c) => c.invitations.some((i) => i.state === 'not_sent')).length,
    sent: children.filter((c) => c.invitations.some((i) => i.state === 'sent')).length,
    lettersPending: children.filter((c) => c.letters > 0).length,
    suspended: children.filter((c) => c.links.some((l) => l.state === 'suspended')).length,
    alerts: children.reduce((n, c) => n + c.alerts, 0),
  }
  return { klass: { id: cls.id, name: cls.name, schoolYear: cls.schoolYear }, children, summary }
}

/** Per class of the school: children, children with an active guardian, invitations not sent yet. */
export async function orgLinkingOverview(db: DbOrTx, { orgId }: { orgId: string }) {
  const rows = await db.execute<{ id: string; name: string; children: number; linked: number; not_sent: number; alerts: number }>(sql`
    select c.id, c.name,
      count(distinct e.child_id)::int as children,
      count(distinct gl.child_id)::int as linked,
      count(distinct case when i.pending_delivery then ic.child_id end)::int as not_sent,
      count(distinct la.id)::int as alerts
    from ${classes} c
    left join ${enrolments} e on e.class_id = c.id and e.org_id = c.org_id
      and exists (select 1 from ${memberships} m where m.user_id = e.child_id and m.org_id = c.org_id and m.role = 'child' and m.status = 'active')
    left join ${guardianLinks} gl on gl.child_id = e.child_id and gl.org_id = c.org_id
      and gl.started_at <= ${now().toISOString()} and gl.suspended_at is null and (gl.ended_at is null or gl.ended_at > ${now().toISOString()})
    left join ${invitationChildren} ic on ic.child_id = e.child_id
    left join ${invitations} i on i.id = ic.invitation_id and i.org_id = c.org_id and i.role = 'guardian' and i.accepted_at is null and i.revoked_at is null
    left join ${linkAlerts} la on la.child_id = e.child_id and la.org_id = c.org_id and la.resolved_at is null
    where c.org_id = ${orgId} and c.archived_at is null
    group by c.id, c.name
    order by c.name`)
  return [...rows].map((r) => ({ id: r.id, name: r.name, children: r.children, linked: r.linked, notSent: r.not_sent, alerts: r.alerts }))
}

/** Suspended links of the organization (the admin's list of restrictions in force). */
export async function suspendedLinks(db: DbOrTx, { orgId }: { orgId: string }) {
  const rows = await db
    .select({ link: guardianLinks, gFirst: users.firstName, gLast: users.lastName })
    .from(guardianLinks)
    .innerJoin(users, eq(users.id, guardianLinks.guardianId))
    .where(and(eq(guardianLinks.orgId, orgId), sql`${guardianLinks.suspendedAt} is not null`, sql`(${guardianLinks.endedAt} is null or ${guardianLinks.endedAt} > ${now().toISOString()})`))
    .orderBy(asc(guardianLinks.suspendedAt))
  const childIds = [...new Set(rows.map((r) => r.link.childId))]
  const kids = childIds.length ? await db.select({ id: users.id, firstName: users.firstName, lastName: users.lastName }).from(users).where(inArray(users.id, childIds)) : []
  const kid = new Map(kids.map((k) => [k.id, `${k.firstName} ${k.lastName}`]))
  return rows.map((r) => ({
    id: r.link.id,
    childId: r.link.childId,
    childName: kid.get(r.link.childId) ?? '—',
    guardianName: `${r.gFirst} ${r.gLast}`,
    suspendedAt: r.link.suspendedAt!,
    reason: r.link.suspensionReason,
  }))
}

/** For the staff child page: guardians linked / pending and why the child cannot log in. */
export async function childFamilySummary(db: DbOrTx, { orgId, childId }: { orgId: string; childId: string }) {
  if (!isUuid(orgId) || !isUuid(childId)) throw new NotFound('child')
  const [child] = await db.select({ id: users.id, firstName: users.firstName, lastName: users.lastName }).from(users).where(eq(users.id, childId))
  if (!child) throw new NotFound('child')
  const [status] = await guardianStatusOf(db, orgId, [child])
  return status!
}

/** For the class page: children whose login is blocked, and open alerts. */
export async function classFamilyFlags(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  const auths = await classAuthorisations(db, { orgId, classId })
  const [alerts] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from ${linkAlerts} la
    where la.org_id = ${orgId} and la.resolved_at is null
      and exists (select 1 from ${enrolments} e where e.child_id = la.child_id and e.class_id = ${classId} and e.org_id = ${orgId})`)
  const [linked] = await db.execute<{ n: number }>(sql`
    select count(distinct gl.child_id)::int as n from ${guardianLinks} gl
    join ${enrolments} e on e.child_id = gl.child_id and e.class_id = ${classId} and e.org_id = ${orgId}
    where gl.org_id = ${orgId} and gl.started_at <= ${now().toISOString()} and gl.suspended_at is null
      and (gl.ended_at is null or gl.ended_at > ${now().toISOString()})`)
  return {
    blocked: auths.filter((c) => c.block).map((c) => ({ id: c.id, firstName: c.firstName, lastName: c.lastName, block: c.block! })),
    alerts: Number(alerts?.n ?? 0),
    linked: Number(linked?.n ?? 0),
    children: auths.length,
  }
}

/** Open "not my child" alerts per organization (for the administrators' navigation). */
export async function openAlertCounts(db: DbOrTx, orgIds: string[]) {
  const out = new Map<string, number>()
  if (!orgIds.length) return out
  const rows = await db
    .select({ orgId: linkAlerts.orgId, n: sql<number>`count(*)::int` })
    .from(linkAlerts)
    .where(and(inArray(linkAlerts.orgId, orgIds), isNull(linkAlerts.resolvedAt)))
    .groupBy(linkAlerts.orgId)
  for (const r of rows) out.set(r.orgId, r.n)
  return out
}

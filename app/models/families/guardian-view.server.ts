// What a guardian sees: the children of their ACTIVE links (from the principal, rebuilt on
// every request), across organizations — a family space and schools — and, for one child,
// the profile, the classes and their teachers. Nothing is read about any other child.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import { classes, classTeachers, enrolments, guardianLinks, organizations, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { latestParentalConsent } from './authorisations.server'
import { isUuid } from './links.server'
import { activeLinkWhere } from '../../permissions/guardian-links.server'

type Linked = { orgId: string; childId: string }

export type MyChild = { childId: string; orgId: string; firstName: string; lastName: string; orgName: string; orgKind: string; classNames: string[] }

/** The child switcher: every child the guardian is actively linked to, one row per (org, child). */
export async function myChildren(db: DbOrTx, linked: Linked[]): Promise<MyChild[]> {
  if (!linked.length) return []
  const childIds = [...new Set(linked.map((l) => l.childId))]
  const orgIds = [...new Set(linked.map((l) => l.orgId))]
  const [people, orgs, cls] = await Promise.all([
    db
      .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(and(inArray(users.id, childIds), isNull(users.deactivatedAt))),
    db.select({ id: organizations.id, name: organizations.name, kind: organizations.kind }).from(organizations).where(inArray(organizations.id, orgIds)),
    db
      .select({ childId: enrolments.childId, orgId: enrolments.orgId, name: classes.name })
      .from(enrolments)
      .innerJoin(classes, and(eq(classes.id, enrolments.classId), eq(classes.orgId, enrolments.orgId), isNull(classes.archivedAt)))
      .where(and(inArray(enrolments.childId, childIds), inArray(enrolments.orgId, orgIds)))
      .orderBy(asc(classes.name)),
  ])
  const person = new Map(people.map((p) => [p.id, p]))
  const org = new Map(orgs.map((o) => [o.id, o]))
  const out: MyChild[] = []
  for (const l of linked) {
    const p = person.get(l.childId)
    const o = org.get(l.orgId)
    if (!p || !o) continue
    const classNames = o.kind === 'family' ? [] : cls.filter((c) => c.childId === l.childId && c.orgId === l.orgId).map((c) => c.name)
    out.push({ childId: l.childId, orgId: l.orgId, firstName: p.firstName, lastName: p.lastName, orgName: o.name, orgKind: o.kind, classNames })
  }
  return out.sort((a, b) => a.firstName.localeCompare(b.firstName) || a.orgName.localeCompare(b.orgName))
}

/**
 * One child as their guardian sees them, in each organization where the guardian's link is
 * active: school, classes and their teachers, and the guardian's own link (to remove it).
 */
export async function childForGuardian(db: DbOrTx, a: { childId: string; guardianId: string; linked: Linked[] }) {
  if (!isUuid(a.childId)) throw new NotFound('child')
  const orgIds = a.linked.filter((l) => l.childId === a.childId).map((l) => l.orgId)
  if (!orgIds.length) throw new NotFound('child')
  const [child] = await db
    .select({ firstName: users.firstName, lastName: users.lastName, birthDate: users.birthDate })
    .from(users)
    .where(and(eq(users.id, a.childId), eq(users.kind, 'child')))
  if (!child) throw new NotFound('child')
  const links = await db
    .select({ link: guardianLinks, orgName: organizations.name, orgKind: organizations.kind })
    .from(guardianLinks)
    .innerJoin(organizations, eq(organizations.id, guardianLinks.orgId))
    .where(and(eq(guardianLinks.childId, a.childId), eq(guardianLinks.guardianId, a.guardianId), inArray(guardianLinks.orgId, orgIds), activeLinkWhere()))
  const cls = await db
    .select({ classId: classes.id, orgId: classes.orgId, name: classes.name, schoolYear: classes.schoolYear })
    .from(enrolments)
    .innerJoin(classes, and(eq(classes.id, enrolments.classId), eq(classes.orgId, enrolments.orgId), isNull(classes.archivedAt)))
    .where(and(eq(enrolments.childId, a.childId), inArray(enrolments.orgId, orgIds)))
    .orderBy(asc(classes.name))
  const teachers = cls.length
    ? await db
        .select({ classId: classTeachers.classId, role: classTeachers.role, firstName: users.firstName, lastName: users.lastName })
        .from(classTeachers)
        .innerJoin(users, eq(users.id, classTeachers.userId))
        .where(
          inArray(
            classTeachers.classId,
            cls.map((c) => c.classId),
          ),
        )
        .orderBy(asc(classTeachers.role), asc(users.lastName))
    : []
  const orgs = []
  for (const l of links) {
    const consent = l.orgKind === 'family' ? ((await latestParentalConsent(db, { orgId: l.link.orgId, childIds: [a.childId] })).get(a.childId) ?? null) : null
    orgs.push({
      orgId: l.link.orgId,
      orgName: l.orgName,
      orgKind: l.orgKind,
      classes:
        l.orgKind === 'family'
          ? []
          : cls
              .filter((c) => c.orgId === l.link.orgId)
              .map((c) => ({
                id: c.classId,
                name: c.name,
                schoolYear: c.schoolYear,
                teachers: teachers.filter((t) => t.classId === c.classId).map((t) => ({ name: `${t.firstName} ${t.lastName}`, role: t.role })),
              })),
      link: {
        id: l.link.id,
        legalStatus: l.link.legalStatus,
        canSeeRecord: l.link.canSeeRecord,
        canReceiveMessages: l.link.canReceiveMessages,
        canGiveConsent: l.link.canGiveConsent,
        startedAt: l.link.startedAt,
        endedAt: l.link.endedAt,
      },
      parentalConsent: consent ? { given: consent.given, at: consent.at } : null,
    })
  }
  if (!orgs.length) throw new NotFound('child')
  return { id: a.childId, ...child, orgs }
}

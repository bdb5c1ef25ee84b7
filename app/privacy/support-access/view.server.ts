// What the operator sees of an organization while a support grant is in force: its classes,
// their children and how many results each has (read-only). Every page view is audited by the
// policy (policy.server.ts: 'support.access').
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm'
import { classes, enrolments, organizations, results, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { activeGrants } from '../../permissions/support-access.server'

export async function supportView(db: DbOrTx, orgId: string) {
  const cls = await db.select({ id: classes.id, name: classes.name, year: classes.schoolYear }).from(classes).where(eq(classes.orgId, orgId)).orderBy(asc(classes.name))
  const kids = await db
    .select({ classId: enrolments.classId, id: users.id, firstName: users.firstName, lastName: users.lastName })
    .from(enrolments)
    .innerJoin(users, and(eq(users.id, enrolments.childId), isNull(users.deactivatedAt)))
    .where(eq(enrolments.orgId, orgId))
    .orderBy(asc(users.lastName))
  const counts = await db.select({ childId: results.childId, n: count() }).from(results).where(eq(results.orgId, orgId)).groupBy(results.childId)
  const byChild = new Map(counts.map((c) => [c.childId, Number(c.n)]))
  return cls.map((c) => ({ ...c, children: kids.filter((k) => k.classId === c.id).map((k) => ({ id: k.id, name: `${k.firstName} ${k.lastName}`, results: byChild.get(k.id) ?? 0 })) }))
}

/** The operator's list: support accesses in force now, each with its organization's name. */
export async function operatorGrants(db: DbOrTx) {
  const grants = await activeGrants(db)
  const orgs = grants.length
    ? await db
        .select({ id: organizations.id, name: organizations.name })
        .from(organizations)
        .where(
          inArray(
            organizations.id,
            grants.map((g) => g.orgId),
          ),
        )
    : []
  const name = new Map(orgs.map((o) => [o.id, o.name]))
  return grants.map((g) => ({ ...g, orgName: name.get(g.orgId) ?? null }))
}

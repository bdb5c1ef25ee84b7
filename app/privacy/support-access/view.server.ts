// What the operator sees of an organization while a support grant is in force: its classes,
// their children and how many results each has (read-only). Every page view is audited by the
// policy (policy.server.ts: 'support.access').
import { and, asc, count, eq, isNull } from 'drizzle-orm'
import { classes, enrolments, results, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'

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

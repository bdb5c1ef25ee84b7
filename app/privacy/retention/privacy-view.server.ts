// What the privacy page of an organization shows: deletions under way, the grace period,
// retention after contract end, and recent erasures (tombstones: counts and times only).
import { and, asc, desc, eq, gte, isNull, sql } from 'drizzle-orm'
import { erasureTombstones, memberships, orgPrivacySettings, users } from '../../../drizzle/schema'
import { DAY, now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { graceHours, openRequestsFor } from '../erasure/requests.server'
import { retentionStatus } from './contract-end.server'

export async function privacyOverview(db: DbOrTx, orgId: string) {
  const open = await openRequestsFor(db, orgId)
  const names = new Map<string, string>()
  for (const r of open) {
    if (!r.subjectId) continue
    const [u] = await db.select({ f: users.firstName, l: users.lastName }).from(users).where(eq(users.id, r.subjectId))
    if (u) names.set(r.subjectId, `${u.f} ${u.l}`)
  }
  const [settings] = await db.select().from(orgPrivacySettings).where(eq(orgPrivacySettings.orgId, orgId))
  const since = new Date(now().getTime() - 30 * DAY)
  const [done] = (await db
    .select({ n: sql<number>`count(*)::int`, late: sql<number>`count(*) filter (where ${erasureTombstones.late})::int`, last: sql<Date | null>`max(${erasureTombstones.completedAt})` })
    .from(erasureTombstones)
    .where(and(eq(erasureTombstones.orgId, orgId), gte(erasureTombstones.completedAt, since)))) as [{ n: number; late: number; last: Date | string | null }]
  const recent = await db.select().from(erasureTombstones).where(eq(erasureTombstones.orgId, orgId)).orderBy(desc(erasureTombstones.completedAt)).limit(10)
  return {
    open: open.map((r) => ({ ...r, name: r.subjectId ? (names.get(r.subjectId) ?? null) : null })),
    graceHours: await graceHours(db, orgId),
    legalBasis: settings?.legalBasis ?? null,
    retention: await retentionStatus(db, orgId),
    erased30d: { n: done.n, late: done.late },
    recent,
  }
}

/** The organization's members an admin may delete (not already being deleted), for the picker. */
export async function deletableMembers(db: DbOrTx, orgId: string) {
  const rows = await db
    .selectDistinctOn([users.id], { id: users.id, firstName: users.firstName, lastName: users.lastName, role: memberships.role })
    .from(memberships)
    .innerJoin(users, and(eq(users.id, memberships.userId), isNull(users.deactivatedAt)))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.status, 'active')))
    .orderBy(asc(users.id))
  return rows.sort((a, b) => a.lastName.localeCompare(b.lastName, 'fr') || a.firstName.localeCompare(b.firstName, 'fr'))
}

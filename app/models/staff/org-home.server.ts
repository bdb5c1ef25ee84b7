// The figures an administrator sees on the organization's home page, in one query.
import { eq, sql } from 'drizzle-orm'
import { organizations, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { STAFF_INVITE_ROLES } from './invitations.server'

export async function getOrganization(db: DbOrTx, { orgId }: { orgId: string }) {
  if (!/^[0-9a-f-]{36}$/i.test(orgId)) throw new NotFound('organization')
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId))
  if (!org) throw new NotFound('organization')
  return org
}

/** The organization's name for a file or a document header; null when it does not exist. */
export async function organizationName(db: DbOrTx, { orgId }: { orgId: string }) {
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId))
  return org?.name ?? null
}

export type OrgOverview = {
  classes: number
  children: number
  staff: number
  pendingInvitations: number
  lastReviewAt: Date | null
  lastReviewBy: string | null
}

export async function orgOverview(db: DbOrTx, { orgId }: { orgId: string }): Promise<OrgOverview> {
  const staffRoles = sql.join(
    STAFF_INVITE_ROLES.map((r) => sql`${r}`),
    sql`, `,
  )
  const [row] = await db
    .select({
      classes: sql<number>`(select count(*)::int from classes c where c.org_id = "organizations"."id" and c.archived_at is null)`,
      children: sql<number>`(select count(*)::int from memberships m join users u on u.id = m.user_id
        where m.org_id = "organizations"."id" and m.role = 'child' and m.status = 'active' and u.deactivated_at is null)`,
      staff: sql<number>`(select count(distinct m.user_id)::int from memberships m
        where m.org_id = "organizations"."id" and m.status = 'active' and m.role in (${staffRoles}))`,
      pendingInvitations: sql<number>`(select count(*)::int from invitations i
        where i.org_id = "organizations"."id" and i.role in (${staffRoles}) and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now().toISOString()})`,
      lastReviewAt: organizations.lastAccessReviewAt,
      lastReviewByFirst: users.firstName,
      lastReviewByLast: users.lastName,
    })
    .from(organizations)
    .leftJoin(users, eq(users.id, organizations.lastAccessReviewBy))
    .where(eq(organizations.id, orgId))
  if (!row) throw new NotFound('organization')
  return {
    classes: row.classes,
    children: row.children,
    staff: row.staff,
    pendingInvitations: row.pendingInvitations,
    lastReviewAt: row.lastReviewAt,
    lastReviewBy: row.lastReviewByFirst ? `${row.lastReviewByFirst} ${row.lastReviewByLast ?? ''}`.trim() : null,
  }
}

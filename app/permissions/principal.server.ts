import { sql } from 'drizzle-orm'
import { classTeachers, memberships, organizations, platformOperators } from '../../drizzle/schema'
import { now } from '../clock.server'
import type { DbOrTx } from '../db.server'
import type { Principal } from './abilities'
import { guardianLinksFor } from './guardian-links.server'
import { activeGrants } from './support-access.server'

/** An organization the person belongs to, as the navigation and the request-time rules need it. */
export type MemberOrg = { orgId: string; name: string; kind: 'school' | 'family' | 'practice'; inRetention: boolean }
export type SignedIn = { principal: Principal; orgs: MemberOrg[] }

type Role = Principal['memberships'][number]['role']

/**
 * Everything the policy reads about a person, in one statement (memberships with their
 * organization, classes taught, operator flag), plus the guardian links for guardians:
 * this runs on every signed-in request, so round trips count.
 */
export async function loadSignedIn(db: DbOrTx, user: { id: string; kind: 'adult' | 'child'; email?: string | null; emailVerifiedAt?: Date | null }): Promise<SignedIn> {
  const [row] = await db.execute<{
    ms: [string, Role, string, MemberOrg['kind'], boolean][]
    teaching: [string, string, 'lead' | 'co'][]
    operator: boolean
  }>(sql`
    select
      coalesce((select json_agg(json_build_array(m.org_id, m.role, o.name, o.kind,
                  o.subscription_ends_at is not null and o.subscription_ends_at <= ${now().toISOString()}::timestamptz) order by o.name, m.role)
                from ${memberships} m join ${organizations} o on o.id = m.org_id
                where m.user_id = ${user.id} and m.status = 'active'), '[]'::json) as ms,
      coalesce((select json_agg(json_build_array(ct.org_id, ct.class_id, ct.role))
                from ${classTeachers} ct
                where ct.user_id = ${user.id}
                  and exists (select 1 from ${memberships} m where m.user_id = ct.user_id and m.org_id = ct.org_id and m.role = 'teacher' and m.status = 'active')), '[]'::json) as teaching,
      ${user.kind === 'adult' ? sql`exists (select 1 from ${platformOperators} p where p.user_id = ${user.id})` : sql`false`} as operator
  `)
  const ms = row!.ms
  const isOperator = isOperatorId(user.id) || row!.operator
  const [linkedChildren, grants] = await Promise.all([ms.some((m) => m[1] === 'guardian') ? guardianLinksFor(db, user.id) : [], isOperator ? activeGrants(db) : []])
  const orgs = new Map<string, MemberOrg>()
  for (const [orgId, , name, kind, inRetention] of ms) orgs.set(orgId, { orgId, name, kind, inRetention })
  return {
    principal: {
      userId: user.id,
      kind: user.kind,
      memberships: ms.map(([orgId, role]) => ({ orgId, role })),
      teaching: row!.teaching.map(([orgId, classId, role]) => ({ orgId, classId, role })),
      linkedChildren,
      isOperator,
      retentionOrgs: [...new Set(ms.filter((m) => m[4]).map((m) => m[0]))],
      supportGrants: grants.map((g) => ({ id: g.id, orgId: g.orgId })),
      verifiedEmail: user.kind === 'adult' && user.email && user.emailVerifiedAt ? user.email.toLowerCase() : null,
    },
    orgs: [...orgs.values()],
  }
}

/** The policy's view of a person (see loadSignedIn). */
export async function loadPrincipal(db: DbOrTx, user: { id: string; kind: 'adult' | 'child' }): Promise<Principal> {
  return (await loadSignedIn(db, user)).principal
}

/** Platform operators: rows of platform_operators (`npx carnet operators --add`), or ids in CARNET_OPERATOR_IDS. */
export function isOperatorId(userId: string) {
  return (process.env.CARNET_OPERATOR_IDS ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes(userId)
}

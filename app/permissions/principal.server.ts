import { and, eq, inArray } from 'drizzle-orm'
import { classTeachers, memberships, organizations, platformOperators } from '../../drizzle/schema'
import type { DbOrTx } from '../db.server'
import type { Principal } from './abilities'
import { guardianLinksFor } from './guardian-links.server'

/** Loads the membership set that the policy reads: one query per relation, no N+1. */
export async function loadPrincipal(db: DbOrTx, user: { id: string; kind: 'adult' | 'child' }): Promise<Principal> {
  const ms = await db
    .select({ orgId: memberships.orgId, role: memberships.role, orgName: organizations.name, orgKind: organizations.kind })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, user.id), eq(memberships.status, 'active')))
  const teacherOrgs = ms.filter((m) => m.role === 'teacher').map((m) => m.orgId)
  const teaching = teacherOrgs.length
    ? await db
        .select({ orgId: classTeachers.orgId, classId: classTeachers.classId, role: classTeachers.role })
        .from(classTeachers)
        .where(and(eq(classTeachers.userId, user.id), inArray(classTeachers.orgId, teacherOrgs)))
    : []
  const linkedChildren = ms.some((m) => m.role === 'guardian') ? await guardianLinksFor(db, user.id) : []
  return {
    userId: user.id,
    kind: user.kind,
    memberships: ms.map((m) => ({ orgId: m.orgId, role: m.role })),
    teaching,
    linkedChildren,
    isOperator: isOperatorId(user.id) || (user.kind === 'adult' && (await isPlatformOperator(db, user.id))),
  }
}

async function isPlatformOperator(db: DbOrTx, userId: string) {
  const rows = await db.select({ userId: platformOperators.userId }).from(platformOperators).where(eq(platformOperators.userId, userId)).limit(1)
  return rows.length > 0
}

/** Platform operators: rows of platform_operators (`npx carnet operators --add`), or ids in CARNET_OPERATOR_IDS. */
export function isOperatorId(userId: string) {
  return (process.env.CARNET_OPERATOR_IDS ?? '').split(',').map((s) => s.trim()).includes(userId)
}

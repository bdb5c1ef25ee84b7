// What an export covers — a class or the whole school, optionally one period — and who may
// take it: only someone allowed to export EVERY record in it (the policy's 'export
// LearningRecord'): the class's teachers for a class; for the school, an org-wide right
// (admin, DPO) or teaching every class of it. Guardians never export a class or a school.
import { and, asc, countDistinct, eq, inArray, isNull } from 'drizzle-orm'
import { classes, enrolments, organizations, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { Invalid, NotFound } from '../../errors.server'
import { can, type AppAbility, type SubjectRows } from '../../permissions/abilities'
import { isUuid } from '../../models/learning/activities.server'
import { cleanPeriod } from '../../models/learning/record.server'

export type ExportScope = { kind: 'class' | 'school'; classId?: string; from?: string; to?: string }

export function parseScope(v: { kind?: unknown; classId?: unknown; from?: unknown; to?: unknown }): ExportScope {
  const kind = v.kind === 'school' ? 'school' : v.kind === 'class' ? 'class' : null
  if (!kind) throw new Invalid('learning.export.scope_invalid')
  const { from, to } = cleanPeriod({ from: typeof v.from === 'string' ? v.from : null, to: typeof v.to === 'string' ? v.to : null })
  const scope: ExportScope = { kind }
  if (kind === 'class') {
    if (!isUuid(v.classId)) throw new Invalid('learning.export.class_required')
    scope.classId = v.classId
  }
  if (from) scope.from = from
  if (to) scope.to = to
  return scope
}

export type ResolvedScope = { scope: ExportScope; orgName: string; classes: { id: string; name: string; schoolYear: string }[] }

export async function resolveScope(db: DbOrTx, orgId: string, scope: ExportScope): Promise<ResolvedScope> {
  if (!isUuid(orgId)) throw new NotFound('organization')
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId))
  if (!org) throw new NotFound('organization')
  const cls = await db
    .select({ id: classes.id, name: classes.name, schoolYear: classes.schoolYear })
    .from(classes)
    .where(and(eq(classes.orgId, orgId), scope.kind === 'class' ? eq(classes.id, scope.classId!) : undefined))
    .orderBy(asc(classes.name))
  if (scope.kind === 'class' && !cls.length) throw new NotFound('class')
  return { scope, orgName: org.name, classes: cls }
}

/** True when `ability` may export every record of the scope. */
export function mayExport(ability: AppAbility, orgId: string, r: ResolvedScope): boolean {
  const may = (row: SubjectRows['LearningRecord']) => can(ability, 'export', 'LearningRecord', row)
  if (may({ orgId })) return true
  if (r.scope.kind === 'class') return may({ orgId, classIds: [r.scope.classId ?? ''] })
  return r.classes.length > 0 && r.classes.every((c) => may({ orgId, classIds: [c.id] }))
}

/** Children whose records the scope holds (enrolled in its classes, not awaiting deletion). */
export async function countScopeChildren(db: DbOrTx, orgId: string, r: ResolvedScope): Promise<number> {
  if (!r.classes.length) return 0
  const [row] = await db
    .select({ n: countDistinct(enrolments.childId) })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.childId))
    .where(
      and(
        eq(enrolments.orgId, orgId),
        inArray(
          enrolments.classId,
          r.classes.map((c) => c.id),
        ),
        isNull(users.deactivatedAt),
      ),
    )
  return row?.n ?? 0
}

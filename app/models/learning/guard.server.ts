// The checks every learning route starts with, in the same order everywhere: a member of the
// organization (a stranger is denied without learning whether the class exists), then the
// class, then the policy's right on the class's learning records.
import { subject } from '@casl/ability'
import { DomainError, NotFound } from '../../errors.server'
import { getClass } from '../classes/classes.server'
import { childHeader } from './record.server'
import type { Action } from '../../permissions/abilities'
import { authorize, deny, type UserCtx } from '../../permissions/request.server'

export function notFound(e: unknown): never {
  if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
  if (e instanceof DomainError) throw new Response(e.code, { status: e.status })
  throw e
}

export async function classForLearning(ctx: UserCtx, orgId: string, classId: string, action: Action = 'read') {
  if (!ctx.principal.memberships.some((m) => m.orgId === orgId && m.role !== 'child' && m.role !== 'guardian')) await deny(ctx, action, 'LearningRecord', classId, orgId)
  const klass = await getClass(ctx.db, { orgId, classId }).catch(notFound)
  await authorize(ctx, action, 'LearningRecord', { orgId, classIds: [klass.id] })
  return klass
}

export function canOnClass(ctx: UserCtx, action: Action, orgId: string, classId: string) {
  return ctx.ability.can(action, subject('LearningRecord', { orgId, classIds: [classId] }) as never)
}

export const actorOf = (ctx: UserCtx) => ({ actorId: ctx.user.id, ...ctx.origin })

/**
 * A child's record is opened by the school's admins and teachers, or by a guardian actively
 * linked to the child; children use their own space. Then some record of the child must be
 * readable: published ones (guardians), a taught class's (teachers), all (admins).
 */
export async function childRecordAccess(ctx: UserCtx, orgId: string, childId: string) {
  const staff = ctx.principal.memberships.some((m) => m.orgId === orgId && (m.role === 'admin' || m.role === 'teacher'))
  const linked = ctx.principal.linkedChildren.some((l) => l.orgId === orgId && l.childId === childId)
  if (ctx.user.kind === 'child' || (!staff && !linked)) await deny(ctx, 'read', 'LearningRecord', childId, orgId)
  const child = await childHeader(ctx.db, { orgId, childId }).catch(notFound)
  await authorize(ctx, 'read', 'LearningRecord', { orgId, childId: child.id, classIds: child.classes.map((c) => c.id), published: true })
  return { child, staff }
}

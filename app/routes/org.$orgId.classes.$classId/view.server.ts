// What the class page shows and who may do what there; its parts take their data type from here,
// so no part imports the route module (the layout check counts a type import as a loop).
import { type LoaderFunctionArgs } from '@remix-run/node'
import { listChildren } from '~/models/classes/children.server'
import { classTeachersOf, getClass, orgTeachers } from '~/models/classes/classes.server'
import { listGroups } from '~/models/classes/groups.server'
import { NotFound } from '~/errors.server'
import { can } from '~/permissions/abilities'
import { authorize, deny, requireAbility, type UserCtx } from '~/permissions/request.server'
import { classFamilyFlags } from '~/models/families/status.server'

/** Org membership first (a stranger is denied, not told whether the class exists), then the class, then 'read Class'. */
export async function loadClass(ctx: UserCtx, orgId: string, classId: string) {
  if (!ctx.principal.memberships.some((m) => m.orgId === orgId)) await deny(ctx, 'read', 'Class', classId, orgId)
  const klass = await getClass(ctx.db, { orgId, classId }).catch((e) => {
    if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
    throw e
  })
  await authorize(ctx, 'read', 'Class', klass)
  return klass
}

export async function classPage({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  const klass = await loadClass(ctx, orgId, params.classId!)
  const scope = { orgId, classId: klass.id }
  const perms = {
    update: can(ctx.ability, 'update', 'Class', klass),
    delete: can(ctx.ability, 'delete', 'Class', klass),
    transfer: can(ctx.ability, 'transfer', 'Class', klass),
    groups: can(ctx.ability, 'create', 'Group', scope),
    moveChildren: can(ctx.ability, 'update', 'Child', { orgId, classIds: [klass.id] }),
    cards: can(ctx.ability, 'create', 'LoginCard', { orgId, classIds: [klass.id] }),
  }
  const [children, teachers, groups, staff] = await Promise.all([
    listChildren(ctx.db, ctx.ability, scope),
    classTeachersOf(ctx.db, scope),
    listGroups(ctx.db, scope),
    perms.transfer ? orgTeachers(ctx.db, { orgId }) : [],
  ])
  const teaching = new Set(teachers.map((x) => x.userId))
  const families = await classFamilyFlags(ctx.db, scope) // families (issue 4): links, alerts, blocked logins
  return {
    families,
    orgId,
    klass: { id: klass.id, name: klass.name, level: klass.level, schoolYear: klass.schoolYear, loginCode: klass.loginCode, archivedAt: klass.archivedAt },
    children,
    teachers: teachers.map((x) => ({ userId: x.userId, name: `${x.firstName} ${x.lastName}`, role: x.role, me: x.userId === ctx.user.id })),
    groups,
    candidates: staff.filter((s) => !teaching.has(s.userId)).map((s) => ({ userId: s.userId, name: `${s.firstName} ${s.lastName}` })),
    perms,
  }
}

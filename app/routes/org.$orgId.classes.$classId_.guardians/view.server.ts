// What the class's families page shows; its parts take their data type from here, so no part
// imports the route module (the layout check counts a type import as a loop).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { NotFound } from '~/errors.server'
import { getClass } from '~/models/classes/classes.server'
import { openAlerts } from '~/models/families/codes.server'
import { classGuardianStatus } from '~/models/families/status.server'
import { can, type Action, type SubjectRows } from '~/permissions/abilities'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'

export const may = (ctx: UserCtx, action: Action, row: SubjectRows['GuardianLink']) => can(ctx.ability, action, 'GuardianLink', row)

export async function load(request: Request, orgId: string, classId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const klass = await getClass(ctx.db, { orgId, classId }).catch((e) => {
    if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
    throw e
  })
  const scope = { orgId, classIds: [klass.id] }
  await authorize(ctx, 'read', 'GuardianLink', scope)
  return { ctx, klass, scope }
}

export async function guardiansPage({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass, scope } = await load(request, orgId, params.classId ?? '')
  const [status, alerts] = await Promise.all([classGuardianStatus(ctx.db, { orgId, classId: klass.id }), openAlerts(ctx.db, { orgId, classId: klass.id })])
  const iso = (d: Date | null) => d?.toISOString() ?? null
  return {
    orgId,
    klass: { id: klass.id, name: klass.name, schoolYear: klass.schoolYear },
    summary: status.summary,
    children: status.children.map((c) => ({
      ...c,
      lastPrintedAt: iso(c.lastPrintedAt),
      links: c.links.map((l) => ({ ...l, startedAt: l.startedAt.toISOString(), endedAt: iso(l.endedAt), suspendedAt: iso(l.suspendedAt) })),
      invitations: c.invitations.map((i) => ({ ...i, lastSentAt: iso(i.lastSentAt) })),
    })),
    alerts: alerts.map((a) => ({ id: a.id, childName: `${a.firstName} ${a.lastName}`, reportedAt: a.reportedAt.toISOString(), channel: a.channel })),
    // The class page is linked only for who may open it (the DPO reads families, not classes).
    perms: { invite: may(ctx, 'invite', scope), manage: may(ctx, 'update', scope), classPage: can(ctx.ability, 'read', 'Class', { orgId, id: klass.id }) },
  }
}

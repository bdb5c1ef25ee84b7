import type { LoaderFunctionArgs } from '@remix-run/node'
import { importProgress } from '~/models/roster-import/imports.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

export const handle = {
  access: { allow: ['admin'], params: { orgId: 'orgA', importId: 'token' }, note: 'JSON polled by the import page' } satisfies RouteAccess,
}

/** Progress of a roster import, polled by the import page's progress bar. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!
  const ctx = await requireAbility(request)
  // 403 before any lookup: a non-admin learns nothing about which imports exist.
  await authorize(ctx, 'create', 'RosterImport', { orgId })
  try {
    const p = await importProgress(ctx.db, { orgId, importId: params.importId! })
    return Response.json(p, { headers: { 'cache-control': 'no-store' } })
  } catch {
    return Response.json({ error: 'not_found' }, { status: 404 })
  }
}

// What the roster import page shows at each step; its parts take their data type from here, so
// no part imports the route module (the layout check counts a type import as a loop).
import { type LoaderFunctionArgs } from '@remix-run/node'
import { getImport, listImports } from '~/models/roster-import/imports.server'
import { MAX_UPLOAD_BYTES, schoolYearOf } from '~/models/roster-import/source.server'
import { importView, orgForImport, type ImportView } from '~/models/roster-import/view.server'
import { now } from '~/clock.server'
import { authorize, requireAbility } from '~/permissions/request.server'

export async function context(request: Request, orgId: string) {
  const ctx = await requireAbility(request)
  // Denied (403, audited) before anything about the organization is looked up.
  await authorize(ctx, 'create', 'RosterImport', { orgId })
  return ctx
}

export function notFound(): never {
  throw new Response('Not found', { status: 404 })
}

export async function importPage({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!
  const ctx = await context(request, orgId)
  const org = await orgForImport(ctx.db, orgId).catch(notFound)
  const url = new URL(request.url)
  const id = url.searchParams.get('id')
  const thisYear = schoolYearOf(now())
  const start = Number(thisYear.slice(0, 4))
  const years = [`${start - 1}-${start}`, thisYear, `${start + 1}-${start + 2}`]
  if (!id) {
    const recent = await listImports(ctx.db, orgId)
    return {
      org,
      years,
      thisYear,
      maxMb: Math.round(MAX_UPLOAD_BYTES / 1024 / 1024),
      recent: recent.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null })),
      view: null as ImportView | null,
      step: null as string | null,
      stale: false,
    }
  }
  const row = await getImport(ctx.db, { orgId, importId: id }).catch(notFound)
  return { org, years, thisYear, maxMb: 0, recent: [], view: importView(row, ctx.lang), step: url.searchParams.get('step'), stale: url.searchParams.has('stale') }
}

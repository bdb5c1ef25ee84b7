import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { renderLoginCards } from '~/documents/pdf/login-cards.server'
import { now } from '~/clock.server'
import { familyChildCard, getFamily } from '~/models/families/family.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// One family child's login card as a PDF (to print and keep by the tablet). Printing issues a
// new card: the previous QR code and short code stop working. POST only.
export const handle = {
  access: { allow: ['admin'], params: { orgId: 'orgA' }, note: 'resource route: application/pdf; family organizations only (404 for a school)' } satisfies RouteAccess,
}

async function guard(request: Request, orgId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'create', 'LoginCard', { orgId, classIds: [] })
  const org = await getFamily(ctx.db, { orgId }).catch(() => {
    throw new Response('Not found', { status: 404 })
  })
  return { ctx, org }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await guard(request, params.orgId ?? '')
  throw new Response('Use the print button (POST).', { status: 405 })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, org } = await guard(request, params.orgId ?? '')
  const form = await request.formData()
  try {
    const card = await familyChildCard(ctx.db, { orgId: org.id, childId: String(form.get('childId') ?? ''), by: { actorId: ctx.user.id, ...ctx.origin } })
    const bytes = await renderLoginCards({
      schoolName: org.name,
      className: org.name,
      lang: ctx.lang,
      cards: [{ firstName: card.firstName, classLabel: org.name, shortCode: card.code, qrUrl: card.url }],
      now: now(),
    })
    return new Response(new Uint8Array(bytes), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="carte-${card.firstName.normalize('NFD').replace(/[^A-Za-z0-9]+/g, '-') || 'enfant'}.pdf"`,
        'Cache-Control': 'no-store',
      },
    })
  } catch (e) {
    if (e instanceof DomainError) throw new Response(e.code, { status: e.status })
    throw e
  }
}

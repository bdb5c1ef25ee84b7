import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { getChildForStaff } from '~/models/children/child-admin.server'
import { getClassForCards, printLoginCards, type CardScope } from '~/models/children/print-cards.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// Login cards as a PDF. Only hashes of the codes are stored, so printing RE-ISSUES the cards:
// the ones printed before stop working (the button says so). A POST prints the whole class
// (`only=new`: only children who never had a card) or, with `childId`, one child's new card.
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher'],
    params: { orgId: 'orgA', classId: 'classA1' },
    note: 'resource route: application/pdf; re-issues the cards',
  } satisfies RouteAccess,
}

async function print(request: Request, params: LoaderFunctionArgs['params'], fields: { only?: string | null; childId?: string | null }) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  const classId = params.classId ?? ''
  try {
    await authorize(ctx, 'create', 'LoginCard', { orgId, classIds: [classId] })
    await getClassForCards(ctx.db, { orgId, classId })
    let scope: CardScope = fields.only === 'new' ? { kind: 'new' } : { kind: 'class' }
    if (fields.childId) {
      const child = await getChildForStaff(ctx.db, { orgId, childId: fields.childId })
      await authorize(ctx, 'create', 'LoginCard', { orgId, classIds: child.classIds.filter((id) => id === classId) })
      scope = { kind: 'child', childId: child.id }
    }
    const pdf = await printLoginCards(ctx.db, { orgId, classId, scope, lang: ctx.lang, actorId: ctx.user.id, origin: ctx.origin })
    return new Response(new Uint8Array(pdf.bytes), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${pdf.fileName}"`,
        'Cache-Control': 'no-store',
        'X-Cards-Count': String(pdf.count),
      },
    })
  } catch (e) {
    if (e instanceof DomainError) throw new Response(e.code, { status: e.status })
    throw e
  }
}

// No GET: re-issuing cards changes state, so only a form POST may do it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'create', 'LoginCard', { orgId: params.orgId ?? '', classIds: [params.classId ?? ''] })
  throw new Response('Use the print button (POST).', { status: 405 })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData()
  return print(request, params, { only: String(form.get('only') ?? ''), childId: (form.get('childId') as string | null) || null })
}

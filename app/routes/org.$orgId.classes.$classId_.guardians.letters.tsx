import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { DomainError, NotFound } from '~/errors.server'
import { getClass } from '~/models/classes/classes.server'
import { printLinkLetters } from '~/models/families/letters.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// Link letters as a PDF: one page per new single-use code (30 days). POST only — printing
// issues codes. `childId` (+ `copies`, e.g. 2 for separated parents) for one child, or
// `onlyUnlinked=1` for every child of the class without a linked guardian.
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher'],
    params: { orgId: 'orgA', classId: 'classA1' },
    note: 'resource route: application/pdf; issues link codes',
  } satisfies RouteAccess,
}

async function guard(request: Request, orgId: string, classId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const klass = await getClass(ctx.db, { orgId, classId }).catch((e) => {
    if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
    throw e
  })
  await authorize(ctx, 'invite', 'GuardianLink', { orgId, classIds: [klass.id] })
  return { ctx, klass }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await guard(request, params.orgId ?? '', params.classId ?? '')
  throw new Response('Use the print button (POST).', { status: 405 })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const { ctx, klass } = await guard(request, orgId, params.classId ?? '')
  const form = await request.formData()
  const childId = String(form.get('childId') ?? '')
  try {
    const pdf = await printLinkLetters(ctx.db, {
      orgId,
      classId: klass.id,
      childIds: childId ? [childId] : undefined,
      onlyUnlinked: !childId && form.get('onlyUnlinked') === '1',
      copies: Number(form.get('copies') ?? 1),
      lang: ctx.lang,
      by: { actorId: ctx.user.id, ...ctx.origin },
    })
    if (!pdf.bytes) throw new Response('No letter to print: every child already has the maximum of guardians, or none is left without one.', { status: 409 })
    return new Response(new Uint8Array(pdf.bytes), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${pdf.fileName}"`,
        'Cache-Control': 'no-store',
        'X-Letters-Count': String(pdf.count),
      },
    })
  } catch (e) {
    if (e instanceof DomainError) throw new Response(e.code, { status: e.status })
    throw e
  }
}

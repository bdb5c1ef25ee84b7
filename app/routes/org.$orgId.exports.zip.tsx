import { createReadableStreamFromReadable, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { now } from '~/clock.server'
import { DomainError } from '~/errors.server'
import { createExportFile, getExportFile, restartExport, syncExportLimit } from '~/exports/learning/files.server'
import { enqueueLearningExport } from '~/exports/learning/jobs.server'
import { countScopeChildren, mayExport, parseScope, resolveScope } from '~/exports/learning/scope.server'
import { learningZip } from '~/exports/learning/zip.server'
import { recordAudit } from '~/compliance/audit.server'
import { fileHeaders } from '~/ui/http.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility } from '~/permissions/request.server'

// Starts a learning export (POST, never a link: it builds a file of personal data). Only for
// someone allowed to export EVERY record of the scope; anyone else is refused and audited.
// Up to the sync limit the ZIP streams back at once; beyond, a background job builds it and
// the exports page shows its progress and, for 7 days, its download link. `intent=retry` starts
// a failed background export again (its author only, still allowed to export its scope).
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher', 'otherTeacher', 'dpo'],
    params: { orgId: 'orgA' },
    note: 'resource route (POST): application/zip, or a redirect to the exports page (job started, or the reason it was refused)',
  } satisfies RouteAccess,
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  const form = await request.formData()
  try {
    if (form.get('intent') === 'retry') {
      const failed = await getExportFile(ctx.db, { orgId, exportId: String(form.get('exportId') ?? '') })
      if (!mayExport(ctx.ability, orgId, await resolveScope(ctx.db, orgId, failed.scope))) await deny(ctx, 'export', 'LearningRecord', failed.id, orgId)
      const file = await restartExport(ctx.db, { orgId, exportId: failed.id, userId: ctx.user.id })
      await enqueueLearningExport({ orgId, exportId: file.id }, file.createdAt)
      await recordAudit(ctx.db, {
        action: 'export.learning_zip_requested',
        orgId,
        actorId: ctx.user.id,
        targetType: 'export_file',
        targetId: file.id,
        ...ctx.origin,
        details: { scope: file.scope, children: file.total, retry: true },
      })
      return redirect(`/org/${orgId}/exports?started=${file.id}`)
    }
    const scope = parseScope({ kind: form.get('kind'), classId: form.get('classId'), from: form.get('from'), to: form.get('to') })
    const resolved = await resolveScope(ctx.db, orgId, scope)
    if (!mayExport(ctx.ability, orgId, resolved)) await deny(ctx, 'export', 'LearningRecord', scope.classId ?? orgId, orgId)
    const total = await countScopeChildren(ctx.db, orgId, resolved)
    if (total > syncExportLimit()) {
      const file = await createExportFile(ctx.db, { orgId, scope, authorId: ctx.user.id, lang: ctx.lang, total })
      await enqueueLearningExport({ orgId, exportId: file.id })
      await recordAudit(ctx.db, {
        action: 'export.learning_zip_requested',
        orgId,
        actorId: ctx.user.id,
        targetType: 'export_file',
        targetId: file.id,
        ...ctx.origin,
        details: { scope, children: total },
      })
      return redirect(`/org/${orgId}/exports?started=${file.id}`)
    }
    await recordAudit(ctx.db, {
      action: 'export.learning_zip',
      orgId,
      actorId: ctx.user.id,
      targetType: scope.kind === 'class' ? 'class' : 'organization',
      targetId: scope.classId ?? orgId,
      ...ctx.origin,
      details: { scope, children: total, async: false },
    })
    const zip = learningZip({ db: ctx.db, orgId, resolved, author: { id: ctx.user.id, name: `${ctx.user.firstName} ${ctx.user.lastName}` }, lang: ctx.lang, now: now() })
    zip.done.catch((e) => console.error('[exports] learning ZIP failed:', e instanceof Error ? e.message : e))
    return new Response(createReadableStreamFromReadable(zip.stream), { headers: fileHeaders('application/zip', zip.fileName) })
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    if (e.status === 404) throw new Response('Not found', { status: 404 })
    return redirect(`/org/${orgId}/exports?error=${encodeURIComponent(e.code)}`)
  }
}

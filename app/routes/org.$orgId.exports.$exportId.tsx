import fs from 'node:fs'
import { Readable } from 'node:stream'
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { DomainError } from '~/errors.server'
import { exportForDownload } from '~/exports/learning/files.server'
import { mayExport, resolveScope } from '~/exports/learning/scope.server'
import { recordAudit } from '~/compliance/audit.server'
import { fileHeaders } from '~/ui/http.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility } from '~/permissions/request.server'

// Download of a background export: its author only, while it has not expired (7 days), and
// only while they may still export every record of its scope. Every download is audited.
export const handle = {
  access: {
    allow: ['admin', 'teacher', 'coteacher', 'otherTeacher', 'dpo'],
    params: { orgId: 'orgA', exportId: 'token' },
    note: 'resource route: application/zip; 404 unless the export exists and is yours, 410 once expired',
  } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'StaffArea', { orgId })
  let file
  try {
    file = await exportForDownload(ctx.db, { orgId, exportId: params.exportId ?? '', userId: ctx.user.id })
    const resolved = await resolveScope(ctx.db, orgId, file.scope)
    if (!mayExport(ctx.ability, orgId, resolved)) await deny(ctx, 'export', 'LearningRecord', file.id, orgId)
  } catch (e) {
    if (e instanceof DomainError) throw new Response(e.code, { status: e.status })
    throw e
  }
  await recordAudit(ctx.db, {
    action: 'export.download',
    orgId,
    actorId: ctx.user.id,
    targetType: 'export_file',
    targetId: file.id,
    ...ctx.origin,
    details: { sha256: file.sha256, bytes: file.bytes },
  })
  const stream = fs.createReadStream(file.path!) as unknown as Readable
  return new Response(createReadableStreamFromReadable(stream), {
    headers: fileHeaders('application/zip', file.fileName ?? `${file.id}.zip`, { 'Content-Length': String(file.bytes ?? ''), 'X-Content-SHA256': file.sha256 ?? '' }),
  })
}

import fs from 'node:fs'
import { Readable } from 'node:stream'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/compliance/audit.server'
import { archivePath, getArchive } from '~/privacy/audit/retention.server'
import { isUuid } from '~/privacy/consent/view.server'
import { fileHeaders } from '~/ui/http.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'

// One month's archived audit entries of this organization (gzip JSON lines), as listed with its SHA-256.
export const handle = {
  access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' }, note: 'resource route: application/gzip (?id=); 404 when absent or purged' } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'AuditLog', { orgId })
  const id = new URL(request.url).searchParams.get('id')
  const archive = isUuid(id) ? await getArchive(ctx.db, orgId, id) : null
  const file = archive && !archive.purgedAt ? archivePath(archive.fileName) : null
  if (!archive || !file || !fs.existsSync(file)) throw new Response('Not found', { status: 404 })
  await recordAudit(ctx.db, { action: 'export.audit_archive', orgId, actorId: ctx.user.id, targetType: 'audit_archive', targetId: archive.id, ...ctx.origin })
  const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>
  return new Response(body, {
    headers: fileHeaders('application/gzip', `audit-${archive.month.slice(0, 7)}.jsonl.gz`, { 'X-Content-SHA256': archive.sha256, 'Content-Length': String(archive.bytes) }),
  })
}

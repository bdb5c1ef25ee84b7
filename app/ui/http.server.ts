// Small HTTP helpers the routes share.
import type { UserCtx } from '../permissions/request.server'

/** Who acts, from where: the audit fields of a change made in a request. */
export const actorOf = (ctx: UserCtx) => ({ actorId: ctx.user.id, ...ctx.origin })

/** A download: no caching anywhere, a file name, and the type. */
export function fileHeaders(type: string, fileName: string, extra: Record<string, string> = {}) {
  return {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'Cache-Control': 'no-store',
    ...extra,
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v)

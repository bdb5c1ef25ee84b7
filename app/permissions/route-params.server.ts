// Every id in a route's path is a UUID (what each `:param` is comes from the route's
// handle.access.params). Anything else is answered 404 before a loader or action runs — never a
// 500 from PostgreSQL refusing the value — and, for a signed-in person, audited as a denial.
import { originOf, recordAudit } from '../compliance/audit.server'
import { getDb } from '../db.server'
import type { RouteAccess } from './access'
import { getOptionalUser } from './request.server'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The route's id params (not tokens) whose value is not a UUID. */
export function invalidIdParams(params: Record<string, string | undefined>, access: RouteAccess | undefined): string[] {
  return Object.entries(params)
    .filter(([name, value]) => {
      const kind = access?.params?.[name] ?? (name.endsWith('Id') ? 'id' : 'token')
      return kind !== 'token' && !UUID.test(value ?? '')
    })
    .map(([name]) => name)
}

/** Throws the 404 (after auditing the denial for a signed-in person) when an id is malformed. */
export async function refuseMalformedIds(request: Request, params: Record<string, string | undefined>, access: RouteAccess | undefined) {
  const invalid = invalidIdParams(params, access)
  if (!invalid.length) return
  const who = await getOptionalUser(request)
  if (who) {
    await recordAudit(getDb(), {
      action: 'access.denied',
      outcome: 'denied',
      actorId: who.user.id,
      targetType: 'route',
      ...originOf(request),
      details: { attempted: request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write', path: new URL(request.url).pathname.slice(0, 300), reason: 'invalid_id', params: invalid },
    })
  }
  throw new Response('Not found', { status: 404, statusText: 'Not Found' })
}

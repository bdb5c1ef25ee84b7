import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { clearSessionCookie, invalidateSession, readSessionToken } from '~/auth/session.server'
import { sha256Hex } from '~/auth/crypto.server'
import { getDb } from '~/db.server'
import { originOf, recordAudit } from '~/gdpr/audit.server'
import type { RouteAccess } from '~/permissions/access'

// Logging out is allowed to anyone (it only ends the caller's own session).
export const handle = { access: { allow: 'everyone', note: 'action only' } satisfies RouteAccess }

export async function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  const token = readSessionToken(request)
  if (token) {
    const db = getDb()
    await invalidateSession(db, sha256Hex(token))
    await recordAudit(db, { action: 'auth.logout', ...originOf(request) })
  }
  return redirect('/', { headers: { 'Set-Cookie': clearSessionCookie() } })
}

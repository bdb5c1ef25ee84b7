import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { clearSessionCookie, endSessionByToken, readSessionToken } from '~/auth/session.server'
import { getDb } from '~/db.server'
import { originOf, recordAudit } from '~/compliance/audit.server'
import type { RouteAccess } from '~/permissions/access'
import { isChildAccount } from '~/roles'

// Logging out is allowed to anyone (it only ends the caller's own session).
export const handle = { access: { allow: 'everyone', note: 'action only' } satisfies RouteAccess }

export async function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  const token = readSessionToken(request)
  let destination = '/'
  if (token) {
    const db = getDb()
    const ended = await endSessionByToken(db, token)
    await recordAudit(db, { action: 'auth.logout', actorId: ended?.userId ?? null, ...originOf(request) })
    // Children go back to the screen they log in from (often a shared class tablet).
    if (isChildAccount(ended)) destination = '/child-login'
  }
  return redirect(destination, { headers: { 'Set-Cookie': clearSessionCookie() } })
}

// The devices page's use cases: end one of one's own sessions, or all but the current one;
// each is written to the audit log.
import { recordAudit, type RequestOrigin } from '../compliance/audit.server'
import type { DbOrTx } from '../db.server'
import { invalidateUserSessions, listUserSessions, revokeUserSession } from './session.server'

/** Ends the user's session whose id starts with `ref` (the page's short reference); nothing when none matches. */
export async function logOutDevice(db: DbOrTx, { userId, ref, origin }: { userId: string; ref: string; origin: RequestOrigin }) {
  const mine = await listUserSessions(db, userId)
  const target = ref.length >= 16 ? mine.find((s) => s.id.startsWith(ref)) : undefined
  if (!target) return false
  await revokeUserSession(db, { userId, sessionId: target.id })
  await recordAudit(db, { action: 'auth.session_revoked', actorId: userId, ...origin })
  return true
}

/** "Log out everywhere else": every session of the user but the current one; returns how many. */
export async function logOutOtherDevices(db: DbOrTx, { userId, keepSessionId, origin }: { userId: string; keepSessionId: string; origin: RequestOrigin }) {
  const count = await invalidateUserSessions(db, userId, keepSessionId)
  await recordAudit(db, { action: 'auth.logout_everywhere', actorId: userId, ...origin, details: { count } })
  return count
}

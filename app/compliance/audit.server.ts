import type { AuditAction, AuditTargetType } from './audit-actions'
import { auditEvents } from '../../drizzle/schema'
import { now } from '../clock.server'
import type { DbOrTx } from '../db.server'

export type AuditOutcome = 'success' | 'failure' | 'denied'

export type AuditEntry = {
  action: AuditAction
  outcome?: AuditOutcome
  orgId?: string | null
  actorId?: string | null
  targetType?: AuditTargetType | null
  targetId?: string | null
  ip?: string | null
  userAgent?: string | null
  details?: Record<string, unknown>
}

/** Where a request came from, threaded into every audit entry written for it. */
export type RequestOrigin = { ip: string | null; userAgent: string | null }

export function originOf(request: Request): RequestOrigin {
  const fwd = request.headers.get('x-forwarded-for')
  return {
    ip: fwd ? fwd.split(',')[0]!.trim() : request.headers.get('x-carnet-remote-addr'),
    userAgent: request.headers.get('user-agent'),
  }
}

/** The one way anything is written to the audit log. Details hold ids, never names. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry) {
  await db.insert(auditEvents).values({
    at: now(),
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    orgId: entry.orgId ?? null,
    actorId: entry.actorId ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
    details: entry.details ?? null,
  })
}

// The DPO's and admin's search over the audit log: who (actor), what (action), which record
// (target), when (period), outcome. An organization sees its own entries, plus the entries
// attached to no organization (logins, failed logins) whose actor is one of its members.
import { and, desc, eq, ilike, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm'
import { auditEvents, memberships, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { parisDayEnd, parisDayStart } from '../../compliance/calendar.server'
import { isUuid } from '../consent/view.server'
import { csvLine, UTF8_BOM } from '../../documents/csv.server'

export type AuditFilter = { actor?: string; action?: string; target?: string; outcome?: 'success' | 'failure' | 'denied'; from?: string; to?: string }

export function auditFilterFrom(p: URLSearchParams): AuditFilter {
  const f: AuditFilter = {}
  const s = (k: string) => p.get(k)?.trim().slice(0, 200) || undefined
  f.actor = s('actor')
  f.action = s('action')
  f.target = s('target')
  const o = p.get('outcome')
  if (o === 'success' || o === 'failure' || o === 'denied') f.outcome = o
  if (parisDayStart(p.get('from'))) f.from = p.get('from')!
  if (parisDayStart(p.get('to'))) f.to = p.get('to')!
  return f
}

export function auditQuery(f: AuditFilter) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v)
  return q.toString()
}

function scope(orgId: string): SQL {
  const members = sql`select ${memberships.userId} from ${memberships} where ${memberships.orgId} = ${orgId}`
  return or(eq(auditEvents.orgId, orgId), and(isNull(auditEvents.orgId), sql`${auditEvents.actorId} in (${members})`))!
}

function where(orgId: string, f: AuditFilter): SQL {
  const parts: SQL[] = [scope(orgId)]
  const actor = f.actor
  if (actor) {
    if (isUuid(actor as unknown)) parts.push(eq(auditEvents.actorId, actor))
    else {
      const pattern = `%${actor.replace(/[%_\\]/g, (c) => `\\${c}`)}%`
      const matching = sql`select ${users.id} from ${users} where ${ilike(users.email, pattern)} or ${ilike(sql`${users.firstName} || ' ' || ${users.lastName}`, pattern)} or ${ilike(sql`${users.lastName} || ' ' || ${users.firstName}`, pattern)}`
      parts.push(sql`${auditEvents.actorId} in (${matching})`)
    }
  }
  if (f.action) parts.push(like(auditEvents.action, `${f.action.replace(/[%_\\]/g, (c) => `\\${c}`)}%`))
  if (f.target) parts.push(or(eq(auditEvents.targetId, f.target), eq(auditEvents.targetType, f.target))!)
  if (f.outcome) parts.push(eq(auditEvents.outcome, f.outcome))
  const from = parisDayStart(f.from)
  const to = parisDayEnd(f.to)
  if (from) parts.push(sql`${auditEvents.at} >= ${from.toISOString()}::timestamptz`)
  if (to) parts.push(sql`${auditEvents.at} <= ${to.toISOString()}::timestamptz`)
  return and(...parts)!
}

/** One page, newest first, keyset-paginated on (at, id) so deep pages stay cheap. */
export async function searchAudit(db: DbOrTx, orgId: string, f: AuditFilter, opts: { before?: { at: string; id: number } | null; limit?: number } = {}) {
  const limit = opts.limit ?? 50
  const w = opts.before
    ? and(where(orgId, f), or(lt(auditEvents.at, new Date(opts.before.at)), and(eq(auditEvents.at, new Date(opts.before.at)), lt(auditEvents.id, opts.before.id))))!
    : where(orgId, f)
  const rows = await db
    .select({ e: auditEvents, firstName: users.firstName, lastName: users.lastName, email: users.email })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(w)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit + 1)
  return {
    rows: rows.slice(0, limit).map((r) => ({ ...r.e, actorName: r.firstName ? `${r.firstName} ${r.lastName}` : null, actorEmail: r.email })),
    more: rows.length > limit,
  }
}

/** Distinct actions seen in the organization, for the filter's suggestions. */
export async function knownActions(db: DbOrTx, orgId: string) {
  const rows = await db.selectDistinct({ action: auditEvents.action }).from(auditEvents).where(scope(orgId)).orderBy(auditEvents.action).limit(300)
  return rows.map((r) => r.action)
}

export function auditCsv(db: DbOrTx, orgId: string, f: AuditFilter): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  let before: { at: string; id: number } | null = null
  let started = false
  let done = false
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(enc.encode(UTF8_BOM + csvLine(['id', 'at', 'actor_id', 'action', 'target_type', 'target_id', 'outcome', 'ip', 'user_agent', 'details'])))
        return
      }
      if (done) return controller.close()
      const page = await searchAudit(db, orgId, f, { before, limit: 1000 })
      controller.enqueue(enc.encode(page.rows.map((r) => csvLine([r.id, r.at, r.actorId, r.action, r.targetType, r.targetId, r.outcome, r.ip, r.userAgent, r.details])).join('')))
      const last = page.rows[page.rows.length - 1]
      if (!page.more || !last) done = true
      else before = { at: last.at.toISOString(), id: last.id }
    },
  })
}

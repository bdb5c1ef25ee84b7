// What the request-time policy adds to the role rules (app/permissions/abilities.ts), computed
// from the database on every request so nothing needs revoking by hand:
//   - an organization in its retention period (subscription ended): every rule about it goes;
//     its admins keep only what GTCS §21.2 leaves them — see it, export, ask for early deletion;
//   - the platform operator reads an organization's learning data only while an admin's support
//     grant is in force (≤ 72 h); each request under /org/<that org> is written to the audit log.
import { createMongoAbility, type RawRuleOf } from '@casl/ability'
import { recordAudit, originOf } from '../compliance/audit.server'
import type { DbOrTx } from '../db.server'
import type { AppAbility, Principal } from './abilities'
import { and, gt, inArray, isNull, lte } from 'drizzle-orm'
import { supportGrants } from '../../drizzle/schema'
import { now } from '../clock.server'

type Rule = RawRuleOf<AppAbility>

/** The rule without the organizations in `gone`; null when nothing is left of it. */
function withoutOrgs(rule: Rule, gone: Set<string>): Rule | null {
  const cond = rule.conditions as Record<string, unknown> | undefined
  if (!cond) return rule
  const subjects = Array.isArray(rule.subject) ? rule.subject : [rule.subject]
  const key = 'orgId' in cond ? 'orgId' : subjects.includes('Organization') && 'id' in cond ? 'id' : null
  if (!key) return rule
  const v = cond[key]
  if (typeof v === 'string') return gone.has(v) ? null : rule
  const list = (v as { $in?: unknown[] } | undefined)?.$in
  if (Array.isArray(list)) {
    const kept = list.filter((x) => !gone.has(String(x)))
    if (!kept.length) return null
    return kept.length === list.length ? rule : { ...rule, conditions: { ...cond, [key]: { $in: kept } } } as Rule
  }
  return rule
}

/** `retention`: the member organizations in their retention period (read with the principal, loadSignedIn). */
export async function adjustAbility(db: DbOrTx, p: Principal, ability: AppAbility, request: Request | undefined, retention: Set<string>): Promise<AppAbility> {
  const grants = p.isOperator ? await activeGrants(db) : []
  if (!retention.size && !grants.length) return ability

  let rules = ability.rules as Rule[]
  const extra: Rule[] = []
  if (retention.size) {
    // Inverted rules ("nobody edits the logs") stay whole; positive ones lose the organizations.
    rules = rules.map((r) => (r.inverted ? r : withoutOrgs(r, retention))).filter((r): r is Rule => !!r)
    for (const orgId of retention) {
      if (!p.memberships.some((m) => m.orgId === orgId && m.role === 'admin')) continue
      extra.push({ action: 'read', subject: 'Organization', conditions: { id: orgId } } as Rule)
      extra.push({ action: 'export', subject: 'LearningRecord', conditions: { orgId } } as Rule)
      extra.push({ action: 'delete', subject: 'Organization', conditions: { id: orgId } } as Rule)
    }
  }
  for (const g of grants) {
    extra.push({ action: 'read', subject: 'Organization', conditions: { id: g.orgId } } as Rule)
    extra.push({ action: 'read', subject: ['Class', 'Group', 'Child', 'LearningRecord', 'Member'], conditions: { orgId: g.orgId } } as Rule)
    const path = request ? new URL(request.url).pathname : ''
    if (path.startsWith(`/org/${g.orgId}`)) {
      await recordAudit(db, {
        action: 'support.access',
        orgId: g.orgId,
        actorId: p.userId,
        targetType: 'support_grant',
        targetId: g.id,
        ...(request ? originOf(request) : {}),
        details: { method: request?.method ?? 'GET', path },
      })
    }
  }
  // Inverted rules must come last to keep overriding the positive ones.
  const positive = [...rules.filter((r) => !r.inverted), ...extra]
  return createMongoAbility<AppAbility>([...positive, ...rules.filter((r) => r.inverted)])
}

/** Support grants in force now (for the given organizations, or all). */
export async function activeGrants(db: DbOrTx, orgIds?: string[]) {
  const at = now()
  return db
    .select()
    .from(supportGrants)
    .where(and(isNull(supportGrants.revokedAt), lte(supportGrants.grantedAt, at), gt(supportGrants.expiresAt, at), orgIds ? inArray(supportGrants.orgId, orgIds) : undefined))
}

// An organization's own networks (ADR 013): a school declares the public address its devices
// share, so a class of children or a staff room behind it is counted against a ceiling the
// school chose, within bounds Carnet sets (a network is at most a /16 or a /48, the ceiling
// between 20 and 2,000 failures per address in 15 minutes). Changes are audited.
import { and, asc, eq, sql } from 'drizzle-orm'
import { isIP } from 'node:net'
import { orgNetworks } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { NETWORK_CEILING, NETWORK_MIN_PREFIX } from '../../auth/throttle.server'

export const MAX_NETWORKS = 20
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type OrgNetwork = { id: string; cidr: string; label: string; ceiling: number; createdAt: Date }

export async function listNetworks(db: DbOrTx, orgId: string): Promise<OrgNetwork[]> {
  return db
    .select({ id: orgNetworks.id, cidr: orgNetworks.cidr, label: orgNetworks.label, ceiling: orgNetworks.ceiling, createdAt: orgNetworks.createdAt })
    .from(orgNetworks)
    .where(eq(orgNetworks.orgId, orgId))
    .orderBy(asc(orgNetworks.createdAt))
}

/** "203.0.113.7" (one address) or "203.0.113.0/24"; refuses wider than a /16 (IPv4) or /48 (IPv6). */
export function parseNetwork(input: string): { address: string; prefix: number } {
  const [address = '', prefixText, ...rest] = input.trim().split('/')
  const version = isIP(address)
  if (!version || rest.length) throw new Invalid('networks.invalid_cidr')
  const max = version === 4 ? 32 : 128
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN
  if (!(prefix >= 0 && prefix <= max)) throw new Invalid('networks.invalid_cidr')
  const min = NETWORK_MIN_PREFIX[version as 4 | 6]
  if (prefix < min) throw new Invalid('networks.too_wide', { min: `/${min}` })
  return { address, prefix }
}

export async function addNetwork(db: DbOrTx, a: { orgId: string; cidr: string; label: string; ceiling: number; actorId: string; origin: RequestOrigin }) {
  const { address, prefix } = parseNetwork(a.cidr)
  const label = a.label.replace(/\s+/g, ' ').trim()
  if (!label || [...label].length > 80) throw new Invalid('networks.label_required')
  if (!Number.isInteger(a.ceiling) || a.ceiling < NETWORK_CEILING.min || a.ceiling > NETWORK_CEILING.max) {
    throw new Invalid('networks.ceiling_range', { min: NETWORK_CEILING.min, max: NETWORK_CEILING.max })
  }
  if ((await listNetworks(db, a.orgId)).length >= MAX_NETWORKS) throw new Conflict('networks.too_many', { max: MAX_NETWORKS })
  // PostgreSQL writes the network canonically (host bits cleared: 203.0.113.7/24 → 203.0.113.0/24).
  const [row] = await db
    .insert(orgNetworks)
    .values({ orgId: a.orgId, cidr: sql`network(${`${address}/${prefix}`}::inet)` as unknown as string, label, ceiling: a.ceiling, createdAt: now(), createdBy: a.actorId })
    .onConflictDoNothing()
    .returning()
  if (!row) throw new Conflict('networks.duplicate')
  await recordAudit(db, {
    action: 'org.network_add',
    orgId: a.orgId,
    actorId: a.actorId,
    targetType: 'org_network',
    targetId: row.id,
    ...a.origin,
    details: { cidr: row.cidr, ceiling: row.ceiling },
  })
  return row
}

export async function removeNetwork(db: DbOrTx, a: { orgId: string; networkId: string; actorId: string; origin: RequestOrigin }) {
  if (!UUID.test(a.networkId)) throw new NotFound('networks.not_found')
  const [row] = await db
    .delete(orgNetworks)
    .where(and(eq(orgNetworks.id, a.networkId), eq(orgNetworks.orgId, a.orgId)))
    .returning()
  if (!row) throw new NotFound('networks.not_found')
  await recordAudit(db, {
    action: 'org.network_remove',
    orgId: a.orgId,
    actorId: a.actorId,
    targetType: 'org_network',
    targetId: row.id,
    ...a.origin,
    details: { cidr: row.cidr, ceiling: row.ceiling },
  })
}

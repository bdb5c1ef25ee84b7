// Which declared organization network (org_networks) an attempt comes from, for the throttle.
// A network only counts for its own organization's accounts and classes: declaring one never
// raises the ceiling for guesses against anyone else (sign-up is open to any school).
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db.server'
import type { DeclaredNetwork } from './throttle.server'

async function first(db: DbOrTx, where: ReturnType<typeof sql>, ip: string): Promise<DeclaredNetwork | null> {
  if (ip === 'unknown') return null
  const rows = await db.execute<{ id: string; ceiling: number }>(sql`
    select n.id, n.ceiling from org_networks n
    where ${where} and ${ip}::inet <<= n.cidr
    order by n.ceiling desc, n.id limit 1`)
  const row = rows[0]
  return row ? { id: row.id, ceiling: Number(row.ceiling) } : null
}

/** The network, declared by one of the account's organizations, that `ip` belongs to. */
export function networkForAccount(db: DbOrTx, userId: string | null | undefined, ip: string) {
  if (!userId) return Promise.resolve(null)
  return first(db, sql`n.org_id in (select m.org_id from memberships m where m.user_id = ${userId} and m.status = 'active')`, ip)
}

/** The network, declared by this organization, that `ip` belongs to. */
export function networkForOrg(db: DbOrTx, orgId: string | null | undefined, ip: string) {
  if (!orgId) return Promise.resolve(null)
  return first(db, sql`n.org_id = ${orgId}`, ip)
}

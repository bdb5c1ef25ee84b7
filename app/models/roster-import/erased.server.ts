// Erased people stay erased (ADR 021). An erasure tombstone keeps, for each organization the
// child was on the roll of, two keyed hashes (HMAC-SHA256 with the server secret): of the
// organization id + the roster's external id, and of the organization id + the folded names +
// the date of birth. A roster import hashes its new rows the same way: a match means "this
// child was erased after a request" and the row is not re-created unless the admin says it is a
// new enrolment. Nothing here can give a name back: without the secret the hashes say nothing,
// and even with it they only answer "is it this exact child?".
import { desc, eq, or, sql } from 'drizzle-orm'
import { childProfiles, erasureTombstones, memberships, users } from '../../../drizzle/schema'
import { hmacHex } from '../../crypto.server'
import type { DbOrTx } from '../../db.server'
import { isChildAccount } from '../../roles'
import { foldKey } from '../roster/normalize.server'
import { pgArray } from './bulk.server'
import type { ImportPlan, PlanErasedChild } from './types.server'

const EXTERNAL_ID = 'erasure-tombstone:external-id'
const NAME_BIRTH = 'erasure-tombstone:name-birth'

/** Organization + external id, folded like the import folds it (case, accents, spaces). */
export function externalIdHmac(orgId: string, externalId: string): string {
  return hmacHex(`${orgId}\0${foldKey(externalId)}`, EXTERNAL_ID)
}

/** Organization + folded first name + folded last name + birth date (YYYY-MM-DD). */
export function nameBirthHmac(orgId: string, firstName: string, lastName: string, birthDate: string): string {
  return hmacHex(`${orgId}\0${foldKey(firstName)}\0${foldKey(lastName)}\0${birthDate}`, NAME_BIRTH)
}

export type TombstoneHmacs = { externalIdHmacs: string[]; nameHmacs: string[] }

/**
 * The hashes a tombstone keeps, computed from the subject's rows BEFORE they are erased. Only a
 * child's (the roster import creates children); `membership`: the one organization erased,
 * `account`: every organization the child belongs to.
 */
export async function tombstoneHmacsOf(tx: DbOrTx, target: { subjectId: string; scope: 'account' | 'membership'; orgId: string | null }): Promise<TombstoneHmacs> {
  const out: TombstoneHmacs = { externalIdHmacs: [], nameHmacs: [] }
  const [u] = await tx.select({ kind: users.kind, firstName: users.firstName, lastName: users.lastName, birthDate: users.birthDate }).from(users).where(eq(users.id, target.subjectId))
  if (!u || !isChildAccount(u)) return out
  const orgIds = new Set<string>()
  if (target.orgId) orgIds.add(target.orgId)
  if (target.scope === 'account') for (const m of await tx.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, target.subjectId))) orgIds.add(m.orgId)
  const externalIds = new Map<string, string>()
  for (const p of await tx.select({ orgId: childProfiles.orgId, externalId: childProfiles.externalId }).from(childProfiles).where(eq(childProfiles.childId, target.subjectId))) {
    if (p.externalId && orgIds.has(p.orgId)) externalIds.set(p.orgId, p.externalId)
  }
  for (const orgId of [...orgIds].sort()) {
    const externalId = externalIds.get(orgId)
    if (externalId) out.externalIdHmacs.push(externalIdHmac(orgId, externalId))
    if (u.birthDate && u.firstName && u.lastName) out.nameHmacs.push(nameBirthHmac(orgId, u.firstName, u.lastName, u.birthDate))
  }
  return out
}

export type ErasedMatch = { tombstoneId: string; erasedAt: string; match: 'external_id' | 'name' }
type Row = { line: number; externalId: string | null; firstName: string; lastName: string; birthDate: string }

/**
 * The rows (by line) that match a tombstone of this organization: by external id first; by
 * names and date of birth when the row has no external id or the erased child had none (two
 * different external ids are two different children, as when matching existing children).
 */
export async function findErased(db: DbOrTx, orgId: string, rows: Row[]): Promise<Map<number, ErasedMatch>> {
  const found = new Map<number, ErasedMatch>()
  if (!rows.length) return found
  const keyed = rows.map((r) => ({
    line: r.line,
    ext: r.externalId ? externalIdHmac(orgId, r.externalId) : null,
    name: nameBirthHmac(orgId, r.firstName, r.lastName, r.birthDate),
    hasExt: !!r.externalId,
  }))
  const exts = keyed.flatMap((k) => (k.ext ? [k.ext] : []))
  const names = keyed.map((k) => k.name)
  const tombs = await db
    .select({ id: erasureTombstones.id, completedAt: erasureTombstones.completedAt, ext: erasureTombstones.externalIdHmacs, names: erasureTombstones.nameHmacs })
    .from(erasureTombstones)
    .where(or(sql`${erasureTombstones.externalIdHmacs} && ${pgArray(exts)}::text[]`, sql`${erasureTombstones.nameHmacs} && ${pgArray(names)}::text[]`))
    .orderBy(desc(erasureTombstones.completedAt))
  if (!tombs.length) return found
  // The latest erasure wins when a child was erased more than once.
  const byExt = new Map<string, (typeof tombs)[number]>()
  const byName = new Map<string, (typeof tombs)[number]>()
  for (const tb of tombs) {
    for (const h of tb.ext) if (!byExt.has(h)) byExt.set(h, tb)
    for (const h of tb.names) if (!byName.has(h)) byName.set(h, tb)
  }
  for (const k of keyed) {
    const ext = k.ext ? byExt.get(k.ext) : undefined
    if (ext) {
      found.set(k.line, { tombstoneId: ext.id, erasedAt: ext.completedAt.toISOString(), match: 'external_id' })
      continue
    }
    const byN = byName.get(k.name)
    if (byN && (!k.hasExt || !byN.ext.length)) found.set(k.line, { tombstoneId: byN.id, erasedAt: byN.completedAt.toISOString(), match: 'name' })
  }
  return found
}

/**
 * The plan the commit applies given the lines the admin ticked as a new enrolment: the ticked
 * erased rows join the children to create; the others are skipped, and so are their ids in the
 * guardian invitations (an invitation left with no child is not sent). A tick for a line that
 * is not flagged is ignored.
 */
export function withNewEnrolments(plan: ImportPlan, lines: readonly number[]): { plan: ImportPlan; reenrolled: PlanErasedChild[]; skipped: PlanErasedChild[] } {
  const erased = plan.children.erased ?? []
  if (!erased.length) return { plan, reenrolled: [], skipped: [] }
  const ticked = new Set(lines)
  const reenrolled = erased.filter((c) => ticked.has(c.line))
  const skipped = erased.filter((c) => !ticked.has(c.line))
  const gone = new Set(skipped.map((c) => c.childId))
  const keep = (ids: string[]) => ids.filter((id) => !gone.has(id))
  return {
    reenrolled,
    skipped,
    plan: {
      ...plan,
      children: { ...plan.children, create: [...plan.children.create, ...reenrolled], erased: [] },
      guardians: {
        create: plan.guardians.create.map((g) => ({ ...g, childIds: keep(g.childIds) })).filter((g) => g.childIds.length),
        unchanged: plan.guardians.unchanged.map((g) => ({ ...g, childIds: keep(g.childIds), addChildIds: keep(g.addChildIds) })),
      },
    },
  }
}

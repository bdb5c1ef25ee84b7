// Erased people stay erased (ADR 021). An erasure tombstone keeps, for each organization the
// child was on the roll of, two keyed hashes (HMAC-SHA256 with the server secret): of the
// organization id + the roster's external id, and of the organization id + the folded names +
// the date of birth. A roster import hashes its new rows the same way: a match means "this
// child was erased after a request" and the row is not re-created unless the admin says it is a
// new enrolment. Nothing here can give a name back: without the secret the hashes say nothing,
// and even with it they only answer "is it this exact child?".
import { and, desc, eq, isNotNull, isNull, or, sql } from 'drizzle-orm'
import { childProfiles, deletionRequests, erasureTombstones, memberships, users } from '../../../drizzle/schema'
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

/**
 * tombstoneId: the erasure; null while it is only requested (pendingRequestId: the deletion
 * request, erasedAt then its date): the child is deactivated and hidden from the import until
 * the erasure runs (the organization's grace period), and must not come back meanwhile either.
 */
export type ErasedMatch = { tombstoneId: string | null; pendingRequestId?: string; erasedAt: string; match: 'external_id' | 'name' }
type Row = { line: number; externalId: string | null; firstName: string; lastName: string; birthDate: string }
type Erasure = { tombstoneId: string | null; pendingRequestId?: string; at: Date; ext: string[]; names: string[] }

/** Children of the organization whose erasure is requested and not yet done, with their hashes computed now. */
async function pendingErasures(db: DbOrTx, orgId: string): Promise<Erasure[]> {
  const rows = await db
    .select({
      requestId: deletionRequests.id,
      requestedAt: deletionRequests.requestedAt,
      kind: users.kind,
      firstName: users.firstName,
      lastName: users.lastName,
      birthDate: users.birthDate,
      externalId: childProfiles.externalId,
    })
    .from(deletionRequests)
    .innerJoin(users, and(eq(users.id, deletionRequests.subjectId), isNotNull(users.deactivatedAt)))
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId)))
    .leftJoin(childProfiles, and(eq(childProfiles.childId, users.id), eq(childProfiles.orgId, orgId)))
    .where(and(isNull(deletionRequests.completedAt), isNull(deletionRequests.cancelledAt)))
  return rows
    .filter((r) => isChildAccount(r))
    .map((r) => ({
      tombstoneId: null,
      pendingRequestId: r.requestId,
      at: r.requestedAt,
      ext: r.externalId ? [externalIdHmac(orgId, r.externalId)] : [],
      names: r.birthDate && r.firstName && r.lastName ? [nameBirthHmac(orgId, r.firstName, r.lastName, r.birthDate)] : [],
    }))
}

/**
 * The rows (by line) that match an erasure of this organization (a tombstone, or a child whose
 * erasure is requested): by external id first; by names and date of birth when the row has no
 * external id or the erased child had none (two different external ids are two different
 * children, as when matching existing children).
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
  // A pending erasure first, then the latest erasure when a child was erased more than once.
  const erasures: Erasure[] = [...(await pendingErasures(db, orgId)), ...tombs.map((tb) => ({ tombstoneId: tb.id, at: tb.completedAt, ext: tb.ext, names: tb.names }))]
  if (!erasures.length) return found
  const byExt = new Map<string, Erasure>()
  const byName = new Map<string, Erasure>()
  for (const e of erasures) {
    for (const h of e.ext) if (!byExt.has(h)) byExt.set(h, e)
    for (const h of e.names) if (!byName.has(h)) byName.set(h, e)
  }
  const matchOf = (e: Erasure, match: ErasedMatch['match']): ErasedMatch => ({
    tombstoneId: e.tombstoneId,
    ...(e.pendingRequestId && { pendingRequestId: e.pendingRequestId }),
    erasedAt: e.at.toISOString(),
    match,
  })
  for (const k of keyed) {
    const ext = k.ext ? byExt.get(k.ext) : undefined
    if (ext) {
      found.set(k.line, matchOf(ext, 'external_id'))
      continue
    }
    const byN = byName.get(k.name)
    if (byN && (!k.hasExt || !byN.ext.length)) found.set(k.line, matchOf(byN, 'name'))
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

// Guardianship links: which adult may see which child, in which organization, with which
// legal status and rights. A link is ACTIVE while it has started, is not suspended and has
// not ended; only active links reach the permission policy, which is rebuilt on every
// request — so a suspension or an end takes effect on the guardian's very next request.
import { and, asc, count, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm'
import { guardianLinks, memberships, users, type LegalStatus } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'

export const MAX_GUARDIANS_PER_CHILD = 4
export type Actor = { actorId: string } & RequestOrigin
export type LinkRow = typeof guardianLinks.$inferSelect
export type LinkState = 'active' | 'suspended' | 'ended' | 'future'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v)

/** Rights a new link gets by default: an "other contact" cannot consent for the child. */
export function defaultRights(status: LegalStatus) {
  return { canSeeRecord: true, canReceiveMessages: true, canGiveConsent: status !== 'other_contact' }
}

export function linkState(l: Pick<LinkRow, 'startedAt' | 'endedAt' | 'suspendedAt'>, at = now()): LinkState {
  if (l.endedAt && l.endedAt.getTime() <= at.getTime()) return 'ended'
  if (l.suspendedAt) return 'suspended'
  if (l.startedAt.getTime() > at.getTime()) return 'future'
  return 'active'
}

/** SQL for "current": not ended yet (suspended links still hold their place among the 4). */
function currentLinkWhere(at = now()) {
  return or(isNull(guardianLinks.endedAt), gt(guardianLinks.endedAt, at))
}

/** Current (not ended) links of one child. */
export async function currentLinksCount(db: DbOrTx, { orgId, childId }: { orgId: string; childId: string }) {
  const [r] = await db
    .select({ n: count() })
    .from(guardianLinks)
    .where(and(eq(guardianLinks.orgId, orgId), eq(guardianLinks.childId, childId), currentLinkWhere()))
  return r?.n ?? 0
}

/**
 * Creates a link, refusing a fifth current guardian for the child. A transaction-scoped lock
 * on the child serializes two guardians confirming at once. Makes sure the guardian holds a
 * 'guardian' membership in the organization (the policy reads links only for guardians).
 */
export async function createLink(
  db: DbOrTx,
  a: {
    orgId: string
    childId: string
    guardianId: string
    legalStatus: LegalStatus
    rights?: Partial<ReturnType<typeof defaultRights>>
    codeId?: string | null
    by: Actor
    via: 'code' | 'family'
  },
) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${'guardians:' + a.childId}))`)
  const [existing] = await db
    .select({ id: guardianLinks.id, suspendedAt: guardianLinks.suspendedAt })
    .from(guardianLinks)
    .where(and(eq(guardianLinks.orgId, a.orgId), eq(guardianLinks.childId, a.childId), eq(guardianLinks.guardianId, a.guardianId), currentLinkWhere()))
  if (existing) throw new Conflict(existing.suspendedAt ? 'families.link.already_suspended' : 'families.link.already_linked')
  const n = await currentLinksCount(db, a)
  if (n >= MAX_GUARDIANS_PER_CHILD) throw new Conflict('families.link.limit', { max: MAX_GUARDIANS_PER_CHILD })
  const at = now()
  const [link] = await db
    .insert(guardianLinks)
    .values({
      orgId: a.orgId,
      childId: a.childId,
      guardianId: a.guardianId,
      legalStatus: a.legalStatus,
      ...defaultRights(a.legalStatus),
      ...a.rights,
      startedAt: at,
      codeId: a.codeId ?? null,
      createdBy: a.by.actorId,
      createdAt: at,
    })
    .returning()
  await db
    .insert(memberships)
    .values({ orgId: a.orgId, userId: a.guardianId, role: 'guardian', status: 'active', createdAt: at })
    .onConflictDoUpdate({ target: [memberships.orgId, memberships.userId, memberships.role], set: { status: 'active' } })
  await recordAudit(db, {
    action: 'guardian_link.create',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'guardian_link',
    targetId: link!.id,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { childId: a.childId, guardianId: a.guardianId, legalStatus: a.legalStatus, via: a.via, codeId: a.codeId ?? null },
  })
  return link!
}

export async function getLink(db: DbOrTx, { orgId, linkId }: { orgId: string; linkId: string }) {
  if (!isUuid(orgId) || !isUuid(linkId)) throw new NotFound('guardian_link')
  const [row] = await db
    .select()
    .from(guardianLinks)
    .where(and(eq(guardianLinks.id, linkId), eq(guardianLinks.orgId, orgId)))
  if (!row) throw new NotFound('guardian_link')
  return row
}

/** The school suspends a link at once (e.g. a court decision); the reason is required. */
export async function suspendLink(db: DbOrTx, a: { orgId: string; linkId: string; reason: string; by: Actor }) {
  const reason = a.reason.trim()
  if (reason.length < 3) throw new Invalid('families.link.reason_required')
  if (reason.length > 500) throw new Invalid('families.link.reason_too_long')
  const link = await getLink(db, a)
  const state = linkState(link)
  if (state === 'ended') throw new Conflict('families.link.ended')
  if (state === 'suspended') throw new Conflict('families.link.already_suspended')
  const at = now()
  await db
    .update(guardianLinks)
    .set({ suspendedAt: at, suspendedBy: a.by.actorId, suspensionReason: reason })
    .where(and(eq(guardianLinks.id, link.id), eq(guardianLinks.orgId, a.orgId)))
  await recordAudit(db, {
    action: 'guardian_link.suspend',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'guardian_link',
    targetId: link.id,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { childId: link.childId, guardianId: link.guardianId },
  })
}

export async function resumeLink(db: DbOrTx, a: { orgId: string; linkId: string; by: Actor }) {
  const link = await getLink(db, a)
  if (linkState(link) !== 'suspended') throw new Conflict('families.link.not_suspended')
  await db
    .update(guardianLinks)
    .set({ suspendedAt: null, suspendedBy: null, suspensionReason: null })
    .where(and(eq(guardianLinks.id, link.id), eq(guardianLinks.orgId, a.orgId)))
  await recordAudit(db, {
    action: 'guardian_link.resume',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'guardian_link',
    targetId: link.id,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { childId: link.childId, guardianId: link.guardianId },
  })
}

/** Ends a link now (the school, or the guardian removing their own link). History stays. */
export async function endLink(db: DbOrTx, a: { orgId: string; linkId: string; by: Actor; self?: boolean }) {
  const link = await getLink(db, a)
  if (a.self && link.guardianId !== a.by.actorId) throw new NotFound('guardian_link')
  if (linkState(link) === 'ended') throw new Conflict('families.link.ended')
  await db
    .update(guardianLinks)
    .set({ endedAt: now(), endedBy: a.by.actorId })
    .where(and(eq(guardianLinks.id, link.id), eq(guardianLinks.orgId, a.orgId)))
  await recordAudit(db, {
    action: a.self ? 'guardian_link.remove_own' : 'guardian_link.end',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'guardian_link',
    targetId: link.id,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { childId: link.childId, guardianId: link.guardianId },
  })
}

/** The school corrects a link: legal status, rights, start and optional end date. */
export async function updateLink(
  db: DbOrTx,
  a: {
    orgId: string
    linkId: string
    legalStatus: LegalStatus
    canSeeRecord: boolean
    canReceiveMessages: boolean
    canGiveConsent: boolean
    startedOn: string | null
    endsOn: string | null
    by: Actor
  },
) {
  const link = await getLink(db, a)
  if (linkState(link) === 'ended') throw new Conflict('families.link.ended')
  const startedAt = a.startedOn ? dayStart(a.startedOn) : link.startedAt
  const endedAt = a.endsOn ? dayStart(a.endsOn) : null
  if (!startedAt || (a.endsOn && !endedAt)) throw new Invalid('families.link.date_invalid')
  if (endedAt && endedAt.getTime() <= startedAt.getTime()) throw new Invalid('families.link.end_before_start')
  await db
    .update(guardianLinks)
    .set({
      legalStatus: a.legalStatus,
      canSeeRecord: a.canSeeRecord,
      canReceiveMessages: a.canReceiveMessages,
      canGiveConsent: a.canGiveConsent,
      startedAt,
      endedAt,
      endedBy: endedAt ? a.by.actorId : null,
    })
    .where(and(eq(guardianLinks.id, link.id), eq(guardianLinks.orgId, a.orgId)))
  await recordAudit(db, {
    action: 'guardian_link.update',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'guardian_link',
    targetId: link.id,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { childId: link.childId, guardianId: link.guardianId, legalStatus: a.legalStatus },
  })
}

function dayStart(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null
  const d = new Date(`${day}T00:00:00Z`)
  return Number.isNaN(d.getTime()) ? null : d
}

export type ChildLinkItem = {
  id: string
  guardianId: string
  firstName: string
  lastName: string
  email: string | null
  legalStatus: LegalStatus
  canSeeRecord: boolean
  canReceiveMessages: boolean
  canGiveConsent: boolean
  startedAt: Date
  endedAt: Date | null
  suspendedAt: Date | null
  suspensionReason: string | null
  state: LinkState
}

/** Current links (not ended) of the given children of one organization, with the guardians' names. */
export async function linksOfChildren(db: DbOrTx, { orgId, childIds }: { orgId: string; childIds: string[] }) {
  const out = new Map<string, ChildLinkItem[]>()
  if (!childIds.length) return out
  const rows = await db
    .select({ link: guardianLinks, firstName: users.firstName, lastName: users.lastName, email: users.email })
    .from(guardianLinks)
    .innerJoin(users, eq(users.id, guardianLinks.guardianId))
    .where(and(eq(guardianLinks.orgId, orgId), inArray(guardianLinks.childId, childIds), currentLinkWhere()))
    .orderBy(asc(guardianLinks.createdAt))
  const at = now()
  for (const r of rows) {
    const l = r.link
    const item: ChildLinkItem = {
      id: l.id,
      guardianId: l.guardianId,
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      legalStatus: l.legalStatus,
      canSeeRecord: l.canSeeRecord,
      canReceiveMessages: l.canReceiveMessages,
      canGiveConsent: l.canGiveConsent,
      startedAt: l.startedAt,
      endedAt: l.endedAt,
      suspendedAt: l.suspendedAt,
      suspensionReason: l.suspensionReason,
      state: linkState(l, at),
    }
    out.set(l.childId, [...(out.get(l.childId) ?? []), item])
  }
  return out
}

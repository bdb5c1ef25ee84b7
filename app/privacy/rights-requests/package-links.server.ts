// The access (or portability) package handed to the requester inside Carnet (issue 13 §5,
// ADR 022). The DPO releases it once the requester's identity is verified: the requester gets
// an email (through the outbox) with a link valid CARNET_PACKAGE_LINK_DAYS days for at most
// CARNET_PACKAGE_LINK_DOWNLOADS downloads; the token is random and only its SHA-256 is kept. A
// new release revokes the previous link. Nothing is stored: each download builds the package
// from the data of that moment, so once the subject is erased there is nothing left to serve
// and the link says so. Each download is counted under the link row's lock (so N parallel
// clicks on a link with one download left give one package) and audited.
import { and, desc, eq, isNull } from 'drizzle-orm'
import { accessPackageLinks, organizations, rightsRequests } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import { config } from '../../config.server'
import { randomToken, sha256Hex } from '../../crypto.server'
import type { Db, DbOrTx } from '../../db.server'
import { Conflict } from '../../errors.server'
import { formatDate, t, type Lang } from '../../i18n'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { queueMail, type Mail } from '../../mail/outbox.server'
import { buildAccessPackage, type AccessPackage } from './access-package.server'
import { addEvent } from './intake.server'
import { step, type Actor } from './handling.server'

const DAY = 24 * 60 * 60 * 1000
type Request = typeof rightsRequests.$inferSelect
type Link = typeof accessPackageLinks.$inferSelect

/** What the requester's link can do now. */
export type PackageLinkState = 'available' | 'expired' | 'used_up' | 'revoked' | 'erased'

/** The link's public path (the token is the credential). */
export const packageLinkPath = (token: string) => `/rights-request/package/${token}`

/** The subject (or the requester) was erased: the request is evidence only, it has no data to hand over. */
const erased = (r: Request) => !r.subjectId || !!r.subjectErasureId || !r.requesterEmail

function stateOf(link: Link, r: Request, at = now()): PackageLinkState {
  if (erased(r)) return 'erased'
  if (link.revokedAt) return 'revoked'
  if (link.expiresAt <= at) return 'expired'
  if (link.downloads >= link.maxDownloads) return 'used_up'
  return 'available'
}

export function packageMail(lang: Lang, to: string, a: { reference: string; orgName: string; url: string; expiresAt: Date; downloads: number }): Mail {
  return {
    to,
    subject: t(lang, 'dsr.mail.package_subject', { reference: a.reference }),
    text: t(lang, 'dsr.mail.package_text', { reference: a.reference, org: a.orgName, link: a.url, date: formatDate(lang, a.expiresAt, true), n: a.downloads }),
  }
}

/**
 * Releases the package to the requester: a new link (the previous one revoked), the email in
 * the outbox, an event and an audit entry, in one transaction. Only for an access or
 * portability request whose requester's identity is verified and whose subject is named.
 */
export async function releasePackage(db: Db, a: Actor) {
  // A closed request may still hand over its package (answered, then released).
  return step(
    db,
    a,
    async (tx, r) => {
      if (r.kind !== 'access' && r.kind !== 'portability') throw new Conflict('dsr.release.kind')
      if (!r.identityVerifiedAt) throw new Conflict('dsr.identity.required')
      if (erased(r)) throw new Conflict('dsr.release.erased')
      return issuePackageLink(tx, r, a)
    },
    { allowClosed: true },
  )
}

/**
 * The link itself, inside the caller's transaction once it has locked and checked the request
 * (releasePackage; a post-mortem disclosure carried out through Carnet, post-mortem.server.ts):
 * the previous link revoked, a new one, the mail to the requester, an event and an audit entry.
 */
export async function issuePackageLink(tx: DbOrTx, r: Request, a: Actor) {
  const at = now()
  const revoked = await tx
    .update(accessPackageLinks)
    .set({ revokedAt: at, revokedBy: a.actorId, revokeReason: 're_released' })
    .where(and(eq(accessPackageLinks.requestId, r.id), isNull(accessPackageLinks.revokedAt)))
    .returning({ id: accessPackageLinks.id })
  const token = randomToken()
  const expiresAt = new Date(at.getTime() + config.packageLinkDays * DAY)
  const maxDownloads = config.packageLinkDownloads
  const [link] = await tx
    .insert(accessPackageLinks)
    .values({ requestId: r.id, orgId: r.orgId, tokenHash: sha256Hex(token), releasedAt: at, releasedBy: a.actorId, expiresAt, maxDownloads })
    .returning()
  const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, r.orgId))
  await queueMail(tx, {
    ...packageMail(r.lang as Lang, r.requesterEmail, { reference: r.reference, orgName: org?.name ?? '', url: `${config.appUrl}${packageLinkPath(token)}`, expiresAt, downloads: maxDownloads }),
    userId: r.requesterUserId,
  })
  await addEvent(tx, r, { kind: 'package_released', actorId: a.actorId, details: { linkId: link!.id, expiresAt: expiresAt.toISOString(), maxDownloads, revoked: revoked.length } })
  await recordAudit(tx, {
    action: 'dsr.package_released',
    orgId: r.orgId,
    actorId: a.actorId,
    targetType: 'rights_request',
    targetId: r.id,
    ...a.origin,
    details: { linkId: link!.id, maxDownloads, days: config.packageLinkDays, revoked: revoked.map((x) => x.id) },
  })
  return { token, link: link! }
}

export type PackageLinkInfo = {
  state: PackageLinkState
  releasedAt: Date
  expiresAt: Date
  maxDownloads: number
  downloads: number
  downloadsLeft: number
}

function info(link: Link, r: Request): PackageLinkInfo {
  return {
    state: stateOf(link, r),
    releasedAt: link.releasedAt,
    expiresAt: link.expiresAt,
    maxDownloads: link.maxDownloads,
    downloads: link.downloads,
    downloadsLeft: Math.max(0, link.maxDownloads - link.downloads),
  }
}

/**
 * The current download link of a request (the latest released), for the DPO's page, the
 * requester's status page and "Mes demandes"; null when the package was never released.
 * The link itself cannot be shown again (only its hash is kept): it is in the requester's email.
 */
export async function packageLinkOf(db: DbOrTx, a: { orgId: string; requestId: string }): Promise<PackageLinkInfo | null> {
  const [row] = await db
    .select({ link: accessPackageLinks, r: rightsRequests })
    .from(accessPackageLinks)
    .innerJoin(rightsRequests, eq(rightsRequests.id, accessPackageLinks.requestId))
    .where(and(eq(accessPackageLinks.requestId, a.requestId), eq(accessPackageLinks.orgId, a.orgId)))
    .orderBy(desc(accessPackageLinks.releasedAt))
    .limit(1)
  return row ? info(row.link, row.r) : null
}

/** packageLinkOf for a loader: dates as ISO strings (app/ui/package-download.tsx renders it). */
export async function packageLinkView(db: DbOrTx, a: { orgId: string; requestId: string }) {
  const link = await packageLinkOf(db, a)
  return link && { ...link, releasedAt: link.releasedAt.toISOString(), expiresAt: link.expiresAt.toISOString() }
}
export type PackageLinkView = NonNullable<Awaited<ReturnType<typeof packageLinkView>>>

/** What the link page shows before the download (nothing is counted): unknown links are null. */
export async function packageLinkByToken(db: DbOrTx, token: string) {
  if (!token || token.length > 64) return null
  const [row] = await db
    .select({ link: accessPackageLinks, r: rightsRequests, orgName: organizations.name })
    .from(accessPackageLinks)
    .innerJoin(rightsRequests, eq(rightsRequests.id, accessPackageLinks.requestId))
    .innerJoin(organizations, eq(organizations.id, accessPackageLinks.orgId))
    .where(eq(accessPackageLinks.tokenHash, sha256Hex(token)))
  return row ? { ...info(row.link, row.r), reference: row.r.reference, orgName: row.orgName, lang: row.r.lang as Lang } : null
}

export type DownloadOutcome = { ok: true; pkg: AccessPackage; downloadsLeft: number } | { ok: false; state: Exclude<PackageLinkState, 'available'> | 'unknown' }

/**
 * One download through the link: counted and audited in one transaction under the link's
 * lock, then the package is built from the data of this moment and streamed. A refused
 * download (unknown, expired, used up, revoked, subject erased) is audited as a failure and
 * serves nothing. `actorId`: the signed-in person who clicked, if any (else the audit entry
 * holds the address and browser only). `via`: the emailed link's token, or the request of a
 * signed-in requester the caller has authorized (its latest link, same limits).
 */
export async function downloadPackage(db: Db, a: { via: { token: string } | { requestId: string }; actorId: string | null; origin: RequestOrigin }): Promise<DownloadOutcome> {
  const counted = await db.transaction(async (tx) => {
    // Through the emailed link, or (the requester signed in, checked by the policy) the request's latest link.
    const [link] = await tx
      .select()
      .from(accessPackageLinks)
      .where('token' in a.via ? eq(accessPackageLinks.tokenHash, sha256Hex(a.via.token)) : eq(accessPackageLinks.requestId, a.via.requestId))
      .orderBy(desc(accessPackageLinks.releasedAt))
      .limit(1)
      .for('update')
    const [r] = link ? await tx.select().from(rightsRequests).where(eq(rightsRequests.id, link.requestId)) : []
    const audit = (outcome: 'success' | 'failure', details: Record<string, unknown>) =>
      recordAudit(tx, {
        action: 'dsr.package_downloaded',
        outcome,
        orgId: link?.orgId ?? null,
        actorId: a.actorId,
        targetType: 'rights_request',
        targetId: link?.requestId ?? null,
        ...a.origin,
        details: { linkId: link?.id ?? null, ...details },
      })
    if (!link || !r) {
      await audit('failure', { reason: 'unknown' })
      return { ok: false as const, state: 'unknown' as const }
    }
    const state = stateOf(link, r)
    if (state !== 'available') {
      // The subject's erasure ends the link for good.
      if (state === 'erased' && !link.revokedAt) await tx.update(accessPackageLinks).set({ revokedAt: now(), revokeReason: 'erased' }).where(eq(accessPackageLinks.id, link.id))
      await audit('failure', { reason: state })
      return { ok: false as const, state }
    }
    const n = link.downloads + 1
    await tx.update(accessPackageLinks).set({ downloads: n, lastDownloadAt: now() }).where(eq(accessPackageLinks.id, link.id))
    await addEvent(tx, r, { kind: 'package_downloaded', actorId: a.actorId, details: { linkId: link.id, download: n, of: link.maxDownloads } })
    await audit('success', { download: n, of: link.maxDownloads, via: 'token' in a.via ? 'link' : 'account' })
    return { ok: true as const, r, left: link.maxDownloads - n }
  })
  if (!counted.ok) return counted
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, counted.r.orgId))
  const pkg = await buildAccessPackage(db, { orgId: counted.r.orgId, requestId: counted.r.id, orgName: org?.name ?? '' })
  return { ok: true, pkg, downloadsLeft: counted.left }
}

// Following one's own request: what the requester sees of it (reference, kind, status, the
// dates and deadlines, the school's answer) — on "My requests" when signed in, or through the
// status link mailed with the receipt when the request came from the public form or the
// operator's log. Nothing here names the data subject or shows the DPO's handling notes.
//
// The status link (ADR 023): 256 random bits, base64url in the URL; only its HMAC is stored
// (status_token_hash), so a copy of the database does not open it. It works while the request is
// open and for STATUS_LINK_AFTER_CLOSE after it is closed, then says it has expired. Guessing is
// pointless at 256 bits, so the page needs no throttle of its own.
//
// The access package (issue 13 §5) is offered here too: RequestStatusView is what both pages
// render, and app/ui/request-status.tsx leaves a slot under the answer for its download.
import { randomBytes } from 'node:crypto'
import { and, desc, eq, ne, or, sql } from 'drizzle-orm'
import { organizations, rightsRequests } from '../../../drizzle/schema'
import { DAY, now } from '../../clock.server'
import { config } from '../../config.server'
import { hmacHex } from '../../crypto.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import type { DsrKind, DsrOutcome } from './constants'

/** How long the status link keeps working once the request is closed. */
export const STATUS_LINK_AFTER_CLOSE = 90 * DAY
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

const tokenHash = (token: string) => hmacHex(token, 'dsr-status-link')

/** A new status link for a request (any earlier one stops working); returns the token, stored only as its HMAC. */
export async function issueStatusToken(db: DbOrTx, requestId: string) {
  const token = randomBytes(32).toString('base64url')
  await db
    .update(rightsRequests)
    .set({ statusTokenHash: tokenHash(token), statusTokenIssuedAt: now() })
    .where(eq(rightsRequests.id, requestId))
  return token
}

export const statusLinkUrl = (token: string) => `${config.appUrl}/rights-request/status/${token}`
export const myRequestUrl = (requestId: string) => `${config.appUrl}/account/requests/${requestId}`

/** null while the request is open: the link works until it is answered, then 90 days more. */
export function statusLinkExpiresAt(r: { closedAt: Date | null }) {
  return r.closedAt ? new Date(r.closedAt.getTime() + STATUS_LINK_AFTER_CLOSE) : null
}

type Row = typeof rightsRequests.$inferSelect

/** What the requester is shown of a request (dates as ISO strings, ready for a loader). */
export type RequestStatusView = {
  id: string
  reference: string
  kind: DsrKind
  status: 'received' | 'forwarded' | 'closed'
  orgName: string
  receivedAt: string | null
  forwardDueAt: string | null
  forwardedAt: string | null
  dueAt: string | null
  extendedDueAt: string | null
  extensionReason: string | null
  outcome: DsrOutcome | null
  outcomeNote: string | null
  closedAt: string | null
}

const iso = (d: Date | null) => d?.toISOString() ?? null

function statusView(r: Row, orgName: string): RequestStatusView {
  return {
    id: r.id,
    reference: r.reference,
    kind: r.kind,
    status: r.status === 'closed' ? 'closed' : r.status === 'forwarded' ? 'forwarded' : 'received',
    orgName,
    receivedAt: iso(r.receivedAt),
    forwardDueAt: iso(r.forwardDueAt),
    forwardedAt: iso(r.forwardedAt),
    dueAt: iso(r.dueAt),
    extendedDueAt: iso(r.extendedDueAt),
    extensionReason: r.extendedDueAt ? r.extensionReason : null,
    outcome: r.status === 'closed' ? r.outcome : null,
    outcomeNote: r.status === 'closed' ? r.outcomeNote : null,
    closedAt: iso(r.closedAt),
  }
}

export type StatusLookup = { state: 'ok'; request: RequestStatusView; orgId: string; linkExpiresAt: string | null } | { state: 'expired' } | { state: 'unknown' }

/** The request a status link opens, or why it does not. */
export async function requestByStatusToken(db: DbOrTx, token: string): Promise<StatusLookup> {
  if (!TOKEN_SHAPE.test(token)) return { state: 'unknown' }
  const [row] = await db
    .select({ r: rightsRequests, orgName: organizations.name })
    .from(rightsRequests)
    .innerJoin(organizations, eq(organizations.id, rightsRequests.orgId))
    .where(and(eq(rightsRequests.statusTokenHash, tokenHash(token)), ne(rightsRequests.status, 'awaiting_verification')))
  if (!row) return { state: 'unknown' }
  const expires = statusLinkExpiresAt(row.r)
  if (expires && expires <= now()) return { state: 'expired' }
  return { state: 'ok', request: statusView(row.r, row.orgName), orgId: row.r.orgId, linkExpiresAt: iso(expires) }
}

/** The status page: the lookup, audited (who opened which request; a wrong or expired link as a failure). */
export async function openStatusLink(db: DbOrTx, token: string, origin: RequestOrigin) {
  const found = await requestByStatusToken(db, token)
  await recordAudit(db, {
    action: 'dsr.status_viewed',
    outcome: found.state === 'ok' ? 'success' : 'failure',
    orgId: found.state === 'ok' ? found.orgId : null,
    targetType: 'rights_request',
    targetId: found.state === 'ok' ? found.request.id : null,
    ...origin,
    details: { via: 'status_link', ...(found.state !== 'ok' && { reason: found.state }) },
  })
  return found
}

/** Who follows requests as their requester: their account, and their email once verified. */
export type Requester = { userId: string; verifiedEmail: string | null }

const mine = (who: Requester) =>
  who.verifiedEmail
    ? or(eq(rightsRequests.requesterUserId, who.userId), sql`lower(${rightsRequests.requesterEmail}) = ${who.verifiedEmail.toLowerCase()}`)
    : eq(rightsRequests.requesterUserId, who.userId)

/** "My requests": every request this person made (in the app, or on the public form with their verified email). */
export async function myRequests(db: DbOrTx, who: Requester) {
  const rows = await db
    .select({ r: rightsRequests, orgName: organizations.name })
    .from(rightsRequests)
    .innerJoin(organizations, eq(organizations.id, rightsRequests.orgId))
    .where(and(mine(who), ne(rightsRequests.status, 'awaiting_verification')))
    .orderBy(desc(rightsRequests.receivedAt), desc(rightsRequests.createdAt))
  return rows.map(({ r, orgName }) => ({ ...statusView(r, orgName), requesterUserId: r.requesterUserId, requesterEmail: r.requesterEmail.toLowerCase() }))
}

/** One request as its requester sees it, with the facts the policy checks (who asked). */
export async function requestForRequester(db: DbOrTx, requestId: string) {
  const [row] = await db
    .select({ r: rightsRequests, orgName: organizations.name })
    .from(rightsRequests)
    .innerJoin(organizations, eq(organizations.id, rightsRequests.orgId))
    .where(and(eq(rightsRequests.id, requestId), ne(rightsRequests.status, 'awaiting_verification')))
  if (!row) throw new NotFound('rights_request')
  return { view: statusView(row.r, row.orgName), orgId: row.r.orgId, asked: { id: row.r.id, requesterUserId: row.r.requesterUserId, requesterEmail: row.r.requesterEmail.toLowerCase() } }
}

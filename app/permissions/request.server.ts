import { redirect } from '@remix-run/node'
import { getDb, type Db } from '../db.server'
import { originOf, recordAudit, type RequestOrigin } from '../compliance/audit.server'
import { pickLang, type Lang } from '../i18n'
import { readSessionToken, validateSessionToken, type SessionCheck, type SessionRow, type SessionUser } from '../auth/session.server'
import { asRow, defineAbilityFor, type Action, type AppAbility, type Principal, type SubjectRows } from './abilities'
import { loadSignedIn, type MemberOrg } from './principal.server'
import { oncePerRequest } from './request-scope.server'
import { auditSupportAccess } from './support-access.server'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type Ctx = {
  db: Db
  request: Request
  lang: Lang
  origin: RequestOrigin
}
export type UserCtx = Ctx & {
  user: SessionUser
  session: SessionRow
  principal: Principal
  ability: AppAbility
  isStaff: boolean
  /** The organizations of the principal's memberships (names and kinds, for the navigation). */
  orgs: MemberOrg[]
}

export function baseContext(request: Request, locale?: string | null): Ctx {
  return { db: getDb(), request, lang: pickLang(request, locale), origin: originOf(request) }
}

/** The signed-in user, or null. A locked staff session counts as signed out here. */
export async function getOptionalUser(request: Request): Promise<UserCtx | null> {
  const token = readSessionToken(request)
  if (!token) return null
  const who = await signedIn(request, token)
  return who.state === 'valid' ? withRequest(request, who) : null
}

type Who = Exclude<SessionCheck, { state: 'valid' }> | (Extract<SessionCheck, { state: 'valid' }> & Pick<UserCtx, 'principal' | 'ability' | 'orgs'>)

/** The session check and the principal, once per HTTP request (request-scope.server.ts). */
function signedIn(request: Request, token: string): Promise<Who> {
  return oncePerRequest(`who:${token}`, async () => {
    const db = getDb()
    const check = await validateSessionToken(db, token)
    if (check.state !== 'valid') return check
    // The principal carries the request-time facts too (retention periods, support grants).
    const { principal, orgs } = await loadSignedIn(db, check.user)
    await auditSupportAccess(db, principal, request)
    return { ...check, principal, ability: defineAbilityFor(principal), orgs }
  })
}

function withRequest(request: Request, who: Extract<Who, { state: 'valid' }>): UserCtx {
  const { user, session, isStaff, principal, ability, orgs } = who
  return { ...baseContext(request, user.locale), user, session, principal, ability, isStaff, orgs }
}

/**
 * Every loader and action that needs a person starts here: no session → login page;
 * a staff session idle for 30 minutes → the unlock page, which asks for the password.
 */
export async function requireAbility(request: Request): Promise<UserCtx> {
  const token = readSessionToken(request)
  const url = new URL(request.url)
  const next = encodeURIComponent(url.pathname + url.search)
  if (!token) throw redirect(`/login?next=${next}`)
  const who = await signedIn(request, token)
  if (who.state === 'none') throw redirect(`/login?next=${next}`)
  if (who.state === 'locked') throw redirect(`/unlock?next=${next}`)
  return withRequest(request, who)
}

/**
 * Checks one action on one row: `await authorize(ctx, 'read', 'Class', row)`. A denial is
 * audited and becomes a 403 page — the only place where that happens.
 */
export async function authorize<S extends keyof SubjectRows>(ctx: UserCtx, action: Action, name: S, row: SubjectRows[S]) {
  if (ctx.ability.can(action, asRow(name, row))) return
  const r = row as Record<string, unknown>
  await deny(ctx, action, name, typeof r.id === 'string' ? r.id : null, typeof r.orgId === 'string' ? r.orgId : null)
}

/** Audits the denial and throws the 403 response. */
export async function deny(ctx: UserCtx | Ctx, action: string, subjectName: keyof SubjectRows, targetId: string | null, orgId: string | null = null): Promise<never> {
  // A malformed organization id names nothing: still audited (the column takes only UUIDs), then a 404.
  const malformed = orgId !== null && !UUID.test(orgId)
  await recordAudit(ctx.db, {
    action: 'access.denied',
    outcome: 'denied',
    actorId: 'user' in ctx ? ctx.user.id : null,
    orgId: malformed ? null : orgId,
    targetType: subjectName,
    targetId: targetId?.slice(0, 100) ?? null,
    ...ctx.origin,
    details: { attempted: action, path: new URL(ctx.request.url).pathname.slice(0, 300), ...(malformed && { reason: 'invalid_id' }) },
  })
  if (malformed) throw new Response('Not found', { status: 404, statusText: 'Not Found' })
  throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

import { subject as asSubject } from '@casl/ability'
import { redirect } from '@remix-run/node'
import { getDb, type Db } from '../db.server'
import { originOf, recordAudit, type RequestOrigin } from '../compliance/audit.server'
import { pickLang, type Lang } from '../i18n'
import { readSessionToken, validateSessionToken, type SessionCheck, type SessionRow, type SessionUser } from '../auth/session.server'
import { defineAbilityFor, type Action, type AppAbility, type Principal, type SubjectName } from './abilities'
import { loadSignedIn, type MemberOrg } from './principal.server'
import { oncePerRequest } from './request-scope.server'
import { adjustAbility } from './support-access.server'

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
    const { principal, orgs } = await loadSignedIn(db, check.user)
    // Request-time rules: retention period after contract end, operator support grants.
    const retention = new Set(orgs.filter((o) => o.inRetention).map((o) => o.orgId))
    const ability = await adjustAbility(db, principal, defineAbilityFor(principal), request, retention)
    return { ...check, principal, ability, orgs }
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
 * Checks one action on one row (wrapped with CASL's subject()). A denial is audited and
 * becomes a 403 page — the only place where that happens.
 */
export async function authorize(ctx: UserCtx, action: Action, subjectName: SubjectName, row: Record<string, unknown>) {
  if (ctx.ability.can(action, asSubject(subjectName, { ...row }) as never)) return
  await deny(ctx, action, subjectName, typeof row.id === 'string' ? row.id : null, typeof row.orgId === 'string' ? row.orgId : null)
}

/** Audits the denial and throws the 403 response. */
export async function deny(ctx: UserCtx | Ctx, action: string, subjectName: string, targetId: string | null, orgId: string | null = null): Promise<never> {
  await recordAudit(ctx.db, {
    action: 'access.denied',
    outcome: 'denied',
    actorId: 'user' in ctx ? ctx.user.id : null,
    orgId,
    targetType: subjectName,
    targetId,
    ...ctx.origin,
    details: { attempted: action, path: new URL(ctx.request.url).pathname },
  })
  throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

/** For pages scoped to one organization: the membership must exist, or it is a denial. */
export async function requireOrgRole(ctx: UserCtx, orgId: string, roles: Principal['memberships'][number]['role'][]) {
  const ok = ctx.principal.memberships.some((m) => m.orgId === orgId && roles.includes(m.role))
  if (!ok) await deny(ctx, 'access', 'Organization', orgId, orgId)
}

import type { OrgKind, Role } from '../../drizzle/schema'
import { t, type Lang, type MessageKey } from '~/i18n'
import type { UserCtx } from '~/permissions/request.server'
import { openAlertCounts } from '~/models/families/status.server'
import { unreadBreachNotices } from '~/privacy/breaches/register.server'

export type NavItem = { href: string; label: MessageKey; vars?: Record<string, string | number> }
export type NavOrg = { orgId: string; orgName: string; kind: OrgKind | 'operator'; roles: Role[]; items: NavItem[] }
/** The navigation as the shell shows it: labels already in the reader's language, so the browser needs no message of the areas they come from. */
export type ShellNavOrg = { orgId: string; orgName: string; roles: Role[]; items: { href: string; label: string }[] }

export async function shellNavFor(ctx: UserCtx, lang: Lang): Promise<ShellNavOrg[]> {
  return (await navFor(ctx)).map((o) => ({ orgId: o.orgId, orgName: o.orgName, roles: o.roles, items: o.items.map((i) => ({ href: i.href, label: t(lang, i.label, i.vars) })) }))
}

/** Navigation by role: each membership contributes the pages its role can use. */
export async function navFor(ctx: UserCtx): Promise<NavOrg[]> {
  const orgIds = [...new Set(ctx.principal.memberships.map((m) => m.orgId))]
  // The platform operator's registers (no organization of its own).
  const operator: NavOrg[] = ctx.principal.isOperator
    ? [{ orgId: 'operator', orgName: 'Carnet', kind: 'operator', roles: [], items: [{ href: '/operator/requests', label: 'retention.nav.operator_requests' }, { href: '/operator/breaches', label: 'retention.nav.operator_breaches' }, { href: '/operator/subprocessors', label: 'retention.nav.operator_subprocessors' }, { href: '/operator/support', label: 'retention.nav.operator_support' }] }]
    : []
  if (!orgIds.length) return operator
  const orgs = ctx.orgs.map((o) => ({ id: o.orgId, name: o.name, kind: o.kind }))
  // Families: administrators see open "not my child" alerts in their navigation.
  const adminOrgs = orgs.filter((o) => o.kind !== 'family' && ctx.principal.memberships.some((m) => m.orgId === o.id && m.role === 'admin')).map((o) => o.id)
  // Breach notices not yet opened (in-app notification of DPA §10.2).
  const [alerts, breachNotices] = await Promise.all([openAlertCounts(ctx.db, adminOrgs), unreadBreachNotices(ctx.db, ctx.user.id)])
  return [...operator, ...orgs.map((o): NavOrg => {
    const roles = ctx.principal.memberships.filter((m) => m.orgId === o.id).map((m) => m.role)
    const base = `/org/${o.id}`
    // A child's whole space is /me; the organization pages are for adults.
    if (roles.every((r) => r === 'child')) return { orgId: o.id, orgName: o.name, kind: o.kind, roles, items: [{ href: '/me', label: 'nav.my_space' }] }
    // Families: a family space is run from its family page; guardians reach their children.
    if (o.kind === 'family') {
      const family: NavItem[] = roles.includes('admin') ? [{ href: `${base}/family`, label: 'families.nav.family' }] : []
      if (roles.includes('guardian') || roles.includes('admin')) family.push({ href: '/children', label: 'families.nav.children' })
      if (roles.includes('admin')) family.push({ href: `${base}/privacy`, label: 'retention.nav.privacy' })
      return { orgId: o.id, orgName: o.name, kind: o.kind, roles, items: family }
    }
    const items: NavItem[] = [{ href: base, label: 'nav.org_home' }]
    if (roles.includes('admin') || roles.includes('teacher')) items.push({ href: `${base}/classes`, label: 'nav.classes' })
    // Result exports (class / school ZIP): whoever can read records in bulk — teachers, admins, the DPO.
    if (roles.some((r) => r === 'admin' || r === 'teacher' || r === 'dpo')) items.push({ href: `${base}/exports`, label: 'learning.nav.exports' })
    if (roles.includes('admin')) {
      items.push({ href: `${base}/import`, label: 'nav.import' })
      items.push({ href: `${base}/members`, label: 'nav.members' })
      items.push({ href: `${base}/invitations`, label: 'staff.nav_invitations' })
      items.push({ href: `${base}/networks`, label: 'networks.nav' })
    } else if (roles.includes('dpo')) {
      items.push({ href: `${base}/members`, label: 'nav.members' })
    }
    if (roles.includes('admin') || roles.includes('dpo'))
      items.push(alerts.get(o.id) ? { href: `${base}/guardians`, label: 'families.nav.guardians_alerts', vars: { count: String(alerts.get(o.id)) } } : { href: `${base}/guardians`, label: 'families.nav.guardians' })
    if (roles.includes('guardian')) items.push({ href: '/children', label: 'families.nav.children' })
    if (roles.includes('dpo') || roles.includes('admin')) {
      items.push({ href: `${base}/dpo/requests`, label: 'dpo.nav.requests' }, { href: `${base}/dpo/consent-log`, label: 'dpo.nav.consent' })
      items.push({ href: `${base}/dpo/audit`, label: 'dpo.nav.audit' }, { href: `${base}/dpo/certificate`, label: 'dpo.nav.certificate' })
      items.push({ href: `${base}/privacy`, label: 'retention.nav.privacy' }, breachNotices.get(o.id) ? { href: `${base}/breaches`, label: 'retention.nav.breaches_unread', vars: { count: String(breachNotices.get(o.id)) } } : { href: `${base}/breaches`, label: 'retention.nav.breaches' })
    }
    return { orgId: o.id, orgName: o.name, kind: o.kind, roles, items }
  })]
}

import type { OrgKind, Role } from '../../drizzle/schema'
import { t, type Lang, type MessageKey } from '~/i18n'
import { orgPages } from '~/permissions/pages'
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

/** Navigation: per organization, the pages the policy lets this person open (permissions/pages.ts). */
export async function navFor(ctx: UserCtx): Promise<NavOrg[]> {
  const orgIds = [...new Set(ctx.principal.memberships.map((m) => m.orgId))]
  // The platform operator's registers (no organization of its own).
  const operator: NavOrg[] = ctx.principal.isOperator
    ? [
        {
          orgId: 'operator',
          orgName: 'Carnet',
          kind: 'operator',
          roles: [],
          items: [
            { href: '/operator/requests', label: 'retention.nav.operator_requests' },
            { href: '/operator/breaches', label: 'retention.nav.operator_breaches' },
            { href: '/operator/subprocessors', label: 'retention.nav.operator_subprocessors' },
            { href: '/operator/support', label: 'retention.nav.operator_support' },
            { href: '/operator/mail', label: 'retention.nav.operator_mail' },
          ],
        },
      ]
    : []
  if (!orgIds.length) return operator
  const orgs = ctx.orgs.map((o) => ({ id: o.orgId, name: o.name, kind: o.kind, pages: orgPages(ctx, o.orgId) }))
  // Schools: administrators see open "not my child" alerts in their navigation.
  const alertOrgs = orgs.filter((o) => o.kind !== 'family' && o.pages.guardianAlerts).map((o) => o.id)
  // Breach notices not yet opened (in-app notification of DPA §10.2).
  const [alerts, breachNotices] = await Promise.all([openAlertCounts(ctx.db, alertOrgs), unreadBreachNotices(ctx.db, ctx.user.id)])
  return [
    ...operator,
    ...orgs.map(({ pages, ...o }): NavOrg => {
      const roles = ctx.principal.memberships.filter((m) => m.orgId === o.id).map((m) => m.role)
      const base = `/org/${o.id}`
      // A child's whole space is /me; the organization pages are for adults.
      if (pages.childSpaceOnly) return { orgId: o.id, orgName: o.name, kind: o.kind, roles, items: [{ href: '/me', label: 'nav.my_space' }] }
      // Families: a family space is run from its family page; guardians reach their children.
      if (o.kind === 'family') {
        const family: NavItem[] = pages.administer ? [{ href: `${base}/family`, label: 'families.nav.family' }] : []
        if (pages.myChildren || pages.administer) family.push({ href: '/children', label: 'families.nav.children' })
        if (pages.privacyAdmin) family.push({ href: `${base}/privacy`, label: 'retention.nav.privacy' })
        return { orgId: o.id, orgName: o.name, kind: o.kind, roles, items: family }
      }
      const items: NavItem[] = [{ href: base, label: 'nav.org_home' }]
      if (pages.classes) items.push({ href: `${base}/classes`, label: 'nav.classes' })
      // Result exports (class / school ZIP): whoever can read records in bulk — teachers, admins, the DPO.
      if (pages.exports) items.push({ href: `${base}/exports`, label: 'learning.nav.exports' })
      if (pages.import) items.push({ href: `${base}/import`, label: 'nav.import' })
      if (pages.members) items.push({ href: `${base}/members`, label: 'nav.members' })
      if (pages.invitations) items.push({ href: `${base}/invitations`, label: 'staff.nav_invitations' })
      // School networks: changing the organization's settings (its administrators).
      if (pages.administer) items.push({ href: `${base}/networks`, label: 'networks.nav' })
      if (pages.guardians)
        items.push(
          alerts.get(o.id)
            ? { href: `${base}/guardians`, label: 'families.nav.guardians_alerts', vars: { count: String(alerts.get(o.id)) } }
            : { href: `${base}/guardians`, label: 'families.nav.guardians' },
        )
      if (pages.myChildren) items.push({ href: '/children', label: 'families.nav.children' })
      if (pages.dpo) {
        items.push({ href: `${base}/dpo/requests`, label: 'dpo.nav.requests' }, { href: `${base}/dpo/consent-log`, label: 'dpo.nav.consent' })
        items.push({ href: `${base}/dpo/audit`, label: 'dpo.nav.audit' }, { href: `${base}/dpo/certificate`, label: 'dpo.nav.certificate' })
      }
      if (pages.privacy)
        items.push(
          { href: `${base}/privacy`, label: 'retention.nav.privacy' },
          breachNotices.get(o.id)
            ? { href: `${base}/breaches`, label: 'retention.nav.breaches_unread', vars: { count: String(breachNotices.get(o.id)) } }
            : { href: `${base}/breaches`, label: 'retention.nav.breaches' },
        )
      return { orgId: o.id, orgName: o.name, kind: o.kind, roles, items }
    }),
  ]
}

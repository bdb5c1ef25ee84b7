// What a person may open in one organization, for the navigation and the organization's home:
// each entry asks the policy (abilities.ts) about the page's subject, so a link shows exactly
// when its page would open. The one exception is the guardian's space (/children): it is open
// to every guardian membership, linked or not yet (the links are checked child by child).
import { can, type AppAbility, type Principal } from './abilities'

export type OrgPages = {
  /** The organization's own settings and overview (its administrators). */
  administer: boolean
  /** A child's space is /me; the organization's pages are for adults. */
  childSpaceOnly: boolean
  classes: boolean
  exports: boolean
  import: boolean
  members: boolean
  invitations: boolean
  guardians: boolean
  /** Resolving "not my child" alerts (administrators). */
  guardianAlerts: boolean
  myChildren: boolean
  dpo: boolean
  privacy: boolean
  /** The privacy page's administrator side (grace period, early deletion, member deletions). */
  privacyAdmin: boolean
}

export function orgPages(who: { principal: Principal; ability: AppAbility }, orgId: string): OrgPages {
  const a = who.ability
  return {
    administer: can(a, 'update', 'Organization', { id: orgId, orgId }),
    childSpaceOnly: who.principal.kind === 'child',
    classes: can(a, 'list', 'Class', { orgId }),
    exports: can(a, 'read', 'StaffArea', { orgId }),
    import: can(a, 'create', 'RosterImport', { orgId }),
    members: can(a, 'read', 'AccessReview', { orgId }),
    invitations: can(a, 'create', 'Invitation', { orgId }),
    guardians: can(a, 'read', 'GuardianLink', { orgId }),
    guardianAlerts: can(a, 'update', 'GuardianLink', { orgId }),
    myChildren: who.principal.memberships.some((m) => m.orgId === orgId && m.role === 'guardian'),
    dpo: can(a, 'read', 'RightsRequest', { orgId }),
    privacy: can(a, 'read', 'PrivacyArea', { orgId }),
    privacyAdmin: can(a, 'administer', 'PrivacyArea', { orgId }),
  }
}

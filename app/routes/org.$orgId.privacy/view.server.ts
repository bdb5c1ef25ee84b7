// What the privacy page shows: deletions under way and done, the grace period, retention after
// the contract, the legal basis, and (for an admin) the members whose deletion may be asked.
// The page's sections take its type from here, so they never import the route module.
import { now } from '~/clock.server'
import type { DbOrTx } from '~/db.server'
import { t as translate, type Lang } from '~/i18n'
import { MAX_GRACE_HOURS } from '~/privacy/erasure/requests.server'
import { deletableMembers, privacyOverview } from '~/privacy/retention/privacy-view.server'

export type PrivacyView = Awaited<ReturnType<typeof privacyView>>

export async function privacyView(db: DbOrTx, lang: Lang, { orgId, isAdmin, userId }: { orgId: string; isAdmin: boolean; userId: string }) {
  const o = await privacyOverview(db, orgId)
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null
  return {
    orgId,
    isAdmin,
    maxGrace: MAX_GRACE_HOURS,
    graceHours: o.graceHours,
    legalBasis: o.legalBasis,
    retention: { state: o.retention.state, subscriptionEndsAt: iso(o.retention.subscriptionEndsAt), erasureAt: iso(o.retention.erasureAt) },
    open: o.open.map((r) => ({
      id: r.id,
      scope: r.scope,
      name: r.name,
      role: r.requestedByRole,
      requestedAt: iso(r.requestedAt)!,
      dueAt: iso(r.dueAt)!,
      eraseAfter: iso(r.eraseAfter)!,
      cancellable: r.eraseAfter > now(),
      overdue: !!r.overdueAt,
    })),
    erased30d: o.erased30d,
    members: isAdmin ? (await deletableMembers(db, orgId)).filter((m) => m.id !== userId).map((m) => ({ id: m.id, label: `${m.lastName} ${m.firstName} — ${translate(lang, `role.${m.role}`)}` })) : [],
    recent: o.recent.map((x) => ({
      id: x.id,
      scope: x.scope,
      role: x.requestedByRole,
      requestedAt: iso(x.requestedAt)!,
      completedAt: iso(x.completedAt)!,
      late: x.late,
      rows: Object.values(x.deleted).reduce((a, b) => a + b, 0),
      anonymized: Object.values(x.anonymized).reduce((a, b) => a + b, 0),
    })),
  }
}

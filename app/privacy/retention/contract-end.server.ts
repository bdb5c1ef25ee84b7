// Retention after the contract ends (GTCS §21.2, Annex B: "in the absence of a deletion request,
// including in the event of subscription expiration, data may be retained for a maximum period
// of two (2) years"; DESIGN §3.8). From organizations.subscription_ends_at the organization is
// in its retention period: its admins may log in to export or to ask for early deletion,
// nothing else (policy.server.ts). Its admins are emailed 30 and 7 days before the end; at the
// end the organization's deletion is requested and the erasure job carries it out.
import { and, eq, isNotNull, lte } from 'drizzle-orm'
import { memberships, notifications, organizations, retentionNotices, users } from '../../../drizzle/schema'
import { DAY, now } from '../../clock.server'
import { config } from '../../config.server'
import type { Db, DbOrTx } from '../../db.server'
import { formatDate, isLang, t, type Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { recordAudit } from '../../compliance/audit.server'
import { addCalendarMonths } from '../backups/schedule.server'
import { requestOrganizationDeletion } from '../erasure/requests.server'

export const RETENTION_MONTHS = 24
export const NOTICES = [
  { kind: 'days_30' as const, before: 30 * DAY },
  { kind: 'days_7' as const, before: 7 * DAY },
]

export function retentionEnd(subscriptionEndsAt: Date): Date {
  return addCalendarMonths(subscriptionEndsAt, RETENTION_MONTHS)
}

export async function retentionStatus(db: DbOrTx, orgId: string) {
  const [org] = await db.select({ endsAt: organizations.subscriptionEndsAt }).from(organizations).where(eq(organizations.id, orgId))
  if (!org?.endsAt) return { state: 'active' as const, subscriptionEndsAt: null, erasureAt: null }
  const erasureAt = retentionEnd(org.endsAt)
  return { state: org.endsAt <= now() ? ('retention' as const) : ('ending' as const), subscriptionEndsAt: org.endsAt, erasureAt }
}

async function adminsOf(db: DbOrTx, orgId: string) {
  const rows = await db
    .selectDistinct({ id: users.id, email: users.email, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'admin'), isNotNull(users.email)))
  return rows.map((r) => ({ id: r.id, email: r.email!, lang: (isLang(r.locale) ? r.locale : 'fr') as Lang }))
}

function noticeMail(lang: Lang, to: string, userId: string, a: { orgId: string; orgName: string; erasureAt: Date; days: number }) {
  return {
    to,
    userId,
    subject: t(lang, 'retention.mail.subject', { org: a.orgName, days: a.days }),
    text: t(lang, 'retention.mail.text', { org: a.orgName, date: formatDate(lang, a.erasureAt, true), days: a.days, link: `${config.appUrl}/org/${a.orgId}/privacy` }),
  }
}

/** The retention job: notices 30 and 7 days before, then the deletion request at the end. Idempotent. */
export async function sweepRetention(db: Db) {
  const at = now()
  const ended = await db
    .select({ id: organizations.id, name: organizations.name, endsAt: organizations.subscriptionEndsAt })
    .from(organizations)
    .where(and(isNotNull(organizations.subscriptionEndsAt), lte(organizations.subscriptionEndsAt, at)))
  let notices = 0
  const requested: string[] = []
  for (const org of ended) {
    const erasureAt = retentionEnd(org.endsAt!)
    if (at >= erasureAt) {
      const r = await requestOrganizationDeletion(db, { orgId: org.id, requestedBy: null, role: 'contract_end', reason: 'contract_end' })
      requested.push(r.id)
      continue
    }
    // Only the latest notice that is due (a job down for weeks does not send both at once).
    const due = [...NOTICES].reverse().find((n) => at.getTime() >= erasureAt.getTime() - n.before)
    if (!due) continue
    await db.transaction(async (tx) => {
      const [row] = await tx.insert(retentionNotices).values({ orgId: org.id, kind: due.kind, erasureAt, sentAt: at, recipients: 0 }).onConflictDoNothing().returning()
      if (!row) return // already sent
      const admins = await adminsOf(tx, org.id)
      const days = Math.ceil((erasureAt.getTime() - at.getTime()) / DAY)
      for (const a of admins) {
        await queueMail(tx, noticeMail(a.lang, a.email, a.id, { orgId: org.id, orgName: org.name, erasureAt, days }))
        await tx
          .insert(notifications)
          .values({ userId: a.id, orgId: org.id, kind: `retention.${due.kind}`, refType: 'retention_notice', refId: row.id, createdAt: at })
          .onConflictDoNothing()
      }
      await tx.update(retentionNotices).set({ recipients: admins.length }).where(eq(retentionNotices.id, row.id))
      await recordAudit(tx, {
        action: 'retention.notice_sent',
        orgId: org.id,
        targetType: 'organization',
        targetId: org.id,
        details: { kind: due.kind, erasureAt: erasureAt.toISOString(), recipients: admins.length },
      })
      notices++
    })
  }
  return { inRetention: ended.length, notices, deletionsRequested: requested.length, requestIds: requested }
}

// Checkpoints leave Carnet (ADR 015): once a week each organization's DPO receives the latest
// signed checkpoint of its consent log as a JSON attachment, to keep outside Carnet. Whoever
// later rewrites the log — even as the database owner — no longer matches that file. An
// organization without a DPO sends it to its administrators, and the mail says why.
// Idempotent per organization and ISO week: checkpoint_mailings (org, week) is unique and is
// claimed in the same transaction as the mails (an outbox when SMTP is not configured).
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm'
import { checkpointMailings, consentRecords, memberships, organizations, users } from '../../../drizzle/schema'
import { DAY, now } from '../../clock.server'
import { config } from '../../config.server'
import type { Db, DbOrTx } from '../../db.server'
import { recordAudit } from '../../compliance/audit.server'
import { checkpointFileName, checkpointJson, latestCheckpoint, writeCheckpoint, type Checkpoint } from '../../compliance/checkpoints.server'
import { groupedFingerprint, signingKey } from '../../compliance/signing-key.server'
import { formatDate, isLang, t, type Lang } from '../../i18n'
import { queueMail, type Mail } from '../../mail/outbox.server'

/** Monday (UTC) of the ISO week holding `at`, as YYYY-MM-DD. */
export function weekOf(at: Date) {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7
  return new Date(midnight - sinceMonday * DAY).toISOString().slice(0, 10)
}

type Recipient = { id: string; email: string; lang: Lang }

async function membersWithRole(db: DbOrTx, orgId: string, roles: ('dpo' | 'admin')[]): Promise<Recipient[]> {
  const rows = await db
    .selectDistinct({ id: users.id, email: users.email, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, roles), eq(memberships.status, 'active'), isNotNull(users.email), isNull(users.deactivatedAt)))
  return rows.map((r) => ({ id: r.id, email: r.email!, lang: isLang(r.locale) ? r.locale : 'fr' }))
}

/** The DPOs; when the organization has none, its administrators (toAdmins: the mail says so). */
export async function checkpointRecipients(db: DbOrTx, orgId: string) {
  const dpos = await membersWithRole(db, orgId, ['dpo'])
  if (dpos.length) return { recipients: dpos, toAdmins: false }
  return { recipients: await membersWithRole(db, orgId, ['admin']), toAdmins: true }
}

export function checkpointMail(lang: Lang, to: Recipient, a: { orgId: string; orgName: string; checkpoint: Checkpoint; toAdmins: boolean; brokenAt: number | null }): Mail {
  const cp = a.checkpoint
  const key = signingKey()
  const lines = [
    t(lang, 'dpo.checkpoint_mail.text', {
      org: a.orgName,
      seq: cp.seq,
      date: formatDate(lang, cp.signedAt, true),
      head: cp.headHash,
      url: `${config.appUrl}/org/${a.orgId}/dpo/consent-log`,
      fingerprint: groupedFingerprint(key.fingerprint),
    }),
  ]
  if (a.brokenAt !== null) lines.unshift(t(lang, 'dpo.checkpoint_mail.chain_broken', { seq: a.brokenAt }))
  if (a.toAdmins) lines.push(t(lang, 'dpo.checkpoint_mail.to_admins', { org: a.orgName }))
  return {
    to: to.email,
    userId: to.id,
    subject: t(lang, 'dpo.checkpoint_mail.subject', { org: a.orgName, seq: cp.seq }),
    text: lines.join('\n\n'),
    attachments: [{ filename: checkpointFileName(cp), contentType: 'application/json', content: JSON.stringify(checkpointJson(cp, a.orgName), null, 2) + '\n' }],
  }
}

export type CheckpointMailResult =
  { sent: true; recipients: number; toAdmins: boolean; seq: number } | { sent: false; reason: 'already_this_week' | 'no_checkpoint' | 'no_recipient' | 'no_organization' }

/** This week's mail for one organization: signs the head first if it moved (never a broken chain). */
export async function mailCheckpoint(db: Db, orgId: string): Promise<CheckpointMailResult> {
  const week = weekOf(now())
  return db.transaction(async (tx) => {
    const [done] = await tx
      .select({ id: checkpointMailings.id })
      .from(checkpointMailings)
      .where(and(eq(checkpointMailings.orgId, orgId), eq(checkpointMailings.week, week)))
    if (done) return { sent: false, reason: 'already_this_week' } as const
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId))
    if (!org) return { sent: false, reason: 'no_organization' } as const
    const signed = await writeCheckpoint(tx, orgId)
    const checkpoint = signed.checkpoint ?? (await latestCheckpoint(tx, orgId))
    if (!checkpoint) return { sent: false, reason: 'no_checkpoint' } as const
    const { recipients, toAdmins } = await checkpointRecipients(tx, orgId)
    if (!recipients.length) {
      await recordAudit(tx, { action: 'consent_log.checkpoint_mail_skipped', outcome: 'failure', orgId, targetType: 'consent_log', targetId: orgId, details: { week, reason: 'no_recipient' } })
      return { sent: false, reason: 'no_recipient' } as const
    }
    const [claim] = await tx.insert(checkpointMailings).values({ orgId, week, checkpointId: checkpoint.id, sentAt: now(), recipients: recipients.length, toAdmins }).onConflictDoNothing().returning()
    if (!claim) return { sent: false, reason: 'already_this_week' } as const
    const brokenAt = !signed.written && signed.reason === 'chain_broken' ? signed.report.brokenAt : null
    for (const r of recipients) await queueMail(tx, checkpointMail(r.lang, r, { orgId, orgName: org.name, checkpoint, toAdmins, brokenAt }))
    await recordAudit(tx, {
      action: 'consent_log.checkpoint_mailed',
      orgId,
      targetType: 'consent_checkpoint',
      targetId: checkpoint.id,
      details: { seq: checkpoint.seq, week, recipients: recipients.length, toAdmins, chainBroken: brokenAt !== null },
    })
    return { sent: true, recipients: recipients.length, toAdmins, seq: checkpoint.seq } as const
  })
}

/** The weekly job: every organization that has a consent log. */
export async function mailWeeklyCheckpoints(db: Db) {
  const orgs = await db.selectDistinct({ orgId: consentRecords.orgId }).from(consentRecords)
  const counts = { sent: 0, skipped: 0, noRecipient: 0 }
  for (const { orgId } of orgs) {
    const r = await mailCheckpoint(db, orgId)
    if (r.sent) counts.sent++
    else if (r.reason === 'no_recipient') counts.noRecipient++
    else counts.skipped++
  }
  return counts
}

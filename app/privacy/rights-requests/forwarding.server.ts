// Routing a request to the controller (DPA §10.1): the school's DPO and administrators are
// notified in the app and by email, and the requester gets a receipt — within 48 hours of
// receipt (target: within a minute, by the dsr-forward job enqueued when the request counts;
// the per-minute sweep catches anything missed and flags what passed the deadline). Carnet,
// the processor, does not answer the request itself.
import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, notInArray, or, sql } from 'drizzle-orm'
import { memberships, notifications, organizations, rightsRequests, users } from '../../../drizzle/schema'
import { MINUTE, now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { recordAudit } from '../../compliance/audit.server'
import { isLang, type Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { effectiveDue, NEARLY_DUE, OVERDUE_REMINDER_EVERY } from './deadlines.server'
import { addEvent, purgeUnverified } from './intake.server'
import { forwardedMail, receiptMail, reminderMail } from './mails.server'
import { issueStatusToken, myRequestUrl, statusLinkUrl } from './status.server'

/** The controller's people for a request: active DPO and admin memberships with an email. */
export async function controllerContacts(db: DbOrTx, orgId: string) {
  const rows = await db
    .selectDistinct({ id: users.id, email: users.email, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ['dpo', 'admin']), eq(memberships.status, 'active'), isNotNull(users.email), isNull(users.deactivatedAt)))
  return rows.map((r) => ({ id: r.id, email: r.email!, lang: (isLang(r.locale) ? r.locale : 'fr') as Lang }))
}

export type ForwardResult = { forwarded: true; late: boolean; recipients: number } | { forwarded: false; reason: 'not_found' | 'not_received' | 'already_forwarded' }

/** Idempotent: the row is locked and only a 'received' request is forwarded, once. */
export async function forwardRequest(db: Db, requestId: string): Promise<ForwardResult> {
  return db.transaction(async (tx) => {
    const [r] = await tx.select().from(rightsRequests).where(eq(rightsRequests.id, requestId)).for('update')
    if (!r) return { forwarded: false, reason: 'not_found' }
    if (r.forwardedAt) return { forwarded: false, reason: 'already_forwarded' }
    if (r.status !== 'received') return { forwarded: false, reason: 'not_received' }
    return forwardLocked(tx, r, new Map())
  })
}

type Controller = { name: string; contacts: Awaited<ReturnType<typeof controllerContacts>> }

/** The forward itself, on a request row this transaction holds locked and that is 'received'. */
async function forwardLocked(tx: DbOrTx, r: typeof rightsRequests.$inferSelect, controllers: Map<string, Controller>): Promise<ForwardResult> {
  let controller = controllers.get(r.orgId)
  if (!controller) {
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, r.orgId))
    controller = { name: org?.name ?? '', contacts: await controllerContacts(tx, r.orgId) }
    controllers.set(r.orgId, controller)
  }
  const { contacts } = controller
  // Nobody to forward to is a failure (the job retries; the sweep flags it at 48 hours).
  if (!contacts.length) throw new Error(`rights request ${r.id}: the organization has no DPO or administrator to forward to`)
  const at = now()
  for (const c of contacts) {
    await tx.insert(notifications).values({ userId: c.id, orgId: r.orgId, kind: 'dsr.forwarded', refType: 'rights_request', refId: r.id, createdAt: at }).onConflictDoNothing()
    await queueMail(tx, forwardedMail(c.lang, c.email, c.id, r, controller.name))
  }
  const late = !!r.forwardDueAt && at > r.forwardDueAt
  const [row] = await tx.update(rightsRequests).set({ status: 'forwarded', forwardedAt: at }).where(eq(rightsRequests.id, r.id)).returning()
  await addEvent(tx, r, { kind: 'forwarded', details: { recipients: contacts.length, late } })
  // Where the requester follows it: "My requests" for a request filed in the app, else a status link.
  const follow = r.channel === 'in_app' && r.requesterUserId ? myRequestUrl(r.id) : statusLinkUrl(await issueStatusToken(tx, r.id))
  await queueMail(tx, receiptMail(r.lang as Lang, r.requesterEmail, row!, controller.name, follow))
  await addEvent(tx, r, { kind: 'receipt_sent' })
  await recordAudit(tx, {
    action: 'dsr.forwarded',
    outcome: late ? 'failure' : 'success',
    orgId: r.orgId,
    targetType: 'rights_request',
    targetId: r.id,
    details: { recipients: contacts.length, late },
  })
  return { forwarded: true, late, recipients: contacts.length }
}

/** Requests forwarded per transaction by forwardReceived: one COMMIT and one mail-delivery enqueue per batch. */
const FORWARD_BATCH = 25

/**
 * Forwards every received request (or those received before `receivedBefore`), a batch per
 * transaction: the rows are taken with SKIP LOCKED, so several jobs, processes or machines
 * share a burst instead of queuing behind one another, and each request is forwarded in its own
 * savepoint, so one that fails (nobody to forward to) stays received without holding back the
 * others. A burst of requests therefore costs a few dozen commits and mail enqueues, not one job
 * round-trip each (issue 12 §11; bench/dsr-forwarding.ts). Stops after `maxBatches`.
 */
export async function forwardReceived(db: Db, { receivedBefore, maxBatches = 40, log = console }: { receivedBefore?: Date; maxBatches?: number; log?: Pick<Console, 'warn'> } = {}) {
  const failed: string[] = []
  let forwarded = 0
  for (let b = 0; b < maxBatches; b++) {
    const done = await db.transaction(async (tx) => {
      const batch = await tx
        .select()
        .from(rightsRequests)
        .where(
          and(
            eq(rightsRequests.status, 'received'),
            isNull(rightsRequests.forwardedAt),
            receivedBefore ? lte(rightsRequests.receivedAt, receivedBefore) : undefined,
            failed.length ? notInArray(rightsRequests.id, failed) : undefined,
          ),
        )
        .orderBy(asc(rightsRequests.receivedAt))
        .limit(FORWARD_BATCH)
        .for('update', { skipLocked: true })
      const controllers = new Map<string, Controller>()
      let n = 0
      for (const r of batch) {
        try {
          await tx.transaction((sp) => forwardLocked(sp, r, controllers))
          n++
        } catch (e) {
          failed.push(r.id)
          log.warn(`[dsr] forwarding ${r.id} failed: ${e instanceof Error ? e.message : e}`)
        }
      }
      return { taken: batch.length, n }
    })
    forwarded += done.n
    if (done.taken < FORWARD_BATCH) break
  }
  return { forwarded, failed: failed.length }
}

/**
 * The per-minute sweep: (1) flags every request still unforwarded past its 48 hours — the flag
 * stays as evidence once it is forwarded; (2) forwards what the job missed (received more than
 * a minute ago); (3) deletes public-form requests never verified after a day.
 */
export async function sweepForwarding(db: Db, log: Pick<Console, 'warn'> = console) {
  const at = now()
  const overdue = await db
    .update(rightsRequests)
    .set({ forwardOverdueAt: at })
    .where(and(eq(rightsRequests.status, 'received'), isNull(rightsRequests.forwardOverdueAt), lt(rightsRequests.forwardDueAt, at)))
    .returning()
  for (const r of overdue) {
    await addEvent(db, r, { kind: 'forward_overdue' })
    await recordAudit(db, { action: 'dsr.forward_overdue', outcome: 'failure', orgId: r.orgId, targetType: 'rights_request', targetId: r.id })
  }
  const { forwarded } = await forwardReceived(db, { receivedBefore: new Date(at.getTime() - MINUTE), maxBatches: Number.POSITIVE_INFINITY, log })
  return { flaggedOverdue: overdue.length, forwarded, purgedUnverified: await purgeUnverified(db) }
}

/**
 * Reminders to the school's DPO and admins: once when the answer is nearly due (7 days), then
 * when it is overdue and every week after, until the request is closed. Idempotent through the
 * reminded_* columns.
 */
export async function sendReminders(db: Db) {
  const at = now()
  const due = sql`coalesce(${rightsRequests.extendedDueAt}, ${rightsRequests.dueAt})`
  const open = inArray(rightsRequests.status, ['received', 'forwarded'])
  const soon = await db
    .select()
    .from(rightsRequests)
    .where(and(open, isNull(rightsRequests.remindedSoonAt), sql`${due} > ${at.toISOString()}::timestamptz`, sql`${due} <= ${new Date(at.getTime() + NEARLY_DUE).toISOString()}::timestamptz`))
  const late = await db
    .select()
    .from(rightsRequests)
    .where(
      and(open, sql`${due} < ${at.toISOString()}::timestamptz`, or(isNull(rightsRequests.remindedOverdueAt), lt(rightsRequests.remindedOverdueAt, new Date(at.getTime() - OVERDUE_REMINDER_EVERY)))),
    )
  const send = async (r: typeof rightsRequests.$inferSelect, which: 'soon' | 'overdue') => {
    await db.transaction(async (tx) => {
      const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, r.orgId))
      const contacts = await controllerContacts(tx, r.orgId)
      for (const c of contacts) {
        await queueMail(tx, reminderMail(c.lang, c.email, c.id, r, org?.name ?? '', which))
        await tx
          .insert(notifications)
          .values({ userId: c.id, orgId: r.orgId, kind: which === 'soon' ? 'dsr.due_soon' : 'dsr.overdue', refType: 'rights_request', refId: r.id, createdAt: at })
          .onConflictDoUpdate({ target: [notifications.userId, notifications.kind, notifications.refId], set: { createdAt: at, readAt: null } })
      }
      await tx
        .update(rightsRequests)
        .set(which === 'soon' ? { remindedSoonAt: at } : { remindedOverdueAt: at })
        .where(eq(rightsRequests.id, r.id))
      await addEvent(tx, r, { kind: which === 'soon' ? 'reminder_due_soon' : 'reminder_overdue', details: { recipients: contacts.length, due: effectiveDue(r)?.toISOString() ?? null } })
      await recordAudit(tx, {
        action: which === 'soon' ? 'dsr.reminder_due_soon' : 'dsr.reminder_overdue',
        orgId: r.orgId,
        targetType: 'rights_request',
        targetId: r.id,
        details: { recipients: contacts.length },
      })
    })
  }
  for (const r of soon) await send(r, 'soon')
  for (const r of late) await send(r, 'overdue')
  return { dueSoon: soon.length, overdue: late.length }
}

/** Unread in-app notifications of a person about rights requests, per request. */
export async function unreadDsrNotifications(db: DbOrTx, userId: string, orgId: string) {
  return db
    .select({ refId: notifications.refId, kind: notifications.kind, createdAt: notifications.createdAt })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.orgId, orgId), eq(notifications.refType, 'rights_request'), isNull(notifications.readAt)))
}

export async function markDsrNotificationsRead(db: DbOrTx, userId: string, requestId: string) {
  await db
    .update(notifications)
    .set({ readAt: now() })
    .where(and(eq(notifications.userId, userId), eq(notifications.refId, requestId), isNull(notifications.readAt)))
}

// What the school's DPO (or an admin) does with a forwarded request: verify the requester's
// identity (recording how), name the data subject, extend the deadline once, act on the
// request (rectify, restrict, record an objection, mark the erasure pending — the access
// package is app/privacy/rights-requests/access-package.server.ts), record a written instruction for the
// platform to answer, and close with an outcome the requester is told. Each step is a request
// event and an audit entry; consent-type records go to the consent log.
import { and, eq } from 'drizzle-orm'
import { memberships, organizations, rightsRequests, users, type DsrOutcome } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { NAME_MAX, nameLength, normalizeName } from '../../names'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import type { AuditAction } from '../../compliance/audit-actions'
import { appendConsent } from '../../compliance/consent-log.server'
import { liftRestriction, restrictSubject } from '../../compliance/restriction.server'
import type { Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { effectiveDue, extendedDue } from './deadlines.server'
import { addEvent } from './intake.server'
import { IDENTITY_METHODS } from './constants'
import { OBJECTION_PROCESSING } from '../../compliance/objection-kinds'
import { closedMail, extensionMail, operatorAnswerMail } from './mails.server'

export type Actor = { orgId: string; requestId: string; actorId: string; origin: RequestOrigin }
type Row = typeof rightsRequests.$inferSelect

/** Locks the request (scoped to the organization) for one step; closed requests take no more steps. */
export async function step<T>(db: Db, a: Actor, fn: (tx: DbOrTx, r: Row, orgName: string) => Promise<T>, opts: { allowClosed?: boolean } = {}) {
  return db.transaction(async (tx) => {
    const [r] = await tx
      .select()
      .from(rightsRequests)
      .where(and(eq(rightsRequests.id, a.requestId), eq(rightsRequests.orgId, a.orgId)))
      .for('update')
    if (!r || r.status === 'awaiting_verification') throw new NotFound('rights_request')
    if (r.status === 'closed' && !opts.allowClosed) throw new Conflict('dsr.closed_already')
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, a.orgId))
    return fn(tx, r, org?.name ?? '')
  })
}

export const audit = (tx: DbOrTx, a: Actor, action: AuditAction, details?: Record<string, unknown>) =>
  recordAudit(tx, { action, orgId: a.orgId, actorId: a.actorId, targetType: 'rights_request', targetId: a.requestId, ...a.origin, details })

export async function verifyIdentity(db: Db, a: Actor & { method: string; note: string | null }) {
  if (!(IDENTITY_METHODS as readonly string[]).includes(a.method)) throw new Invalid('dsr.identity.method_required')
  return step(db, a, async (tx, r) => {
    if (r.identityVerifiedAt) throw new Conflict('dsr.identity.already')
    await tx.update(rightsRequests).set({ identityVerifiedAt: now(), identityMethod: a.method, identityVerifiedBy: a.actorId }).where(eq(rightsRequests.id, r.id))
    await addEvent(tx, r, { kind: 'identity_verified', actorId: a.actorId, note: a.note, details: { method: a.method } })
    await audit(tx, a, 'dsr.identity_verified', { method: a.method })
  })
}

/** Names the data subject among the organization's members (the public form may not have matched). */
export async function setSubject(db: Db, a: Actor & { subjectId: string }) {
  return step(db, a, async (tx, r) => {
    const [m] = await tx
      .select({ id: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.orgId, a.orgId), eq(memberships.userId, a.subjectId)))
    if (!m) throw new Invalid('dsr.subject.not_member')
    await tx.update(rightsRequests).set({ subjectId: a.subjectId }).where(eq(rightsRequests.id, r.id))
    await addEvent(tx, r, { kind: 'subject_set', actorId: a.actorId, details: { subjectId: a.subjectId } })
    await audit(tx, a, 'dsr.subject_set', { subjectId: a.subjectId })
  })
}

/** Once, by one or two months, with a reason sent to the requester — and only within the first month (Art. 12(3)). */
export async function extendDeadline(db: Db, a: Actor & { months: number; reason: string }) {
  const reason = a.reason.trim()
  if (reason.length < 10) throw new Invalid('dsr.extend.reason_required')
  return step(db, a, async (tx, r, orgName) => {
    if (r.extendedDueAt) throw new Conflict('dsr.extend.once')
    if (!r.receivedAt || !r.dueAt) throw new Conflict('dsr.extend.not_received')
    if (now() > r.dueAt) throw new Conflict('dsr.extend.too_late')
    const [row] = await tx
      .update(rightsRequests)
      .set({ extendedDueAt: extendedDue(r.receivedAt, a.months), extensionReason: reason, extendedAt: now(), extendedBy: a.actorId, remindedSoonAt: null, remindedOverdueAt: null })
      .where(eq(rightsRequests.id, r.id))
      .returning()
    await queueMail(tx, extensionMail(r.lang as Lang, r.requesterEmail, row!, orgName, reason))
    await addEvent(tx, r, { kind: 'extended', actorId: a.actorId, note: reason, details: { months: a.months, due: row!.extendedDueAt!.toISOString() } })
    await audit(tx, a, 'dsr.extended', { months: a.months })
    return row!
  })
}

const RECTIFIABLE = { firstName: 'first_name', lastName: 'last_name', birthDate: 'birth_date' } as const
export type Rectification = Partial<Record<keyof typeof RECTIFIABLE, string>>

/**
 * Rectification of the subject's identification data. The values before and after are kept
 * in the request's own history; the audit entry names the fields only (no names in the audit log).
 */
export async function rectify(db: Db, a: Actor & { changes: Rectification }) {
  return step(db, a, async (tx, r) => {
    if (!r.subjectId) throw new Conflict('dsr.subject.required')
    if (!r.identityVerifiedAt) throw new Conflict('dsr.identity.required')
    const [u] = await tx.select().from(users).where(eq(users.id, r.subjectId))
    if (!u) throw new NotFound('subject')
    const set: Partial<typeof users.$inferInsert> = {}
    const before: Record<string, string | null> = {}
    const after: Record<string, string | null> = {}
    for (const [k, v] of Object.entries(a.changes) as [keyof typeof RECTIFIABLE, string][]) {
      // Names are normalised like everywhere else they enter (app/names.ts).
      const value = k === 'birthDate' ? v.trim() : normalizeName(v)
      if (!value || value === (u[k] ?? '')) continue
      if (k === 'birthDate' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Invalid('dsr.form.birth_date_invalid')
      if (k !== 'birthDate' && nameLength(value) > NAME_MAX) throw new Invalid('names.too_long', { max: NAME_MAX })
      set[k] = value
      before[k] = u[k] ?? null
      after[k] = value
    }
    if (!Object.keys(set).length) throw new Invalid('dsr.rectify.nothing')
    await tx.update(users).set(set).where(eq(users.id, u.id))
    await addEvent(tx, r, { kind: 'rectified', actorId: a.actorId, details: { before, after } })
    await audit(tx, a, 'dsr.rectified', { subjectId: u.id, fields: Object.keys(set).map((k) => RECTIFIABLE[k as keyof typeof RECTIFIABLE]) })
    await recordAudit(tx, {
      action: 'user.update',
      orgId: a.orgId,
      actorId: a.actorId,
      targetType: 'user',
      targetId: u.id,
      ...a.origin,
      details: { via: 'rights_request', requestId: r.id, fields: Object.keys(set) },
    })
  })
}

export async function restrict(db: Db, a: Actor & { reason: string | null }) {
  return step(db, a, async (tx, r) => {
    if (!r.subjectId) throw new Conflict('dsr.subject.required')
    if (!r.identityVerifiedAt) throw new Conflict('dsr.identity.required')
    await restrictSubject(tx, { orgId: a.orgId, subjectId: r.subjectId, requestId: r.id, actorId: a.actorId, reason: a.reason })
    await addEvent(tx, r, { kind: 'restricted', actorId: a.actorId, note: a.reason })
    await audit(tx, a, 'dsr.restricted', { subjectId: r.subjectId })
  })
}

export async function liftRestrictionFor(db: Db, a: Actor) {
  return step(
    db,
    a,
    async (tx, r) => {
      if (!r.subjectId) throw new Conflict('dsr.subject.required')
      await liftRestriction(tx, { orgId: a.orgId, subjectId: r.subjectId, actorId: a.actorId })
      await addEvent(tx, r, { kind: 'restriction_lifted', actorId: a.actorId })
      await audit(tx, a, 'dsr.restriction_lifted', { subjectId: r.subjectId })
    },
    { allowClosed: true },
  )
}

export async function recordObjection(db: Db, a: Actor & { processing: string; note: string | null }) {
  if (!(OBJECTION_PROCESSING as readonly string[]).includes(a.processing)) throw new Invalid('dsr.objection.processing_required')
  return step(db, a, async (tx, r) => {
    if (!r.subjectId) throw new Conflict('dsr.subject.required')
    const entry = await appendConsent(tx, {
      orgId: a.orgId,
      event: 'objection_recorded',
      state: 'recorded',
      subjectId: r.subjectId,
      actorId: a.actorId,
      purpose: a.processing,
      method: 'rights_request',
      details: { requestId: r.id },
    })
    await addEvent(tx, r, { kind: 'objection_recorded', actorId: a.actorId, note: a.note, details: { processing: a.processing, consentSeq: entry.seq } })
    await audit(tx, a, 'dsr.objection_recorded', { processing: a.processing, consentSeq: entry.seq })
  })
}

/** Erasure is done by the account-deletion flow; until it exists the request records it as pending. */
export async function markErasurePending(db: Db, a: Actor) {
  return step(db, a, async (tx, r) => {
    if (!r.subjectId) throw new Conflict('dsr.subject.required')
    if (!r.identityVerifiedAt) throw new Conflict('dsr.identity.required')
    if (r.erasurePendingAt) throw new Conflict('dsr.erasure.already')
    await tx.update(rightsRequests).set({ erasurePendingAt: now() }).where(eq(rightsRequests.id, r.id))
    await addEvent(tx, r, { kind: 'erasure_pending', actorId: a.actorId })
    await audit(tx, a, 'dsr.erasure_pending', { subjectId: r.subjectId })
  })
}

/**
 * The erasure a request engaged was cancelled during its grace period (an administrator of the
 * school, or the person): the request is no longer "erasure pending", its history says so, and
 * the DPO may engage it again (the sweep then opens a new deletion request).
 */
export async function erasureCancelled(tx: DbOrTx, a: { requestId: string; actorId: string | null; deletionRequestId: string }) {
  const [r] = await tx.select().from(rightsRequests).where(eq(rightsRequests.id, a.requestId)).for('update')
  if (!r || r.status === 'closed' || !r.erasurePendingAt) return
  await tx.update(rightsRequests).set({ erasurePendingAt: null }).where(eq(rightsRequests.id, r.id))
  await addEvent(tx, r, { kind: 'erasure_cancelled', actorId: a.actorId })
  await recordAudit(tx, { action: 'dsr.erasure_cancelled', orgId: r.orgId, actorId: a.actorId, targetType: 'rights_request', targetId: r.id, details: { deletionRequestId: a.deletionRequestId } })
}

/** DPA §10.1: the controller's written instruction for the platform to answer this request itself. */
export async function recordInstruction(db: Db, a: Actor & { reference: string }) {
  const ref = a.reference.trim()
  if (ref.length < 3) throw new Invalid('dsr.instruction.reference_required')
  return step(db, a, async (tx, r) => {
    await tx.update(rightsRequests).set({ writtenInstructionAt: now(), writtenInstructionRef: ref, writtenInstructionBy: a.actorId }).where(eq(rightsRequests.id, r.id))
    await addEvent(tx, r, { kind: 'instruction_recorded', actorId: a.actorId, note: ref })
    await audit(tx, a, 'dsr.instruction_recorded')
  })
}

export async function addNote(db: Db, a: Actor & { note: string }) {
  const note = a.note.trim()
  if (!note) throw new Invalid('dsr.note.required')
  return step(db, a, async (tx, r) => addEvent(tx, r, { kind: 'note', actorId: a.actorId, note }), { allowClosed: true })
}

export async function closeRequest(db: Db, a: Actor & { outcome: DsrOutcome; note: string | null }) {
  return step(db, a, async (tx, r, orgName) => {
    if (a.outcome === 'pending_erasure' && !r.erasurePendingAt) throw new Conflict('dsr.close.erasure_not_pending')
    const [row] = await tx
      .update(rightsRequests)
      .set({ status: 'closed', outcome: a.outcome, outcomeNote: a.note, closedAt: now(), closedBy: a.actorId })
      .where(eq(rightsRequests.id, r.id))
      .returning()
    await queueMail(tx, closedMail(r.lang as Lang, r.requesterEmail, row!, orgName, a.outcome, a.note))
    await addEvent(tx, r, { kind: 'closed', actorId: a.actorId, note: a.note, details: { outcome: a.outcome, onTime: !!effectiveDue(r) && now() <= effectiveDue(r)! } })
    await audit(tx, a, 'dsr.closed', { outcome: a.outcome })
  })
}

/**
 * An erasure request is answered by the erasure itself: when the erasure it asked for
 * completes, the request closes (fulfilled), its history names the tombstone as the proof, and
 * the requester is told — unless the requester was the person erased.
 */
export async function closeOnErasure(tx: DbOrTx, a: { requestId: string; tombstoneId: string; requesterHasProof?: boolean }) {
  const [r] = await tx.select().from(rightsRequests).where(eq(rightsRequests.id, a.requestId)).for('update')
  if (!r || r.status === 'closed') return
  const [row] = await tx.update(rightsRequests).set({ status: 'closed', outcome: 'fulfilled', closedAt: now(), subjectErasureId: a.tombstoneId }).where(eq(rightsRequests.id, r.id)).returning()
  const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, r.orgId))
  // The requester's proof of erasure (erasure/proof.server.ts) names this request: no second mail.
  if (row!.requesterEmail && !a.requesterHasProof) await queueMail(tx, closedMail(r.lang as Lang, row!.requesterEmail, row!, org?.name ?? '', 'fulfilled', null))
  await addEvent(tx, r, { kind: 'closed', details: { outcome: 'fulfilled', tombstoneId: a.tombstoneId, byErasure: true, onTime: !!effectiveDue(r) && now() <= effectiveDue(r)! } })
  await recordAudit(tx, { action: 'dsr.closed', orgId: r.orgId, targetType: 'rights_request', targetId: r.id, details: { outcome: 'fulfilled', tombstoneId: a.tombstoneId } })
}

/**
 * The platform operator answering on the controller's behalf: refused unless the school
 * recorded a written instruction for this request (DPA §10.1).
 */
export async function operatorAnswer(db: Db, a: { requestId: string; operatorId: string; note: string; origin: RequestOrigin }) {
  const note = a.note.trim()
  if (!note) throw new Invalid('dsr.note.required')
  return db.transaction(async (tx) => {
    const [r] = await tx.select().from(rightsRequests).where(eq(rightsRequests.id, a.requestId)).for('update')
    if (!r) throw new NotFound('rights_request')
    if (!r.writtenInstructionAt) throw new Conflict('dsr.operator.no_instruction')
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, r.orgId))
    await queueMail(tx, operatorAnswerMail(r.lang as Lang, r.requesterEmail, r, org?.name ?? '', note))
    await addEvent(tx, r, { kind: 'answered_by_operator', actorId: a.operatorId, note, details: { instruction: r.writtenInstructionRef } })
    await recordAudit(tx, { action: 'dsr.answered_by_operator', orgId: r.orgId, actorId: a.operatorId, targetType: 'rights_request', targetId: r.id, ...a.origin })
  })
}

// Post-mortem directives (French law, Loi 78-17 art. 85; terms §8): a person's instructions for
// the retention, erasure or disclosure of their data after their death, and the person they
// appointed to carry them out. On a post_mortem rights request the DPO records the directive
// (and may amend it until the appointed person is verified), verifies the appointed person (how,
// on which day, by whom), then executes it once: an erasure goes through the erasure pipeline
// (marked pending like an erasure request: the per-minute sweep makes it a deletion request,
// and the request closes itself with the tombstone when the erasure completes); a disclosure is
// either released inside Carnet (the access package's expiring link, mailed to the requester
// whose identity was verified — package-links.server.ts) or recorded with what was handed over
// and how; a retention is recorded. Each step is a request event and an audit entry
// (ids and the directive's kind only; names stay in the directive row, emptied with the request). ADR 026.
import { and, eq } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { postMortemDirectives, rightsRequests, users, type PostMortemDirective } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { Db, DbOrTx } from '../../db.server'
import { Conflict, Invalid } from '../../errors.server'
import { parisDate } from '../../compliance/calendar.server'
import { IDENTITY_METHODS, POST_MORTEM_DIRECTIVES } from './constants'
import { audit, step, type Actor } from './handling.server'
import { addEvent } from './intake.server'
import { issuePackageLink } from './package-links.server'

type Row = typeof rightsRequests.$inferSelect

function postMortemOnly(r: Row) {
  if (r.kind !== 'post_mortem') throw new Conflict('dsr.post_mortem.wrong_kind')
}

async function lockDirective(tx: DbOrTx, a: Actor) {
  const [d] = await tx
    .select()
    .from(postMortemDirectives)
    .where(and(eq(postMortemDirectives.requestId, a.requestId), eq(postMortemDirectives.orgId, a.orgId)))
    .for('update')
  return d ?? null
}

/** Records the directive, or amends it while the appointed person is not yet verified. */
export async function recordDirective(db: Db, a: Actor & { directive: PostMortemDirective; instructions: string | null; appointedName: string; appointedContact: string }) {
  if (!(POST_MORTEM_DIRECTIVES as readonly string[]).includes(a.directive)) throw new Invalid('dsr.post_mortem.directive_required')
  const appointedName = a.appointedName.trim()
  const appointedContact = a.appointedContact.trim()
  if (appointedName.length < 2) throw new Invalid('dsr.post_mortem.name_required')
  if (appointedContact.length < 5) throw new Invalid('dsr.post_mortem.contact_required')
  return step(db, a, async (tx, r) => {
    postMortemOnly(r)
    const existing = await lockDirective(tx, a)
    if (existing?.verifiedAt) throw new Conflict('dsr.post_mortem.locked')
    const values = { directive: a.directive, instructions: a.instructions?.trim() || null, appointedName, appointedContact, recordedAt: now(), recordedBy: a.actorId }
    if (existing) await tx.update(postMortemDirectives).set(values).where(eq(postMortemDirectives.id, existing.id))
    else await tx.insert(postMortemDirectives).values({ requestId: r.id, orgId: a.orgId, ...values })
    await addEvent(tx, r, { kind: 'post_mortem_recorded', actorId: a.actorId, details: { directive: a.directive, amended: !!existing } })
    await audit(tx, a, 'dsr.post_mortem_recorded', { directive: a.directive, amended: !!existing })
  })
}

/** The appointed person's identity and standing, checked: how, on which day (not in the future), by whom. */
export async function verifyAppointedPerson(db: Db, a: Actor & { method: string; verifiedOn: string; note: string | null }) {
  if (!(IDENTITY_METHODS as readonly string[]).includes(a.method)) throw new Invalid('dsr.identity.method_required')
  if (!/^\d{4}-\d{2}-\d{2}$/.test(a.verifiedOn) || Number.isNaN(Date.parse(`${a.verifiedOn}T12:00:00Z`)) || a.verifiedOn > parisDate(now())) throw new Invalid('dsr.post_mortem.date_invalid')
  return step(db, a, async (tx, r) => {
    postMortemOnly(r)
    const d = await lockDirective(tx, a)
    if (!d) throw new Conflict('dsr.post_mortem.record_first')
    if (d.verifiedAt) throw new Conflict('dsr.post_mortem.verified_already')
    await tx
      .update(postMortemDirectives)
      .set({ verifiedAt: now(), verifiedOn: a.verifiedOn, verificationMethod: a.method, verificationNote: a.note?.trim() || null, verifiedBy: a.actorId })
      .where(eq(postMortemDirectives.id, d.id))
    await addEvent(tx, r, { kind: 'post_mortem_verified', actorId: a.actorId, note: a.note, details: { method: a.method, verifiedOn: a.verifiedOn } })
    await audit(tx, a, 'dsr.post_mortem_verified', { method: a.method, verifiedOn: a.verifiedOn })
  })
}

/**
 * Carries out the verified directive, once. Erasure: the subject's erasure is engaged through
 * the erasure pipeline (the request closes with its tombstone when it completes). Disclosure:
 * with `release`, the subject's data goes to the requester inside Carnet (the access package's
 * expiring link; their identity verified, the subject named); otherwise what was handed to the
 * appointed person, and how, is recorded (a note is required). Retention: recorded.
 */
export async function executeDirective(db: Db, a: Actor & { note: string | null; release?: boolean }) {
  const note = a.note?.trim() || null
  return step(db, a, async (tx, r) => {
    postMortemOnly(r)
    const d = await lockDirective(tx, a)
    if (!d) throw new Conflict('dsr.post_mortem.record_first')
    if (!d.verifiedAt) throw new Conflict('dsr.post_mortem.verify_first')
    if (d.executedAt) throw new Conflict('dsr.post_mortem.executed_already')
    if (d.directive === 'erasure') {
      if (!r.subjectId) throw new Conflict('dsr.subject.required')
      if (!r.erasurePendingAt) await tx.update(rightsRequests).set({ erasurePendingAt: now() }).where(eq(rightsRequests.id, r.id))
    }
    const release = d.directive === 'disclosure' && !!a.release
    if (d.directive === 'disclosure' && !release && !note) throw new Invalid('dsr.post_mortem.disclosure_note_required')
    let linkId: string | null = null
    if (release) {
      if (!r.identityVerifiedAt) throw new Conflict('dsr.identity.required')
      if (!r.subjectId) throw new Conflict('dsr.subject.required')
      if (!r.requesterEmail) throw new Conflict('dsr.release.erased')
      linkId = (await issuePackageLink(tx, r, a)).link.id
    }
    await tx.update(postMortemDirectives).set({ executedAt: now(), executedBy: a.actorId, executionNote: note }).where(eq(postMortemDirectives.id, d.id))
    await addEvent(tx, r, { kind: 'post_mortem_executed', actorId: a.actorId, note, details: { directive: d.directive, ...(release ? { released: true, linkId } : {}) } })
    if (d.directive === 'erasure') await addEvent(tx, r, { kind: 'erasure_pending', actorId: a.actorId })
    await audit(tx, a, 'dsr.post_mortem_executed', { directive: d.directive, ...(d.directive === 'erasure' ? { subjectId: r.subjectId } : {}), ...(release ? { linkId } : {}) })
  })
}

/** The request's directive as the DPO's page shows it, with who recorded, verified and executed it. */
export async function postMortemDirective(db: DbOrTx, a: { orgId: string; requestId: string }) {
  const recorder = alias(users, 'recorder')
  const verifier = alias(users, 'verifier')
  const executor = alias(users, 'executor')
  const [row] = await db
    .select({
      d: postMortemDirectives,
      recorder: { first: recorder.firstName, last: recorder.lastName },
      verifier: { first: verifier.firstName, last: verifier.lastName },
      executor: { first: executor.firstName, last: executor.lastName },
    })
    .from(postMortemDirectives)
    .leftJoin(recorder, eq(recorder.id, postMortemDirectives.recordedBy))
    .leftJoin(verifier, eq(verifier.id, postMortemDirectives.verifiedBy))
    .leftJoin(executor, eq(executor.id, postMortemDirectives.executedBy))
    .where(and(eq(postMortemDirectives.requestId, a.requestId), eq(postMortemDirectives.orgId, a.orgId)))
  if (!row) return null
  const full = (n: { first: string | null; last: string | null } | null) => (n?.first ? `${n.first} ${n.last ?? ''}`.trim() : null)
  return { ...row.d, recordedByName: full(row.recorder), verifiedByName: full(row.verifier), executedByName: full(row.executor) }
}

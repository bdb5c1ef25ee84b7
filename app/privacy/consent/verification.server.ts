// The DPO page's checks of the consent log (ADR 015), each audited with its outcome: the chain
// and every stored checkpoint, or a checkpoint file the school kept outside Carnet. Answers a
// sentence for the page, or a DomainError naming the problem.
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import type { AuditAction } from '../../compliance/audit-actions'
import { verifyConsentLog, verifyHeldCheckpoint, type StoredProblem } from '../../compliance/checkpoints.server'
import type { DbOrTx } from '../../db.server'
import { DomainError } from '../../errors.server'
import { formatDate, t, tOr, type Lang } from '../../i18n'
import type { MessageKey } from '../../i18n/keys'

type By = { actorId: string } & RequestOrigin
export type CheckOutcome = { ok: true; message: string } | { ok: false; error: DomainError }

const STORED: Record<StoredProblem, MessageKey> = {
  bad_signature: 'dpo.consent.checkpoint_bad_signature',
  unknown_key: 'dpo.consent.checkpoint_unknown_key',
  downgraded: 'dpo.consent.checkpoint_downgraded',
  entry_missing: 'dpo.consent.checkpoint_entry_missing',
  hash_mismatch: 'dpo.consent.checkpoint_mismatch',
}

const audit = (db: DbOrTx, orgId: string, by: By, action: AuditAction, ok: boolean, details: Record<string, unknown>) =>
  recordAudit(db, { action, outcome: ok ? 'success' : 'failure', orgId, targetType: 'consent_log', targetId: orgId, ...by, details })

/** "Verify chain": the hash chain, then every stored checkpoint's signature and position. */
export async function checkConsentLog(db: DbOrTx, a: { orgId: string; lang: Lang; by: By }): Promise<CheckOutcome> {
  const { chain, checkpoints } = await verifyConsentLog(db, a.orgId)
  const mismatch = checkpoints.firstMismatch
  await audit(
    db,
    a.orgId,
    a.by,
    'consent_log.verify',
    chain.ok && !mismatch,
    chain.ok ? { entries: chain.entries, checkpoints: checkpoints.checked, mismatch } : { brokenAt: chain.brokenAt, reason: chain.reason },
  )
  if (!chain.ok) return { ok: false, error: new DomainError('dpo.consent.broken_at', { seq: chain.brokenAt, reason: tOr(a.lang, `dpo.consent.reason_${chain.reason}`, chain.reason) }) }
  if (mismatch) return { ok: false, error: new DomainError(STORED[mismatch.reason], { seq: mismatch.seq }) }
  const legacy = checkpoints.legacy ? ` ${t(a.lang, 'dpo.consent.legacy_count', { n: checkpoints.legacy })}` : ''
  const detail = t(a.lang, 'dpo.consent.intact_detail', { entries: chain.entries, checkpoints: checkpoints.checked })
  return { ok: true, message: `${t(a.lang, 'dpo.consent.intact')} ${detail} ${chain.head.slice(0, 16)}…${legacy}` }
}

/** An uploaded checkpoint file: its signature, and whether today's chain still holds it. */
export async function checkHeldCheckpoint(db: DbOrTx, a: { orgId: string; lang: Lang; by: By; file: File }): Promise<CheckOutcome> {
  let parsed: unknown = null
  try {
    parsed = JSON.parse(await a.file.text())
  } catch {
    parsed = null
  }
  const r = await verifyHeldCheckpoint(db, a.orgId, parsed)
  await audit(db, a.orgId, a.by, 'consent_log.verify_checkpoint', r.ok, { seq: r.seq ?? null, result: r.ok ? (r.legacy ? 'ok_legacy' : 'ok') : r.reason, bytes: a.file.size })
  if (!r.ok) return { ok: false, error: new DomainError(`dpo.checkpoint.held_${r.reason}`, { seq: r.seq ?? '?' }) }
  return { ok: true, message: t(a.lang, r.legacy ? 'dpo.checkpoint.held_ok_legacy' : 'dpo.checkpoint.held_ok', { seq: r.seq, date: formatDate(a.lang, r.signedAt, true) }) }
}

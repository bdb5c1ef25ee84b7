// Signed checkpoints of the consent log (DESIGN §3.5: "hash-chained per organization with
// verifiable checkpoints"). A checkpoint is HMAC-SHA256, keyed with the server secret, over
// the organization, the head's sequence number, the head's hash and the signing time. The
// school downloads it as JSON and keeps it outside Carnet: whoever later rewrites the chain —
// even recomputing every hash so verifyChain() passes — no longer matches the held checkpoint.
import { createHmac } from 'node:crypto'
import { and, desc, eq, inArray } from 'drizzle-orm'
import { consentCheckpoints, consentRecords } from '../../drizzle/schema'
import { safeEqual } from '../crypto.server'
import { now } from '../clock.server'
import { config } from '../config.server'
import type { DbOrTx } from '../db.server'
import { recordAudit } from './audit.server'
import { verifyChain, type ChainReport } from './consent-log.server'

export type Checkpoint = typeof consentCheckpoints.$inferSelect
export const CHECKPOINT_FORMAT = 'carnet-consent-checkpoint'
export const CHECKPOINT_VERSION = 1

/** The exact bytes signed: a versioned, line-separated text anyone can rebuild from the JSON. */
export function checkpointPayload(c: { orgId: string; seq: number; headHash: string; signedAt: Date }) {
  return [`${CHECKPOINT_FORMAT}/v${CHECKPOINT_VERSION}`, c.orgId, String(c.seq), c.headHash, c.signedAt.toISOString()].join('\n')
}

export function signCheckpoint(c: { orgId: string; seq: number; headHash: string; signedAt: Date }) {
  return createHmac('sha256', config.sessionSecret).update(checkpointPayload(c)).digest('hex')
}

/** The downloadable form, self-describing so a regulator can read it without Carnet. */
export function checkpointJson(c: Checkpoint, orgName?: string) {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    organization: { id: c.orgId, name: orgName ?? null },
    seq: c.seq,
    headHash: c.headHash,
    signedAt: c.signedAt.toISOString(),
    algorithm: 'HMAC-SHA256',
    hmac: c.hmac,
    signedPayload: checkpointPayload(c),
    howToVerify: 'Upload this file on the consent-log page (Vérifier un point de contrôle / Verify a checkpoint): Carnet checks the signature and that entry #seq of the chain still has headHash.',
  }
}

export type CheckpointResult =
  | { written: true; checkpoint: Checkpoint }
  | { written: false; reason: 'empty' | 'unchanged' | 'already_today'; checkpoint: Checkpoint | null }
  | { written: false; reason: 'chain_broken'; report: Extract<ChainReport, { ok: false }>; checkpoint: null }

export async function latestCheckpoint(db: DbOrTx, orgId: string): Promise<Checkpoint | null> {
  const [c] = await db.select().from(consentCheckpoints).where(eq(consentCheckpoints.orgId, orgId)).orderBy(desc(consentCheckpoints.seq)).limit(1)
  return c ?? null
}

export async function listCheckpoints(db: DbOrTx, orgId: string, limit = 30) {
  return db.select().from(consentCheckpoints).where(eq(consentCheckpoints.orgId, orgId)).orderBy(desc(consentCheckpoints.seq)).limit(limit)
}

export async function getCheckpoint(db: DbOrTx, orgId: string, id: string) {
  const [c] = await db
    .select()
    .from(consentCheckpoints)
    .where(and(eq(consentCheckpoints.orgId, orgId), eq(consentCheckpoints.id, id)))
  return c ?? null
}

const sameUtcDay = (a: Date, b: Date) => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10)

/**
 * Signs the current head of one organization's chain. Never signs a broken chain (that would
 * certify the tampering): the failure is audited instead. `daily` skips an organization whose
 * last checkpoint is from today; otherwise only an unchanged head is skipped. Idempotent:
 * (org, seq) is unique, so two workers signing the same head write one row.
 */
export async function writeCheckpoint(db: DbOrTx, orgId: string, opts: { daily?: boolean } = {}): Promise<CheckpointResult> {
  const last = await latestCheckpoint(db, orgId)
  if (opts.daily && last && sameUtcDay(last.signedAt, now())) return { written: false, reason: 'already_today', checkpoint: last }
  const report = await verifyChain(db, orgId)
  if (!report.ok) {
    await recordAudit(db, {
      action: 'consent_log.checkpoint_refused',
      outcome: 'failure',
      orgId,
      targetType: 'consent_log',
      targetId: orgId,
      details: { brokenAt: report.brokenAt, reason: report.reason },
    })
    return { written: false, reason: 'chain_broken', report, checkpoint: null }
  }
  if (report.entries === 0) return { written: false, reason: 'empty', checkpoint: null }
  if (last && last.seq === report.entries && last.headHash === report.head) return { written: false, reason: 'unchanged', checkpoint: last }
  const signedAt = now()
  const fields = { orgId, seq: report.entries, headHash: report.head, signedAt }
  const [row] = await db
    .insert(consentCheckpoints)
    .values({ ...fields, hmac: signCheckpoint(fields) })
    .onConflictDoNothing()
    .returning()
  if (!row) return { written: false, reason: 'unchanged', checkpoint: await latestCheckpoint(db, orgId) }
  await recordAudit(db, { action: 'consent_log.checkpoint', orgId, targetType: 'consent_checkpoint', targetId: row.id, details: { seq: row.seq } })
  return { written: true, checkpoint: row }
}

/** The daily job: every organization that has a consent log. */
export async function writeDailyCheckpoints(db: DbOrTx) {
  const orgs = await db.selectDistinct({ orgId: consentRecords.orgId }).from(consentRecords)
  const counts = { written: 0, skipped: 0, broken: 0 }
  for (const { orgId } of orgs) {
    const r = await writeCheckpoint(db, orgId, { daily: true })
    if (r.written) counts.written++
    else if (r.reason === 'chain_broken') counts.broken++
    else counts.skipped++
  }
  return counts
}

export type CheckpointCheck =
  { ok: true; seq: number; signedAt: string } | { ok: false; reason: 'malformed' | 'other_organization' | 'bad_signature' | 'entry_missing' | 'hash_mismatch'; seq?: number }

/**
 * Checks a checkpoint the school held outside Carnet: its signature, and that entry #seq of
 * today's chain still has the hash it had when signed.
 */
export async function verifyHeldCheckpoint(db: DbOrTx, orgId: string, input: unknown): Promise<CheckpointCheck> {
  const c = input as Record<string, unknown> | null
  if (
    !c ||
    c.format !== CHECKPOINT_FORMAT ||
    typeof c.seq !== 'number' ||
    typeof c.headHash !== 'string' ||
    typeof c.hmac !== 'string' ||
    typeof c.signedAt !== 'string' ||
    typeof (c.organization as { id?: unknown } | undefined)?.id !== 'string' ||
    Number.isNaN(Date.parse(c.signedAt))
  ) {
    return { ok: false, reason: 'malformed' }
  }
  const held = { orgId: (c.organization as { id: string }).id, seq: c.seq, headHash: c.headHash, signedAt: new Date(c.signedAt) }
  if (held.orgId !== orgId) return { ok: false, reason: 'other_organization', seq: held.seq }
  if (!safeEqual(signCheckpoint(held), c.hmac)) return { ok: false, reason: 'bad_signature', seq: held.seq }
  const [entry] = await db
    .select({ hash: consentRecords.hash })
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, orgId), eq(consentRecords.seq, held.seq)))
  if (!entry) return { ok: false, reason: 'entry_missing', seq: held.seq }
  if (entry.hash !== held.headHash) return { ok: false, reason: 'hash_mismatch', seq: held.seq }
  return { ok: true, seq: held.seq, signedAt: held.signedAt.toISOString() }
}

export type FullVerification = {
  chain: ChainReport
  checkpoints: { checked: number; firstMismatch: { seq: number; reason: 'bad_signature' | 'entry_missing' | 'hash_mismatch' } | null }
}

/** The DPO's "Verify chain": the hash chain itself, then every stored checkpoint against it. */
export async function verifyConsentLog(db: DbOrTx, orgId: string): Promise<FullVerification> {
  const chain = await verifyChain(db, orgId)
  const cps = await db.select().from(consentCheckpoints).where(eq(consentCheckpoints.orgId, orgId)).orderBy(consentCheckpoints.seq)
  const hashes = cps.length
    ? new Map(
        (
          await db
            .select({ seq: consentRecords.seq, hash: consentRecords.hash })
            .from(consentRecords)
            .where(
              and(
                eq(consentRecords.orgId, orgId),
                inArray(
                  consentRecords.seq,
                  cps.map((c) => c.seq),
                ),
              ),
            )
        ).map((r) => [r.seq, r.hash]),
      )
    : new Map<number, string>()
  let firstMismatch: FullVerification['checkpoints']['firstMismatch'] = null
  for (const cp of cps) {
    const reason = !safeEqual(signCheckpoint(cp), cp.hmac) ? 'bad_signature' : !hashes.has(cp.seq) ? 'entry_missing' : hashes.get(cp.seq) !== cp.headHash ? 'hash_mismatch' : null
    if (reason) {
      firstMismatch = { seq: cp.seq, reason }
      break
    }
  }
  return { chain, checkpoints: { checked: cps.length, firstMismatch } }
}

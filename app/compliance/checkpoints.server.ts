// Signed checkpoints of the consent log (DESIGN §3.5: "hash-chained per organization with
// verifiable checkpoints"; ADR 015). A checkpoint is an Ed25519 signature, with a key kept apart
// from the database (signing-key.server), over the organization, the head's sequence number,
// the head's hash and the signing time. The school receives it weekly by mail and keeps it
// outside Carnet: whoever later rewrites the chain — even recomputing every hash so
// verifyChain() passes, even rewriting the stored checkpoints — no longer matches the held one,
// and cannot re-sign without the private key. Anyone can check a signature with openssl.
// Checkpoints written before ADR 015 are HMAC-SHA256 with the session secret: still checked,
// but labelled "legacy" (whoever holds the server's secret could forge them).
import { createHmac } from 'node:crypto'
import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { consentCheckpoints, consentRecords } from '../../drizzle/schema'
import { safeEqual } from '../crypto.server'
import { now } from '../clock.server'
import { config } from '../config.server'
import type { DbOrTx } from '../db.server'
import { recordAudit } from './audit.server'
import { verifyChain, type ChainReport } from './consent-log.server'
import { signBytes, signingKey, verifyBytes } from './signing-key.server'

export type Checkpoint = typeof consentCheckpoints.$inferSelect
export const CHECKPOINT_FORMAT = 'carnet-consent-checkpoint'
export const CHECKPOINT_VERSION = 2
export const ED25519 = 'Ed25519'
export const LEGACY_HMAC = 'HMAC-SHA256'

type Signed = { orgId: string; seq: number; headHash: string; signedAt: Date }

/** The exact bytes signed: a versioned, line-separated text anyone can rebuild from the JSON (v1: legacy HMAC). */
export function checkpointPayload(c: Signed, version: 1 | 2 = CHECKPOINT_VERSION) {
  return [`${CHECKPOINT_FORMAT}/v${version}`, c.orgId, String(c.seq), c.headHash, c.signedAt.toISOString()].join('\n')
}

/** Ed25519 over the v2 payload with the configured key: base64 signature and the key's fingerprint. */
export function signCheckpoint(c: Signed) {
  const key = signingKey()
  return { algorithm: ED25519, signature: signBytes(checkpointPayload(c, 2), key), keyFingerprint: key.fingerprint }
}

/** The pre-ADR 015 scheme, kept only to check old rows and files. */
export function legacyHmac(c: Signed) {
  return createHmac('sha256', config.sessionSecret).update(checkpointPayload(c, 1)).digest('hex')
}

export type SignatureProblem = 'bad_signature' | 'unknown_key'

/** Checks one checkpoint's own signature (not yet against the chain). */
export function checkSignature(
  c: Signed & { algorithm: string; signature?: string | null; keyFingerprint?: string | null; hmac?: string | null },
): { ok: true; legacy: boolean } | { ok: false; reason: SignatureProblem } {
  if (c.algorithm === ED25519) {
    const key = signingKey()
    if (c.keyFingerprint !== key.fingerprint) return { ok: false, reason: 'unknown_key' }
    return c.signature && verifyBytes(checkpointPayload(c, 2), c.signature, key.publicKey) ? { ok: true, legacy: false } : { ok: false, reason: 'bad_signature' }
  }
  if (c.algorithm === LEGACY_HMAC) return c.hmac && safeEqual(legacyHmac(c), c.hmac) ? { ok: true, legacy: true } : { ok: false, reason: 'bad_signature' }
  return { ok: false, reason: 'bad_signature' }
}

/** The public half, as shown on the DPO page and the certificate. */
export function checkpointPublicKey() {
  const key = signingKey()
  return { algorithm: ED25519, publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint }
}

const HOW_TO_VERIFY =
  'Without Carnet (OpenSSL 3): write signedPayload to payload.txt exactly (no final newline) and the base64-decoded signature to signature.bin, save publicKey as carnet-public.pem, check that `openssl pkey -pubin -in carnet-public.pem -outform DER | sha256sum` equals publicKeyFingerprint and the fingerprint printed on your compliance certificate, then run `openssl pkeyutl -verify -pubin -inkey carnet-public.pem -rawin -in payload.txt -sigfile signature.bin` ("Signature Verified Successfully"). With Carnet: upload this file on the consent-log page, or run `npx carnet verify-log --org <organization id> --checkpoint <this file>` — both check that entry #seq of the chain still has headHash.'

/** The downloadable (and mailed) form, self-describing so a regulator can read it without Carnet. */
export function checkpointJson(c: Checkpoint, orgName?: string) {
  const base = { format: CHECKPOINT_FORMAT, organization: { id: c.orgId, name: orgName ?? null }, seq: c.seq, headHash: c.headHash, signedAt: c.signedAt.toISOString() }
  if (c.algorithm !== ED25519) {
    return {
      ...base,
      version: 1,
      algorithm: LEGACY_HMAC,
      hmac: c.hmac,
      signedPayload: checkpointPayload(c, 1),
      legacy: 'Signed before Carnet used Ed25519 (ADR 015): only Carnet can check this HMAC, and whoever holds the server secret could forge it.',
    }
  }
  const key = signingKey()
  return {
    ...base,
    version: 2,
    algorithm: ED25519,
    signature: c.signature,
    publicKeyFingerprint: c.keyFingerprint,
    publicKey: c.keyFingerprint === key.fingerprint ? key.publicKeyPem : null,
    signedPayload: checkpointPayload(c, 2),
    howToVerify: HOW_TO_VERIFY,
  }
}

/** File name of a checkpoint kept outside Carnet. */
export const checkpointFileName = (c: Pick<Checkpoint, 'seq' | 'signedAt'>) => `carnet-checkpoint-${c.seq}-${c.signedAt.toISOString().slice(0, 10)}.json`

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
    .values({ ...fields, ...signCheckpoint(fields) })
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

export type HeldProblem = 'malformed' | 'other_organization' | SignatureProblem | 'entry_missing' | 'hash_mismatch'
export type CheckpointCheck = { ok: true; seq: number; signedAt: string; legacy: boolean } | { ok: false; reason: HeldProblem; seq?: number }

/**
 * Checks a checkpoint the school held outside Carnet: its signature (rebuilt from its fields,
 * never from its signedPayload text), and that entry #seq of today's chain still has the hash
 * it had when signed.
 */
export async function verifyHeldCheckpoint(db: DbOrTx, orgId: string, input: unknown): Promise<CheckpointCheck> {
  const c = input as Record<string, unknown> | null
  const str = (v: unknown): v is string => typeof v === 'string'
  if (
    !c ||
    typeof c !== 'object' ||
    c.format !== CHECKPOINT_FORMAT ||
    typeof c.seq !== 'number' ||
    !Number.isSafeInteger(c.seq) ||
    !str(c.headHash) ||
    !str(c.signedAt) ||
    !str((c.organization as { id?: unknown } | undefined)?.id) ||
    Number.isNaN(Date.parse(c.signedAt)) ||
    !(c.algorithm === ED25519 ? str(c.signature) && str(c.publicKeyFingerprint) : c.algorithm === LEGACY_HMAC && str(c.hmac))
  ) {
    return { ok: false, reason: 'malformed' }
  }
  const held = {
    orgId: (c.organization as { id: string }).id,
    seq: c.seq,
    headHash: c.headHash,
    signedAt: new Date(c.signedAt),
    algorithm: c.algorithm as string,
    signature: c.signature as string | undefined,
    keyFingerprint: c.publicKeyFingerprint as string | undefined,
    hmac: c.hmac as string | undefined,
  }
  if (held.orgId !== orgId) return { ok: false, reason: 'other_organization', seq: held.seq }
  const sig = checkSignature(held)
  if (!sig.ok) return { ok: false, reason: sig.reason, seq: held.seq }
  const [entry] = await db
    .select({ hash: consentRecords.hash })
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, orgId), eq(consentRecords.seq, held.seq)))
  if (!entry) return { ok: false, reason: 'entry_missing', seq: held.seq }
  if (entry.hash !== held.headHash) return { ok: false, reason: 'hash_mismatch', seq: held.seq }
  return { ok: true, seq: held.seq, signedAt: held.signedAt.toISOString(), legacy: sig.legacy }
}

export type StoredProblem = SignatureProblem | 'downgraded' | 'entry_missing' | 'hash_mismatch'
export type FullVerification = {
  chain: ChainReport
  checkpoints: { checked: number; legacy: number; firstMismatch: { seq: number; reason: StoredProblem } | null }
}

/**
 * The DPO's "Verify chain" and `carnet verify-log`: the hash chain itself, then every stored
 * checkpoint — its signature, and that the chain still has its hash at its position. A legacy
 * (HMAC) checkpoint after the first Ed25519 one is a downgrade: someone wrote it with the
 * session secret, which the app's environment holds.
 */
export async function verifyConsentLog(db: DbOrTx, orgId: string): Promise<FullVerification> {
  const chain = await verifyChain(db, orgId)
  const cps = await db.select().from(consentCheckpoints).where(eq(consentCheckpoints.orgId, orgId)).orderBy(asc(consentCheckpoints.seq))
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
  const firstEd25519 = cps.find((c) => c.algorithm === ED25519)?.seq ?? Infinity
  let firstMismatch: FullVerification['checkpoints']['firstMismatch'] = null
  let legacy = 0
  for (const cp of cps) {
    const sig = checkSignature(cp)
    const reason: StoredProblem | null = !sig.ok
      ? sig.reason
      : sig.legacy && cp.seq > firstEd25519
        ? 'downgraded'
        : !hashes.has(cp.seq)
          ? 'entry_missing'
          : hashes.get(cp.seq) !== cp.headHash
            ? 'hash_mismatch'
            : null
    if (reason) {
      firstMismatch = { seq: cp.seq, reason }
      break
    }
    if (sig.ok && sig.legacy) legacy++
  }
  return { chain, checkpoints: { checked: cps.length, legacy, firstMismatch } }
}

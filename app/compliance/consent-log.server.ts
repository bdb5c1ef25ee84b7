import { createHash } from 'node:crypto'
import { asc, desc, eq, sql } from 'drizzle-orm'
import { consentRecords, type ConsentEvent } from '../../drizzle/schema'
import { now } from '../clock.server'
import type { DbOrTx } from '../db.server'
import type { ConsentDocumentKind, ConsentMethod } from './consent-codes'

export const GENESIS_HASH = '0'.repeat(64)

export type ConsentInput = {
  orgId: string
  event: ConsentEvent
  state: 'given' | 'refused' | 'withdrawn' | 'recorded'
  subjectId?: string | null
  actorId?: string | null
  onBehalfOf?: string | null
  documentKind?: ConsentDocumentKind | null
  documentVersion?: string | null
  purpose?: string | null
  method: ConsentMethod
  language?: string | null
  details?: Record<string, string | number | boolean | null>
}

// The chain hashes what was stored (a code from before a list grew is still hashed as it is).
type ChainFields = Omit<ConsentInput, 'orgId' | 'method' | 'documentKind'> & { orgId: string; id: string; seq: number; at: Date; prevHash: string; method: string; documentKind?: string | null }

/** Canonical form hashed into the chain: fixed key order, ISO time, nulls explicit. */
export function canonicalEntry(e: ChainFields): string {
  return JSON.stringify([
    e.id,
    e.orgId,
    e.seq,
    e.at.toISOString(),
    e.event,
    e.state,
    e.subjectId ?? null,
    e.actorId ?? null,
    e.onBehalfOf ?? null,
    e.documentKind ?? null,
    e.documentVersion ?? null,
    e.purpose ?? null,
    e.method,
    e.language ?? null,
    e.details ? sortKeys(e.details) : null,
    e.prevHash,
  ])
}

function sortKeys(o: Record<string, unknown>) {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  )
}

export function hashEntry(e: ChainFields) {
  return createHash('sha256').update(canonicalEntry(e)).digest('hex')
}

/**
 * Appends one entry to the organization's chain. A transaction-scoped advisory lock on the
 * organization serializes writers, so two concurrent appends can't fork the chain.
 */
export async function appendConsent(db: DbOrTx, input: ConsentInput) {
  const run = async (tx: DbOrTx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'consent:' + input.orgId}))`)
    const [head] = await tx.select({ seq: consentRecords.seq, hash: consentRecords.hash }).from(consentRecords).where(eq(consentRecords.orgId, input.orgId)).orderBy(desc(consentRecords.seq)).limit(1)
    const fields: ChainFields = {
      ...input,
      id: crypto.randomUUID(),
      seq: (head?.seq ?? 0) + 1,
      at: now(),
      prevHash: head?.hash ?? GENESIS_HASH,
    }
    const hash = hashEntry(fields)
    const [row] = await tx
      .insert(consentRecords)
      .values({
        id: fields.id,
        orgId: fields.orgId,
        seq: fields.seq,
        at: fields.at,
        event: fields.event,
        state: fields.state,
        subjectId: fields.subjectId ?? null,
        actorId: fields.actorId ?? null,
        onBehalfOf: fields.onBehalfOf ?? null,
        documentKind: fields.documentKind ?? null,
        documentVersion: fields.documentVersion ?? null,
        purpose: fields.purpose ?? null,
        method: fields.method,
        language: fields.language ?? null,
        details: fields.details ?? null,
        prevHash: fields.prevHash,
        hash,
      })
      .returning()
    return row!
  }
  // Inside a caller's transaction we reuse it; otherwise open one for the lock's scope.
  return 'rollback' in db ? run(db) : db.transaction(run)
}

export type ChainReport = { ok: true; entries: number; head: string } | { ok: false; entries: number; brokenAt: number; reason: string }

/** Recomputes the chain and reports the first entry whose hash or link does not match. */
export async function verifyChain(db: DbOrTx, orgId: string): Promise<ChainReport> {
  const rows = await db.select().from(consentRecords).where(eq(consentRecords.orgId, orgId)).orderBy(asc(consentRecords.seq))
  let prev = GENESIS_HASH
  let expectedSeq = 1
  for (const r of rows) {
    if (r.seq !== expectedSeq) return { ok: false, entries: rows.length, brokenAt: expectedSeq, reason: 'missing_entry' }
    if (r.prevHash !== prev) return { ok: false, entries: rows.length, brokenAt: r.seq, reason: 'broken_link' }
    const recomputed = hashEntry({ ...r, details: (r.details as ConsentInput['details']) ?? undefined })
    if (recomputed !== r.hash) return { ok: false, entries: rows.length, brokenAt: r.seq, reason: 'altered_entry' }
    prev = r.hash
    expectedSeq++
  }
  return { ok: true, entries: rows.length, head: prev }
}

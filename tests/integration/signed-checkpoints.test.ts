// Checkpoints signed with Ed25519 (ADR 015): a rewrite done as the database owner — trigger
// disabled, an entry changed, the whole chain recomputed, the stored checkpoints rewritten and
// re-signed with a key the attacker has (not Carnet's) — is caught by `carnet verify-log` with
// the checkpoint the school kept outside Carnet; so is a tampered signature. A school checks a
// checkpoint file with openssl alone.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { asc, eq } from 'drizzle-orm'
import { consentCheckpoints, consentRecords } from '../../drizzle/schema'
import { COMMANDS } from '../../cli/commands/index'
import { appendConsent, hashEntry, verifyChain } from '~/compliance/consent-log.server'
import { checkpointJson, checkpointPayload, legacyHmac, verifyConsentLog, verifyHeldCheckpoint, writeCheckpoint, type Checkpoint } from '~/compliance/checkpoints.server'
import { publicKeyFingerprint, signingKey } from '~/compliance/signing-key.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let dir: string
beforeAll(async () => {
  t = await useTestDatabase()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-held-'))
})
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true })
  await dropTestDatabase(t.name)
})

async function schoolWithLog(n: number) {
  const org = await makeOrg(t.db)
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const add = async (k: number) => {
    for (let i = 0; i < k; i++) await appendConsent(t.db, { orgId: org.id, event: 'authorisation_obtained', state: 'given', subjectId: child.id, actorId: dpo.id, method: 'paper_form' })
  }
  await add(n)
  return { org, add }
}

/** The school's copy: the JSON file as downloaded or mailed, written outside the database. */
function keepOutside(cp: Checkpoint, name = `held-${cp.orgId}-${cp.seq}.json`) {
  const file = path.join(dir, name)
  fs.writeFileSync(file, JSON.stringify(checkpointJson(cp, 'École'), null, 2))
  return file
}

async function verifyLog(...args: string[]) {
  const out: string[] = []
  const code = await COMMANDS['verify-log']!.run(args, { out: (s) => out.push(s), err: (s) => out.push(s) })
  return { code, out: out.join('\n') }
}

/** As the owner role: the trigger off, entry `seq` changed, every later hash recomputed (no key needed). */
async function rewriteChainAsOwner(orgId: string, seq: number) {
  await t.owner`alter table consent_records disable trigger consent_records_append_only`
  try {
    await t.owner`update consent_records set state = 'refused', event = 'authorisation_refused' where org_id = ${orgId} and seq = ${seq}`
    const rows = await t.db.select().from(consentRecords).where(eq(consentRecords.orgId, orgId)).orderBy(asc(consentRecords.seq))
    let prev = rows.find((r) => r.seq === seq - 1)?.hash ?? '0'.repeat(64)
    for (const r of rows.filter((r) => r.seq >= seq)) {
      const hash = hashEntry({ ...r, prevHash: prev, details: (r.details as Record<string, string>) ?? undefined })
      await t.owner`update consent_records set prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`
      prev = hash
    }
  } finally {
    await t.owner`alter table consent_records enable trigger consent_records_append_only`
  }
}

/** As the owner role: every stored checkpoint moved to the rewritten chain and re-signed by `resign`. */
async function rewriteCheckpointsAsOwner(orgId: string, resign: (c: Checkpoint) => { signature: string; keyFingerprint: string }) {
  const rows = await t.db.select({ seq: consentRecords.seq, hash: consentRecords.hash }).from(consentRecords).where(eq(consentRecords.orgId, orgId))
  const hashes = new Map(rows.map((r) => [r.seq, r.hash]))
  const cps = await t.db.select().from(consentCheckpoints).where(eq(consentCheckpoints.orgId, orgId))
  await t.owner`alter table consent_checkpoints disable trigger consent_checkpoints_append_only`
  try {
    for (const cp of cps) {
      const moved = { ...cp, headHash: hashes.get(cp.seq)! }
      const s = resign(moved)
      await t.owner`update consent_checkpoints set head_hash = ${moved.headHash}, signature = ${s.signature}, key_fingerprint = ${s.keyFingerprint} where id = ${cp.id}`
    }
  } finally {
    await t.owner`alter table consent_checkpoints enable trigger consent_checkpoints_append_only`
  }
}

test('checkpoints are Ed25519 signatures by the configured key, never an HMAC of the session secret', async () => {
  const { org } = await schoolWithLog(3)
  const r = await writeCheckpoint(t.db, org.id)
  expect(r.written).toBe(true)
  const cp = r.checkpoint!
  expect(cp).toMatchObject({ algorithm: 'Ed25519', hmac: null, keyFingerprint: signingKey().fingerprint })
  expect(Buffer.from(cp.signature!, 'base64')).toHaveLength(64)
  const json = checkpointJson(cp, 'École')
  expect(json).toMatchObject({ version: 2, algorithm: 'Ed25519', publicKeyFingerprint: signingKey().fingerprint, publicKey: signingKey().publicKeyPem, signedPayload: checkpointPayload(cp, 2) })
  expect(json).not.toHaveProperty('hmac')
  expect((json as { howToVerify: string }).howToVerify).toContain('openssl pkeyutl -verify')
})

test('a rewrite done as the owner, chain recomputed, is caught by verify-log with the outside checkpoint — re-signing with its own key does not help', async () => {
  const { org, add } = await schoolWithLog(5)
  const held = keepOutside((await writeCheckpoint(t.db, org.id)).checkpoint!)
  await add(2)
  await writeCheckpoint(t.db, org.id) // a later stored checkpoint at #7
  const before = await verifyLog('--org', org.id, '--checkpoint', held)
  expect(before.out).toContain('Chain intact: 7 entries')
  expect(before.out).toContain('Stored checkpoints: 2 checked, all valid')
  expect(before.out).toMatch(/Outside checkpoint .* valid — entry #5/)
  expect(before.code).toBe(0)

  // The runtime role cannot even start: the trigger is the owner's.
  await expect(t.sql`alter table consent_records disable trigger consent_records_append_only`).rejects.toThrow(/must be owner/)

  await rewriteChainAsOwner(org.id, 2)
  expect((await verifyChain(t.db, org.id)).ok).toBe(true) // the chain alone cannot tell

  // 1. Chain recomputed, stored checkpoints left alone: they no longer match.
  const untouched = await verifyLog('--org', org.id, '--checkpoint', held)
  expect(untouched.code).toBe(1)
  expect(untouched.out).toContain('Stored checkpoint #5 FAILS (hash_mismatch)')
  expect(untouched.out).toMatch(/Outside checkpoint .* FAILS at entry #5 \(hash_mismatch\): .*REWRITTEN/)

  // 2. Stored checkpoints moved to the new chain and re-signed with a key the attacker made,
  //    claiming Carnet's fingerprint: the signature does not verify.
  const attacker = generateKeyPairSync('ed25519')
  const forge = (c: Checkpoint) => sign(null, Buffer.from(checkpointPayload(c, 2)), attacker.privateKey).toString('base64')
  await rewriteCheckpointsAsOwner(org.id, (c) => ({ signature: forge(c), keyFingerprint: signingKey().fingerprint }))
  const claimed = await verifyLog('--org', org.id, '--checkpoint', held)
  expect(claimed.code).toBe(1)
  expect(claimed.out).toContain('Stored checkpoint #5 FAILS (bad_signature)')
  expect(claimed.out).toMatch(/Outside checkpoint .* FAILS at entry #5 \(hash_mismatch\)/)

  // 3. …or under the attacker's own fingerprint: an unknown key.
  await rewriteCheckpointsAsOwner(org.id, (c) => ({ signature: forge(c), keyFingerprint: publicKeyFingerprint(attacker.publicKey) }))
  const own = await verifyLog('--org', org.id, '--checkpoint', held)
  expect(own.code).toBe(1)
  expect(own.out).toContain('Stored checkpoint #5 FAILS (unknown_key)')

  // 4. Every stored checkpoint deleted: the database looks clean, only the outside file tells.
  await t.owner`alter table consent_checkpoints disable trigger consent_checkpoints_append_only`
  await t.owner`delete from consent_checkpoints where org_id = ${org.id}`
  await t.owner`alter table consent_checkpoints enable trigger consent_checkpoints_append_only`
  expect(await verifyLog('--org', org.id)).toMatchObject({ code: 0 })
  const onlyOutside = await verifyLog('--org', org.id, '--checkpoint', held)
  expect(onlyOutside.code).toBe(1)
  expect(onlyOutside.out).toContain('Stored checkpoints: 0 checked')
  expect(onlyOutside.out).toMatch(/Outside checkpoint .* FAILS at entry #5 \(hash_mismatch\)/)

  // 5. A truncated log (entries 5… deleted): the outside checkpoint's entry is missing.
  await t.owner`alter table consent_records disable trigger consent_records_append_only`
  await t.owner`delete from consent_records where org_id = ${org.id} and seq >= 5`
  await t.owner`alter table consent_records enable trigger consent_records_append_only`
  const truncated = await verifyLog('--org', org.id, '--checkpoint', held)
  expect(truncated.code).toBe(1)
  expect(truncated.out).toMatch(/FAILS at entry #5 \(entry_missing\)/)
})

test('a tampered signature is detected, in a stored checkpoint and in the outside file', async () => {
  const { org } = await schoolWithLog(4)
  const cp = (await writeCheckpoint(t.db, org.id)).checkpoint!
  const json = checkpointJson(cp, 'École')
  // One bit of the signature flipped.
  const bytes = Buffer.from(cp.signature!, 'base64')
  bytes[10] = bytes[10]! ^ 0x01
  const flipped = bytes.toString('base64')
  expect(await verifyHeldCheckpoint(t.db, org.id, { ...json, signature: flipped })).toEqual({ ok: false, reason: 'bad_signature', seq: 4 })
  // A changed field under a valid signature.
  expect(await verifyHeldCheckpoint(t.db, org.id, { ...json, seq: 3 })).toMatchObject({ ok: false, reason: 'bad_signature' })
  expect(await verifyHeldCheckpoint(t.db, org.id, { ...json, signedAt: new Date(cp.signedAt.getTime() + 1000).toISOString() })).toMatchObject({ ok: false, reason: 'bad_signature' })
  const file = path.join(dir, 'flipped.json')
  fs.writeFileSync(file, JSON.stringify({ ...json, signature: flipped }))
  const cli = await verifyLog('--org', org.id, '--checkpoint', file)
  expect(cli.code).toBe(1)
  expect(cli.out).toMatch(/Outside checkpoint .* FAILS at entry #4 \(bad_signature\)/)
  // The same in the database, by the owner.
  await t.owner`alter table consent_checkpoints disable trigger consent_checkpoints_append_only`
  await t.owner`update consent_checkpoints set signature = ${flipped} where id = ${cp.id}`
  await t.owner`alter table consent_checkpoints enable trigger consent_checkpoints_append_only`
  expect((await verifyConsentLog(t.db, org.id)).checkpoints.firstMismatch).toEqual({ seq: 4, reason: 'bad_signature' })
  const stored = await verifyLog('--org', org.id)
  expect(stored.code).toBe(1)
  expect(stored.out).toContain('Stored checkpoint #4 FAILS (bad_signature)')
  // Not a checkpoint at all, or another organization's.
  fs.writeFileSync(file, 'not json')
  expect((await verifyLog('--org', org.id, '--checkpoint', file)).out).toContain('(malformed)')
  const other = await schoolWithLog(1)
  expect(await verifyHeldCheckpoint(t.db, other.org.id, json)).toMatchObject({ ok: false, reason: 'other_organization' })
  await expect(verifyLog('--org', org.id, '--checkpoint', path.join(dir, 'absent.json'))).rejects.toThrow(/Cannot read .*absent\.json/) // the CLI exits 1 with it
})

test('older HMAC checkpoints keep verifying, labelled legacy; one written after an Ed25519 checkpoint is a downgrade', async () => {
  const { org, add } = await schoolWithLog(2)
  const head = (await verifyChain(t.db, org.id)) as { head: string }
  const old = { orgId: org.id, seq: 2, headHash: head.head, signedAt: new Date('2026-01-05T10:00:00Z') }
  const [legacy] = await t.db
    .insert(consentCheckpoints)
    .values({ ...old, algorithm: 'HMAC-SHA256', hmac: legacyHmac(old) })
    .returning()
  const v = await verifyConsentLog(t.db, org.id)
  expect(v.checkpoints).toEqual({ checked: 1, legacy: 1, firstMismatch: null })
  const json = checkpointJson(legacy!, 'École')
  expect(json).toMatchObject({ version: 1, algorithm: 'HMAC-SHA256', legacy: expect.stringContaining('Ed25519') })
  expect(await verifyHeldCheckpoint(t.db, org.id, JSON.parse(JSON.stringify(json)))).toMatchObject({ ok: true, seq: 2, legacy: true })
  expect((await verifyLog('--org', org.id)).out).toContain('1 of the older HMAC scheme')

  await add(1)
  await writeCheckpoint(t.db, org.id) // Ed25519 at #3
  await add(1)
  // Someone with SESSION_SECRET (the app's environment) adds an HMAC checkpoint after it.
  const h4 = (await verifyChain(t.db, org.id)) as { head: string }
  const late = { orgId: org.id, seq: 4, headHash: h4.head, signedAt: new Date() }
  await t.db.insert(consentCheckpoints).values({ ...late, algorithm: 'HMAC-SHA256', hmac: legacyHmac(late) })
  expect((await verifyConsentLog(t.db, org.id)).checkpoints.firstMismatch).toEqual({ seq: 4, reason: 'downgraded' })
})

const hasOpenssl = spawnSync('openssl', ['version']).status === 0

test('a school verifies a checkpoint file with openssl alone, as the README says', async () => {
  // openssl is part of every machine Carnet runs on (Debian); its absence is a failure, not a skip.
  expect(hasOpenssl).toBe(true)
  const { org } = await schoolWithLog(2)
  const json = checkpointJson((await writeCheckpoint(t.db, org.id)).checkpoint!, 'École') as { signedPayload: string; signature: string; publicKey: string; publicKeyFingerprint: string }
  const payload = path.join(dir, 'payload.txt')
  const sig = path.join(dir, 'signature.bin')
  const pub = path.join(dir, 'carnet-public.pem')
  fs.writeFileSync(payload, json.signedPayload)
  fs.writeFileSync(sig, Buffer.from(json.signature, 'base64'))
  fs.writeFileSync(pub, json.publicKey)
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', pub, '-outform', 'DER'])
  expect(createHash('sha256').update(der).digest('hex')).toBe(json.publicKeyFingerprint)
  const ok = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', payload, '-sigfile', sig], { encoding: 'utf8' })
  expect(ok.stdout).toContain('Signature Verified Successfully')
  fs.writeFileSync(payload, json.signedPayload.replace(/\n2\n/, '\n1\n'))
  const bad = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', payload, '-sigfile', sig], { encoding: 'utf8' })
  expect(bad.status).not.toBe(0)
  expect(bad.stdout + bad.stderr).toMatch(/Signature Verification Failure/)
})

// `npx carnet verify-log --org <id> [--checkpoint <file>]` (ADR 015): the consent log's hash
// chain, every stored checkpoint's signature and position, and — the part that catches a rewrite
// by whoever controls the database — a checkpoint the school kept outside Carnet.
import fs from 'node:fs'
import { getDb } from '../../app/db.server'
import { verifyConsentLog, verifyHeldCheckpoint, type HeldProblem, type StoredProblem } from '../../app/compliance/checkpoints.server'
import { groupedFingerprint, signingKey } from '../../app/compliance/signing-key.server'
import { parseArgs, UsageError, type Command } from './args'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_FILE = 64 * 1024

const STORED: Record<StoredProblem, string> = {
  bad_signature: 'its signature is invalid: it was changed or re-signed without the signing key',
  unknown_key: 'it was signed with a key this server does not hold (another server, or the key was replaced)',
  downgraded: 'it uses the older HMAC scheme after Ed25519 checkpoints: written by someone holding SESSION_SECRET',
  entry_missing: 'the entry it signed is no longer in the log (truncated)',
  hash_mismatch: 'the entry it signed no longer has the signed hash (the log was rewritten)',
}

const HELD: Record<HeldProblem, string> = {
  malformed: 'the file is not a Carnet checkpoint (JSON with format "carnet-consent-checkpoint")',
  other_organization: 'the file is a checkpoint of another organization',
  bad_signature: 'its signature is invalid: the file was changed, or was not signed by this server',
  unknown_key: "it was signed with another key than this server's (compare publicKeyFingerprint with the one printed on the certificate)",
  entry_missing: 'the entry it signed is no longer in the log (truncated)',
  hash_mismatch: 'the entry at its position no longer has its hash: the log was REWRITTEN since it was signed',
}

export const verifyLogCommand: Command = {
  summary: "check an organization's consent log: chain, stored checkpoints, a checkpoint kept outside",
  help: [
    'Usage: npx carnet verify-log --org <organization id> [--checkpoint <file>]',
    '',
    'Recomputes the hash chain of the consent and authorisation log, checks the',
    "signature of every stored checkpoint (Ed25519, the server's signing key) and",
    'that the chain still holds the hash each one signed. With --checkpoint, also',
    'checks a checkpoint file kept outside Carnet (the weekly mail to the DPO): its',
    'signature, and that the current chain has the same hash at the same position.',
    'A database owner can recompute the chain and the stored rows; only the file',
    'kept outside catches that. Exits 1 naming the first problem of each check.',
  ].join('\n'),
  run: async (args, io) => {
    const { flags } = parseArgs(args, { org: 'string', checkpoint: 'string' })
    const org = flags.org
    if (typeof org !== 'string' || !UUID.test(org)) throw new UsageError('--org <organization id> is required (see "npx carnet orgs").')
    let held: unknown = undefined
    const file = flags.checkpoint
    if (typeof file === 'string') {
      let text: string
      try {
        if (fs.statSync(file).size > MAX_FILE) throw new UsageError(`${file} is larger than ${MAX_FILE / 1024} KB: not a checkpoint file.`)
        text = fs.readFileSync(file, 'utf8')
      } catch (e) {
        if (e instanceof UsageError) throw e
        throw new UsageError(`Cannot read ${file}: ${(e as Error).message}`)
      }
      try {
        held = JSON.parse(text)
      } catch {
        held = null
      }
    }
    const db = getDb()
    const key = signingKey()
    io.out(`Signing key: Ed25519, fingerprint ${groupedFingerprint(key.fingerprint)}`)
    let ok = true
    const v = await verifyConsentLog(db, org)
    if (v.chain.ok) io.out(`Chain intact: ${v.chain.entries} entries, head ${v.chain.head}`)
    else {
      ok = false
      io.out(`Chain BROKEN at entry #${v.chain.brokenAt} (${v.chain.reason}); ${v.chain.entries} entries in all.`)
    }
    const cp = v.checkpoints
    if (cp.firstMismatch) {
      ok = false
      io.out(`Stored checkpoint #${cp.firstMismatch.seq} FAILS (${cp.firstMismatch.reason}): ${STORED[cp.firstMismatch.reason]}.`)
    } else {
      io.out(`Stored checkpoints: ${cp.checked} checked, all valid${cp.legacy ? ` (${cp.legacy} of the older HMAC scheme: no proof against someone holding SESSION_SECRET)` : ''}.`)
    }
    if (held !== undefined) {
      const r = await verifyHeldCheckpoint(db, org, held)
      if (r.ok) io.out(`Outside checkpoint ${file}: valid — entry #${r.seq} still has the hash signed on ${r.signedAt}${r.legacy ? ' (older HMAC scheme: weaker evidence)' : ''}.`)
      else {
        ok = false
        io.out(`Outside checkpoint ${file} FAILS${r.seq !== undefined ? ` at entry #${r.seq}` : ''} (${r.reason}): ${HELD[r.reason]}.`)
      }
    } else if (cp.checked === 0 && v.chain.entries > 0) {
      io.out('No stored checkpoint: pass --checkpoint <file> with a checkpoint kept outside Carnet to detect a rewritten chain.')
    }
    return ok ? 0 : 1
  },
}

// The Ed25519 key that signs consent-log checkpoints (ADR 015). It is kept apart from the
// database and from the session secret: whoever can rewrite the log tables (the owner role, a
// superuser, a stolen dump) cannot re-sign a rewritten chain without it. Where it comes from,
// first match wins:
//   CARNET_SIGNING_KEY       the PKCS#8 PEM itself (a secret store, an orchestrator's env)
//   CARNET_SIGNING_KEY_FILE  a path to that PEM (a mounted secret)
//   DATA_DIR/signing-key.pem generated at first start, mode 0600 (single-machine installs)
// The public key (and its SHA-256 fingerprint) is published: DPO page, certificate PDF and each
// checkpoint file, so a school can check a signature with openssl, without Carnet.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** The settings read (process.env by default; tests pass their own). */
export type Env = Record<string, string | undefined>
export type SigningKey = {
  privateKey: KeyObject
  publicKey: KeyObject
  publicKeyPem: string
  fingerprint: string
  source: string
  /** The key file can be read by its group or by others (boot warns: it should be 0600). */
  readableByOthers: boolean
}

/** DATA_DIR as the server resolves it (server/embedded-postgres dataDir: relative to the project root = cwd). */
export function defaultSigningKeyFile(env: Env = process.env) {
  return path.resolve(env.DATA_DIR ?? '.data', 'signing-key.pem')
}

let cached: { marker: string; key: SigningKey } | null = null

const markerOf = (env: Env) => `${env.CARNET_SIGNING_KEY ?? ''}\0${env.CARNET_SIGNING_KEY_FILE ?? ''}\0${env.DATA_DIR ?? ''}`

/** SHA-256 of the public key's DER (SubjectPublicKeyInfo), hex: `openssl pkey -pubin -outform DER | sha256sum`. */
export function publicKeyFingerprint(publicKey: KeyObject) {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

/** The fingerprint grouped by four for reading aloud or comparing on paper. */
export const groupedFingerprint = (hex: string) => hex.match(/.{1,4}/g)!.join(' ')

function fromPem(pem: string, source: string): SigningKey {
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(pem)
  } catch (e) {
    throw new Error(`The checkpoint signing key (${source}) is not a PEM private key: ${(e as Error).message}`)
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`The checkpoint signing key (${source}) must be an Ed25519 key, not ${privateKey.asymmetricKeyType}.`)
  const publicKey = createPublicKey(privateKey)
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: publicKeyFingerprint(publicKey), source, readableByOthers: false }
}

/**
 * Creates DATA_DIR/signing-key.pem if it does not exist, readable by its owner only. Safe when
 * several processes start at once: the key is written to a private temporary file and linked
 * into place, so a reader never sees half a key and only one key ever wins.
 */
export function ensureSigningKeyFile(file: string) {
  if (fs.existsSync(file)) return { created: false }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const { privateKey } = generateKeyPairSync('ed25519')
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  fs.writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' })
  try {
    fs.linkSync(tmp, file)
    return { created: true }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { created: false }
    throw e
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}

/** The key this process signs with (see the header for where it comes from). */
export function signingKey(env: Env = process.env): SigningKey {
  const marker = markerOf(env)
  if (cached?.marker === marker) return cached.key
  let key: SigningKey
  if (env.CARNET_SIGNING_KEY) key = fromPem(env.CARNET_SIGNING_KEY.replace(/\\n/g, '\n'), 'CARNET_SIGNING_KEY')
  else {
    const file = env.CARNET_SIGNING_KEY_FILE ? path.resolve(env.CARNET_SIGNING_KEY_FILE) : defaultSigningKeyFile(env)
    if (!env.CARNET_SIGNING_KEY_FILE) ensureSigningKeyFile(file)
    else if (!fs.existsSync(file)) throw new Error(`CARNET_SIGNING_KEY_FILE names ${file}, which does not exist. Create it with: openssl genpkey -algorithm ed25519 -out ${file}`)
    key = { ...fromPem(fs.readFileSync(file, 'utf8'), file), readableByOthers: (fs.statSync(file).mode & 0o077) !== 0 }
  }
  cached = { marker, key }
  return key
}

/** Signs bytes with the checkpoint key: base64 Ed25519 signature. */
export function signBytes(payload: string, key: SigningKey = signingKey()) {
  return sign(null, Buffer.from(payload, 'utf8'), key.privateKey).toString('base64')
}

/** Checks a base64 Ed25519 signature against a public key (the configured one by default). */
export function verifyBytes(payload: string, signature: string, publicKey: KeyObject = signingKey().publicKey) {
  try {
    return verify(null, Buffer.from(payload, 'utf8'), publicKey, Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}

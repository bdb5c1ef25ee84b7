// The checkpoint signing key (ADR 015): where it comes from, generated once with mode 0600,
// never derived from the session secret, and only Ed25519.
import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { ensureSigningKeyFile, signBytes, signingKey, verifyBytes } from './signing-key.server'

const dirs: string[] = []
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-key-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

test('with nothing configured, DATA_DIR/signing-key.pem is generated once, readable by its owner only, and kept', () => {
  const dataDir = tmpDir()
  const env = { DATA_DIR: dataDir, SESSION_SECRET: 'a' }
  const key = signingKey(env)
  const file = path.join(dataDir, 'signing-key.pem')
  expect(key.source).toBe(file)
  expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  expect(key.readableByOthers).toBe(false)
  expect(fs.readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
  expect(key.privateKey.asymmetricKeyType).toBe('ed25519')
  expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
  // Another session secret changes nothing: the key is not derived from it.
  expect(signingKey({ DATA_DIR: dataDir, SESSION_SECRET: 'b' }).fingerprint).toBe(key.fingerprint)
  // A second start (or a second process) finds the file and does not replace it.
  expect(ensureSigningKeyFile(file)).toEqual({ created: false })
  expect(fs.readdirSync(dataDir)).toEqual(['signing-key.pem'])
  const sig = signBytes('payload', key)
  expect(verifyBytes('payload', sig, key.publicKey)).toBe(true)
  expect(verifyBytes('payload!', sig, key.publicKey)).toBe(false)
  expect(verifyBytes('payload', 'not base64 at all', key.publicKey)).toBe(false)
})

test('CARNET_SIGNING_KEY (PEM) and CARNET_SIGNING_KEY_FILE win over DATA_DIR; a missing file or a non-Ed25519 key is refused', () => {
  const dataDir = tmpDir()
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const fromEnv = signingKey({ DATA_DIR: dataDir, CARNET_SIGNING_KEY: pem })
  expect(fromEnv.source).toBe('CARNET_SIGNING_KEY')
  expect(fs.existsSync(path.join(dataDir, 'signing-key.pem'))).toBe(false)
  // A PEM with its newlines escaped (one-line env files) works too.
  expect(signingKey({ CARNET_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).fingerprint).toBe(fromEnv.fingerprint)
  const file = path.join(dataDir, 'mounted.pem')
  fs.writeFileSync(file, pem, { mode: 0o600 })
  expect(signingKey({ DATA_DIR: dataDir, CARNET_SIGNING_KEY_FILE: file })).toMatchObject({ fingerprint: fromEnv.fingerprint, readableByOthers: false })
  // A key file others can read is flagged (boot warns).
  const loose = path.join(dataDir, 'loose.pem')
  fs.writeFileSync(loose, pem, { mode: 0o644 })
  fs.chmodSync(loose, 0o644)
  expect(signingKey({ CARNET_SIGNING_KEY_FILE: loose }).readableByOthers).toBe(true)
  expect(() => signingKey({ DATA_DIR: dataDir, CARNET_SIGNING_KEY_FILE: path.join(dataDir, 'absent.pem') })).toThrow(/does not exist.*openssl genpkey -algorithm ed25519/)
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  expect(() => signingKey({ CARNET_SIGNING_KEY: rsa })).toThrow(/must be an Ed25519 key, not rsa/)
  expect(() => signingKey({ CARNET_SIGNING_KEY: 'my session secret' })).toThrow(/not a PEM private key/)
})

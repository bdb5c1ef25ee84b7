import { hash, verify } from '@node-rs/argon2'
import { COMMON_PASSWORDS } from './common-passwords'

// OWASP/ANSSI-compatible Argon2id parameters (19 MiB, 2 passes); the records of processing state them (Art. 30(1)(g)).
export const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const

export async function hashPassword(password: string) {
  return hash(password, ARGON2)
}

export async function verifyPassword(hashed: string, password: string) {
  try {
    return await verify(hashed, password)
  } catch {
    return false
  }
}

// A real hash of a random value: verifying against it when the account does not exist
// costs the same time as a real check, so timing does not reveal which emails exist.
let dummy: Promise<string> | null = null
export async function burnPasswordCheck(password: string) {
  dummy ??= hashPassword(crypto.randomUUID())
  await verifyPassword(await dummy, password)
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email' | 'contains_name' | 'repetitive'
export const MIN_PASSWORD_LENGTH = 12

/**
 * ANSSI's advice for passwords used alone: long (12+), not a known/common password, not
 * derived from the person's identity. We prefer length over composition rules.
 */
export function checkPasswordPolicy(password: string, ctx: { email?: string | null; names?: string[] } = {}): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short'
  if (password.length > 256) return 'too_long'
  const lower = password.toLowerCase()
  const folded = lower.replace(/[^a-z0-9]/g, '')
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(folded) || COMMON_PASSWORDS.has(lower.replace(/\d+$/, ''))) return 'common'
  if (new Set(lower).size <= 3) return 'repetitive'
  if (isSequence(folded)) return 'repetitive'
  const email = ctx.email?.toLowerCase().trim()
  if (email) {
    const local = email.split('@')[0] ?? ''
    if (lower.includes(email) || (local.length >= 4 && lower.includes(local))) return 'contains_email'
  }
  for (const n of ctx.names ?? []) {
    const name = n.toLowerCase().trim()
    if (name.length >= 4 && lower.includes(name)) return 'contains_name'
  }
  return null
}

function isSequence(s: string) {
  if (s.length < 8) return false
  let up = 0
  let down = 0
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1)
    if (d === 1) up++
    if (d === -1) down++
  }
  return up >= s.length - 2 || down >= s.length - 2
}

import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'
import { config } from './config.server'

/** 160 random bits, base32: what goes into cookies and emailed links. */
export function randomToken(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

export function sha256Hex(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

export function hmacHex(value: string, purpose: string): string {
  return createHmac('sha256', config.sessionSecret).update(`${purpose}\0${value}`).digest('hex')
}

export function safeEqual(a: string, b: string) {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && timingSafeEqual(ab, bb)
}

// No 0/O/1/I/L: children copy these codes from paper.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export function shortCode(length = 6): string {
  let s = ''
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return s
}
export function normalizeCode(code: string) {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '')
}

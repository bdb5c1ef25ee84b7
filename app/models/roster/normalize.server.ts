import { CLASS_NAME_MAX, NAME_MAX, nameLength, normalizeName } from '../../names'
// Text clean-up shared by every roster format.

/**
 * Trim and collapse inner whitespace (including Excel's non-breaking spaces); keep accents and
 * apostrophes; drop invisible and direction-changing characters (app/names.ts, as every form does).
 */
export function cleanText(value: string | undefined): string {
  return normalizeName(value)
}

/** Why a child's or class's names cannot be taken as they are, or null. */
export function nameTooLong(names: { firstName: string; lastName: string; className?: string }): string | null {
  if (nameLength(names.lastName) > NAME_MAX) return `last name is longer than ${NAME_MAX} characters`
  if (nameLength(names.firstName) > NAME_MAX) return `first name is longer than ${NAME_MAX} characters`
  if (names.className !== undefined && nameLength(names.className) > CLASS_NAME_MAX) return `class name is longer than ${CLASS_NAME_MAX} characters`
  return null
}

/** Comparison key: case-, accent- and spacing-insensitive ("Zoé  DUPONT" ≡ "zoe dupont"). */
export function foldKey(value: string): string {
  return cleanText(value).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

// Deliberately simple: one @, no spaces, a dot in the domain. Delivery is the real check.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/

export function normalizeEmail(value: string | undefined): { ok: true; email: string | null } | { ok: false } {
  const email = (value ?? '').replace(/\s+/g, '').toLowerCase()
  if (email === '') return { ok: true, email: null }
  return EMAIL.test(email) ? { ok: true, email } : { ok: false }
}

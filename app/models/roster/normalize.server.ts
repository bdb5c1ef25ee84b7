// Text clean-up shared by every roster format.

/** Trim and collapse inner whitespace (including Excel's non-breaking spaces); keep accents and apostrophes. */
export function cleanText(value: string | undefined): string {
  return (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()
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

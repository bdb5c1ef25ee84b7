// Names as people type them (or paste them from a spreadsheet), made safe to store and show:
// one normaliser and one Zod field used wherever a name enters Carnet — sign-up, invitations,
// guardian accounts, family child profiles, the roster import, rights requests and their
// rectification. Isomorphic (form schemas run in the browser too).
import { z } from 'zod'
import type { MessageKey } from './i18n'
import { msg } from './i18n/form-message'

/** Characters per name part (first name, last name), counted as the reader sees them. */
export const NAME_MAX = 100
/** A class name (the class form's own limit). */
export const CLASS_NAME_MAX = 60

// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks
// (U+200E, U+200F, U+061C) can make "Zoé" display as someone else on a list or a PDF; zero-width
// spaces and joiners (U+200B–U+200D), the word joiner and invisible operators (U+2060–U+2064)
// and the byte-order mark (U+FEFF) make two names look alike that are not. All are dropped.
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g
// Control characters (NUL, tabs, line breaks…) become spaces.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g

/** NFC, no invisible or direction-changing characters, one space between words, trimmed. */
export function normalizeName(raw: string | null | undefined): string {
  return (raw ?? '').normalize('NFC').replace(INVISIBLE, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim()
}

/** Length as the reader counts it (an accented letter or an emoji is one). */
export function nameLength(name: string): number {
  return [...name].length
}

export type NameCheck = { ok: true; name: string } | { ok: false; key: MessageKey; vars?: Record<string, number> }

/** For models: the normalised name, or the message key saying what is wrong. */
export function checkName(raw: string | null | undefined, requiredKey: MessageKey, max = NAME_MAX): NameCheck {
  const name = normalizeName(raw)
  if (!name) return { ok: false, key: requiredKey }
  if (nameLength(name) > max) return { ok: false, key: 'names.too_long', vars: { max } }
  return { ok: true, name }
}

/** The Zod field for a name in a form: normalised, required (`requiredKey`), at most `max`. */
export function nameField(requiredKey: MessageKey, { min = 1, max = NAME_MAX }: { min?: number; max?: number } = {}) {
  return z
    .string({ message: requiredKey })
    .transform(normalizeName)
    .pipe(
      z
        .string()
        .min(min, requiredKey)
        .refine((v) => nameLength(v) <= max, { message: msg('names.too_long', { max }) }),
    )
}

/** The same for a name that may be left empty (null then). */
export function optionalNameField({ max = NAME_MAX }: { max?: number } = {}) {
  return z
    .string()
    .optional()
    .transform((v) => normalizeName(v) || null)
    .pipe(
      z
        .string()
        .nullable()
        .refine((v) => v === null || nameLength(v) <= max, { message: msg('names.too_long', { max }) }),
    )
}

// The digital age of consent (GDPR art. 8 as each country set it): below it, a child's use of
// an online service offered directly to them needs a holder of parental responsibility's
// consent. Carnet asks for it in family spaces before the child's first login.
export const DIGITAL_AGE_OF_CONSENT: Record<string, number> = {
  FR: 15,
  BE: 13,
  DE: 16,
  ES: 14,
  IT: 14,
  NL: 16,
  UK: 13,
  GB: 13,
  IE: 16,
  LU: 16,
  PT: 13,
  AT: 14,
}
/** Countries not in the table get the GDPR default. */
export const DEFAULT_DIGITAL_AGE = 16

export function digitalAgeOfConsent(country: string | null | undefined) {
  return DIGITAL_AGE_OF_CONSENT[(country ?? '').toUpperCase()] ?? DEFAULT_DIGITAL_AGE
}

/** Whole years between a birth date (YYYY-MM-DD) and `at` (UTC calendar), or null if unknown. */
export function ageOn(birthDate: string | null | undefined, at: Date): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate ?? '')
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  let age = at.getUTCFullYear() - y
  const beforeBirthday = at.getUTCMonth() + 1 < mo || (at.getUTCMonth() + 1 === mo && at.getUTCDate() < d)
  if (beforeBirthday) age--
  return age
}

/** A child whose age is unknown is treated as under the age of consent. */
export function needsParentalConsent(country: string | null | undefined, birthDate: string | null | undefined, at: Date) {
  const age = ageOn(birthDate, at)
  return age === null || age < digitalAgeOfConsent(country)
}

// Birth dates as French schools write them (dd/mm/yyyy) or ISO. Never mm/dd: a French file
// with 03/04/2019 means 3 April.

export type BirthDateProblem = 'missing' | 'unrecognized_format' | 'impossible' | 'in_future' | 'too_old'

export type BirthDateResult = { ok: true; iso: string } | { ok: false; reason: BirthDateProblem }

/** Children and students only: older than this is a typo (1919 for 2019) rather than a pupil. */
export const MAX_AGE_YEARS = 25

const DAY_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** `today` as a Date (its UTC calendar day) or an ISO yyyy-mm-dd string. */
function todayParts(today: Date | string): [number, number, number] {
  if (typeof today === 'string') {
    const m = ISO.exec(today.slice(0, 10))
    if (!m) throw new TypeError(`today must be yyyy-mm-dd, got ${today}`)
    return [Number(m[1]), Number(m[2]), Number(m[3])]
  }
  return [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()]
}

export function parseBirthDate(input: string | undefined, today: Date | string): BirthDateResult {
  const value = (input ?? '').trim()
  if (value === '') return { ok: false, reason: 'missing' }

  let y: number, m: number, d: number
  const dayFirst = DAY_FIRST.exec(value)
  const iso = ISO.exec(value)
  if (dayFirst) [d, m, y] = [Number(dayFirst[1]), Number(dayFirst[3]), Number(dayFirst[4])]
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  else return { ok: false, reason: 'unrecognized_format' }

  // Round-trip through UTC to reject 31/02 or 29/02 of a non-leap year.
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < 1000 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, reason: 'impossible' }
  }

  const [ty, tm, td] = todayParts(today)
  const isoDate = `${pad(y, 4)}-${pad(m)}-${pad(d)}`
  if (isoDate > `${pad(ty, 4)}-${pad(tm)}-${pad(td)}`) return { ok: false, reason: 'in_future' }
  const age = ty - y - (tm < m || (tm === m && td < d) ? 1 : 0)
  if (age > MAX_AGE_YEARS) return { ok: false, reason: 'too_old' }
  return { ok: true, iso: isoDate }
}

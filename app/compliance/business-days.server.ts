// Business days in France: Monday to Friday, French public holidays excluded (date-holidays,
// country 'FR', type 'public'), counted on the Paris calendar. DPA §8: "a maximum period of
// seven (7) business days from receipt of such information" — the day of receipt is not
// counted (as Regulation 1182/71 counts periods), the window closes at the end of the 7th
// business day after it.
import Holidays from 'date-holidays'
import { DAY } from '../clock.server'
import { endOfParisDay, parisParts } from './calendar.server'

const fr = new Holidays('FR')
const cache = new Map<number, Set<string>>()

function publicHolidays(year: number): Set<string> {
  let s = cache.get(year)
  if (!s) {
    s = new Set(
      fr
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    )
    cache.set(year, s)
  }
  return s
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`

/** Is this Paris calendar date (y, m, d) a French business day? */
export function isBusinessDay(y: number, m: number, d: number): boolean {
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  if (dow === 0 || dow === 6) return false
  return !publicHolidays(y).has(iso(y, m, d))
}

/** End (23:59:59.999, Paris) of the `n`-th business day after the day of `from`. */
export function businessDaysAfter(from: Date, n: number): Date {
  const p = parisParts(from)
  let day = Date.UTC(p.year, p.month - 1, p.day)
  let counted = 0
  while (counted < n) {
    day += DAY
    const d = new Date(day)
    if (isBusinessDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())) counted++
  }
  const d = new Date(day)
  return endOfParisDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
}

export const OBJECTION_BUSINESS_DAYS = 7
export const objectionDeadline = (receivedAt: Date) => businessDaysAfter(receivedAt, OBJECTION_BUSINESS_DAYS)

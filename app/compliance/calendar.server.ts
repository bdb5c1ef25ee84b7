// Legal time limits, computed in the controller's time zone (Europe/Paris).
//
// GDPR Art. 12(3) gives "one month of receipt of the request". Periods are counted under
// Regulation (EEC, Euratom) No 1182/71 (as the EDPB's guidelines on the right of access
// recall): the day of receipt is not counted, and a period in months ends at the end of the
// day of the last month that has the same date — or, when that month has no such date, at
// the end of its last day. Received 15 January → due 15 February 23:59:59 (Paris);
// received 31 January → due 28 (or 29) February.
const TZ = 'Europe/Paris'

const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

export type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number }

export function parisParts(d: Date): LocalParts {
  const p = Object.fromEntries(fmt.formatToParts(d).map((x) => [x.type, x.value]))
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour!, minute: +p.minute!, second: +p.second! }
}

/** The instant whose Paris wall-clock time is the one given (ms kept as given). */
export function fromParis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  let guess = wall
  // Two rounds settle the offset, DST changes included.
  for (let i = 0; i < 2; i++) {
    const p = parisParts(new Date(guess))
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, ms)
    guess += wall - seen
  }
  return new Date(guess)
}

export function daysInMonth(year: number, month: number) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function endOfParisDay(year: number, month: number, day: number) {
  return fromParis(year, month, day, 23, 59, 59, 999)
}

/** End of the day, `months` calendar months after `from` (same date, or the month's last day). */
export function monthsAfter(from: Date, months: number): Date {
  const p = parisParts(from)
  const total = p.year * 12 + (p.month - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  return endOfParisDay(year, month, Math.min(p.day, daysInMonth(year, month)))
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** 'YYYY-MM-DD' (a date input) → start of that day in Paris; null when not a date. */
export function parisDayStart(s: string | null | undefined): Date | null {
  const m = s ? ISO_DAY.exec(s) : null
  if (!m) return null
  const [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!]
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null
  return fromParis(y, mo, d)
}

export function parisDayEnd(s: string | null | undefined): Date | null {
  const start = parisDayStart(s)
  if (!start) return null
  const p = parisParts(start)
  return endOfParisDay(p.year, p.month, p.day)
}

/** The Paris calendar date of an instant, as 'YYYY-MM-DD'. */
export function parisDate(d: Date): string {
  const p = parisParts(d)
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
}

/** A datetime-local input's value ("2026-01-05T08:30", Paris wall clock) → the instant; null when empty or malformed. */
export function fromParisLocal(value: string | null | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value ?? '')
  return m ? fromParis(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!) : null
}

/** The reverse: an instant as a datetime-local value in Paris wall-clock time ('' for none). */
export function toParisLocal(at: Date | null | undefined): string {
  if (!at) return ''
  const p = parisParts(at)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`
}

// The deadlines of a rights request, all derived from the moment it counts (received_at):
//   forwarding to the controller: 48 hours (DPA §10.1);
//   the controller's answer: one calendar month (GDPR Art. 12(3), counted as in
//   app/compliance/calendar.server.ts), extendable once by at most two further months, with the
//   reasons told to the requester within the first month.
import { HOUR, DAY } from '../../clock.server'
import { monthsAfter } from '../../compliance/calendar.server'

export const FORWARD_WITHIN = 48 * HOUR
/** "Nearly due": highlighted and reminded this long before the answer is due. */
export const NEARLY_DUE = 7 * DAY
/** An overdue request is reminded again every week until it is closed. */
export const OVERDUE_REMINDER_EVERY = 7 * DAY
export const MAX_EXTENSION_MONTHS = 2

export function deadlinesFor(receivedAt: Date) {
  return { forwardDueAt: new Date(receivedAt.getTime() + FORWARD_WITHIN), dueAt: monthsAfter(receivedAt, 1) }
}

export function extendedDue(receivedAt: Date, months: number) {
  if (!Number.isInteger(months) || months < 1 || months > MAX_EXTENSION_MONTHS) throw new RangeError('extension: 1 or 2 months')
  return monthsAfter(receivedAt, 1 + months)
}

type Dated = { status: string; dueAt: Date | null; extendedDueAt: Date | null; forwardDueAt: Date | null; forwardedAt: Date | null; forwardOverdueAt: Date | null }

export const effectiveDue = (r: Pick<Dated, 'dueAt' | 'extendedDueAt'>) => r.extendedDueAt ?? r.dueAt

/** What the lists highlight. */
export function urgency(r: Dated, at: Date): 'closed' | 'overdue' | 'nearly_due' | 'on_time' | 'unverified' {
  if (r.status === 'closed') return 'closed'
  if (r.status === 'awaiting_verification') return 'unverified'
  const due = effectiveDue(r)
  if (!due) return 'on_time'
  if (at > due) return 'overdue'
  if (due.getTime() - at.getTime() <= NEARLY_DUE) return 'nearly_due'
  return 'on_time'
}

/** Forwarding: late when done after the 48 hours, or still not done past them. */
export function forwardingLate(r: Dated, at: Date) {
  if (r.forwardOverdueAt) return true
  if (!r.forwardDueAt) return false
  return r.forwardedAt ? r.forwardedAt > r.forwardDueAt : at > r.forwardDueAt
}

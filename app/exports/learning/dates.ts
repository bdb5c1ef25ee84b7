// Date formatting for bulk exports: Intl formatters are costly to build, so one per language
// and style is kept (the UI's formatDate builds one per call, which is fine for a page).
import type { Lang } from '../../i18n'

const cache = new Map<string, Intl.DateTimeFormat>()
function fmt(lang: Lang, withTime: boolean) {
  const key = `${lang}:${withTime}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: 'Europe/Paris' })
    cache.set(key, f)
  }
  return f
}

/** A Date, an ISO timestamp or a yyyy-mm-dd day, as the UI shows it. */
export function fmtDate(lang: Lang, d: Date | string | null | undefined, withTime = false): string {
  if (!d) return '—'
  const date = typeof d === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T12:00:00Z` : d) : d
  return fmt(lang, withTime).format(date)
}

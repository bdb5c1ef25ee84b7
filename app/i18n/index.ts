// French by default, English on request. Messages live per area and per language in
// ./messages (<area>.fr.ts is the source, <area>.en.ts must have the same keys); keys are typed,
// so a missing or misspelt key fails `tsc`. The server holds every message (./catalogue); the
// browser holds only the current language's, loaded per area by the pages that use them.
import { useRouteLoaderData } from '@remix-run/react'
import { known, lookup } from './catalogue'

export { switchLanguage } from './catalogue'
import { format } from './format'
import { LANGS, type Lang, type MessageKey, type Vars } from './keys'

export { LANGS }
export type { Area, AreaKey, Lang, MessageKey, Vars } from './keys'

export function t(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = lookup(lang, key) ?? lookup('fr', key)
  if (template === undefined) return missing(key)
  return format(lang, template, vars)
}

/**
 * For keys that arrive as data (a stored code, a schema message, a URL parameter, a value
 * from the database put after a prefix): only a known key may be translated. In the browser
 * "known" means loaded for the page, so guard keys of the page's own areas.
 */
export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && known(key)
}

/** A key received as data in words, or `otherwise` (already in words) when it is no message. */
export function tOr(lang: Lang, key: unknown, otherwise: string, vars?: Vars): string {
  return isMessageKey(key) ? t(lang, key, vars) : otherwise
}

function missing(key: string) {
  // In the browser a key can be missing only if its area was not loaded for the page.
  if (typeof document !== 'undefined') console.error(`[i18n] message not loaded in the browser: ${key}`)
  return key
}

export function isLang(v: unknown): v is Lang {
  return v === 'fr' || v === 'en'
}

/** Account choice first, then a language cookie, then Accept-Language, then French. */
export function pickLang(request: Request, accountLocale?: string | null): Lang {
  if (isLang(accountLocale)) return accountLocale
  const cookie = request.headers.get('cookie')?.match(/(?:^|;\s*)carnet_lang=(fr|en)/)?.[1]
  if (isLang(cookie)) return cookie
  const header = request.headers.get('accept-language') ?? ''
  for (const part of header.split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase()
    if (isLang(code)) return code
  }
  return 'fr'
}

/** In components: the language chosen by the root loader. */
export function useT() {
  const data = useRouteLoaderData('root') as { lang?: Lang } | undefined
  const lang: Lang = data?.lang ?? 'fr'
  return Object.assign((key: MessageKey, vars?: Vars) => t(lang, key, vars), {
    lang,
    /** See tOr: for keys received as data. */
    or: (key: unknown, otherwise: string, vars?: Vars) => tOr(lang, key, otherwise, vars),
  })
}

export function formatDate(lang: Lang, d: Date | string | null | undefined, withTime = false) {
  if (!d) return '—'
  const date = typeof d === 'string' ? new Date(d) : d
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Europe/Paris',
  }).format(date)
}

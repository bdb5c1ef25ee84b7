// French by default, English on request. Messages live per area and per language in
// ./messages (<area>.fr.ts is the source, <area>.en.ts must have the same keys); keys are typed,
// so a missing or misspelt key fails `tsc`. The server holds every message (./catalogue); the
// browser holds only the page's language, starting with the areas the page used
// (./catalogue.browser, swapped in by the client build: see vite.config.ts).
import { useRouteLoaderData } from '@remix-run/react'
import { createElement, useSyncExternalStore } from 'react'
import { known, lookup, pageMessages, subscribe, version } from './catalogue'
import { format } from './format'
import { PAGE_MESSAGES_ID, type Lang, type MessageKey, type Vars } from './keys'

export type { Area, AreaKey, Lang, MessageKey, Vars } from './keys'

export function t(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = lookup(lang, key)
  // Unknown (a key received as data, unchecked) or, in the browser, not loaded yet: the key.
  if (template === undefined) return key
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

/** In components: the language chosen by the root loader. Re-renders when messages arrive. */
export function useT() {
  useMessages()
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

/**
 * Re-renders the calling component when messages arrive in the browser (the rest of the
 * language after the first page, or a language switched in place). For components that call
 * `t(lang, …)` with a language they were given; useT already does it.
 */
export function useMessages() {
  useSyncExternalStore(subscribe, version, serverVersion)
}
const serverVersion = () => 0

/**
 * The messages the page used, for the browser to hydrate with. Last in the document (after
 * <Scripts/>): the server writes what everything before it used, and the browser renders the
 * same JSON back, so the element is kept as it is.
 */
export function PageMessages() {
  return createElement('script', { id: PAGE_MESSAGES_ID, type: 'application/json', suppressHydrationWarning: true, dangerouslySetInnerHTML: { __html: pageMessages() } })
}

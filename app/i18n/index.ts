// French by default, English on request. Each area keeps its own message file so modules
// stay small; keys are namespaced ("auth.", "school.", ...). Missing English falls back to French.
import { useRouteLoaderData } from '@remix-run/react'
import { common } from './messages/common'
import { auth } from './messages/auth'
import { roster } from './messages/roster'
import { children } from './messages/children'
import { staff } from './messages/staff'
import { classes } from './messages/classes'
import { dpo } from './messages/dpo'
import { learning } from './messages/learning'
import { families } from './messages/families'
import { retention } from './messages/retention'

export const LANGS = ['fr', 'en'] as const
export type Lang = (typeof LANGS)[number]
export type Vars = Record<string, string | number>

type Table = Record<string, string>
const areas: { fr: Table; en: Table }[] = [common, auth, roster, children, staff, classes, dpo, families]
areas.push(retention)
areas.push(learning)
const catalog: Record<Lang, Table> = {
  fr: Object.assign({}, ...areas.map((a) => a.fr)),
  en: Object.assign({}, ...areas.map((a) => a.en)),
}

export function t(lang: Lang, key: string, vars: Vars = {}): string {
  const template = catalog[lang][key] ?? catalog.fr[key] ?? key
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`))
}

export function hasMessage(key: string) {
  return key in catalog.fr
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

export function allKeys(lang: Lang) {
  return Object.keys(catalog[lang])
}

/** In components: the language chosen by the root loader. */
export function useT() {
  const data = useRouteLoaderData('root') as { lang?: Lang } | undefined
  const lang: Lang = data?.lang ?? 'fr'
  return Object.assign((key: string, vars?: Vars) => t(lang, key, vars), { lang })
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

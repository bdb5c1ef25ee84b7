// The browser's messages: one language, loaded per area. The client build puts this module where
// ./catalogue is imported (the `i18nCatalogue` plugin in vite.config.ts), so no page's scripts
// hold the other language, nor the areas the page does not use.
//
// A page starts with the areas its server render used, in its language (<PageMessages/>: JSON
// in the document, read before hydration, so the first render matches the server's word for
// word). Once the page has loaded and the browser is idle, the other areas of that language
// follow, one chunk each, so the pages a click away are in words too. A message still missing
// (a language switched in place, a page opened before the rest arrived) loads its language and
// shows the words of a language already loaded meanwhile; components re-render on arrival (useT).
import { AREAS, LANGS, PAGE_MESSAGES_ID, type Area, type Lang, type Table } from './keys'

/** Messages already in the browser, per language; `areas` says which areas are complete. */
const tables: Record<Lang, Table> = { fr: {}, en: {} }
const areas: Record<Lang, Set<Area>> = { fr: new Set(), en: new Set() }
const loading: Partial<Record<Lang, Promise<void>>> = {}

/** One lazily imported module per area and language: Vite makes each its own chunk. */
const files = import.meta.glob<{ default: Table }>('./messages/*.ts')

let pageText: string | undefined
let seeded = false
let changes = 0
const listeners = new Set<() => void>()

/** Adds the messages a page carries (the JSON of <PageMessages/>). */
export function seed(text: string) {
  const data = JSON.parse(text) as Partial<Record<Lang, Partial<Record<Area, Table>>>>
  for (const lang of LANGS) for (const [area, table] of Object.entries(data[lang] ?? {})) add(lang, area as Area, table)
}

function add(lang: Lang, area: Area, table: Table) {
  if (areas[lang].has(area)) return
  Object.assign(tables[lang], table)
  areas[lang].add(area)
}

function seedFromPage() {
  if (seeded) return
  seeded = true
  if (typeof document === 'undefined') return
  pageText = document.getElementById(PAGE_MESSAGES_ID)?.textContent ?? '{}'
  seed(pageText)
  // The rest of the page's language, once the page is there: never before it is interactive.
  const lang = document.documentElement.lang
  if (lang !== 'fr' && lang !== 'en') return
  const later = () => ('requestIdleCallback' in window ? window.requestIdleCallback(() => void loadLanguage(lang), { timeout: 5000 }) : setTimeout(() => void loadLanguage(lang), 1000))
  if (document.readyState === 'complete') later()
  else window.addEventListener('load', later, { once: true })
}

/** Every area of a language not yet in the browser; resolves when they all are. */
export function loadLanguage(lang: Lang): Promise<void> {
  seedFromPage()
  if (AREAS.every((a) => areas[lang].has(a))) return Promise.resolve()
  return (loading[lang] ??= Promise.all(
    AREAS.filter((area) => !areas[lang].has(area)).map(async (area) => {
      const file = files[`./messages/${area}.${lang}.ts`]
      if (!file) throw new Error(`[i18n] no message file for ${area}.${lang}`)
      add(lang, area, (await file()).default)
    }),
  ).then(
    () => changed(),
    (e) => {
      // A failed chunk (offline, a deploy in between): try again at the next miss.
      delete loading[lang]
      changed()
      console.error(e)
    },
  ))
}

function changed() {
  changes++
  for (const l of listeners) l()
}

export function lookup(lang: Lang, key: string): string | undefined {
  seedFromPage()
  if (Object.hasOwn(tables[lang], key)) return tables[lang][key]
  void loadLanguage(lang)
  // Meanwhile the words of a language already here rather than a key.
  for (const other of LANGS) if (Object.hasOwn(tables[other], key)) return tables[other][key]
  if (AREAS.every((a) => areas[lang].has(a))) console.error(`[i18n] unknown message: ${key}`)
  return undefined
}

/**
 * Whether a key is a message. Until its area arrives a key of another area reads as unknown, so
 * asking loads the page's language (components using useT re-render when it is there).
 */
export function known(key: string): boolean {
  seedFromPage()
  if (LANGS.some((lang) => Object.hasOwn(tables[lang], key))) return true
  const lang = typeof document === 'undefined' ? undefined : document.documentElement.lang
  if (lang === 'fr' || lang === 'en') void loadLanguage(lang)
  return false
}

/** The JSON the page came with, given back unchanged so hydration keeps the element as it is. */
export function pageMessages(): string {
  seedFromPage()
  return pageText ?? '{}'
}

/** The areas in the browser per language (for tests and a curious console). */
export function loaded(): Record<Lang, Area[]> {
  return { fr: [...areas.fr].sort(), en: [...areas.en].sort() }
}

/** For useSyncExternalStore: components re-render when messages arrive. */
export function subscribe(onChange: () => void): () => void {
  listeners.add(onChange)
  return () => listeners.delete(onChange)
}
export function version(): number {
  return changes
}

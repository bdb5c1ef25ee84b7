// Every message of both languages, for the server (pages, mails, PDFs, jobs). The browser never
// gets this module: the client build swaps it for catalogue.browser.ts (the `i18nCatalogue`
// plugin in vite.config.ts), which starts with the messages the server put in the page and
// loads the rest of that one language per area, as separate chunks.
//
// While a page is rendered (collectMessages, app/entry.server.tsx) the areas whose messages it
// used are noted; <PageMessages/> (app/i18n/index.ts, at the end of the document) writes those
// areas in the page's language, so the browser hydrates with exactly the words the server used.
import { AsyncLocalStorage } from 'node:async_hooks'
import commonFr from './messages/common.fr'
import commonEn from './messages/common.en'
import authFr from './messages/auth.fr'
import authEn from './messages/auth.en'
import rosterFr from './messages/roster.fr'
import rosterEn from './messages/roster.en'
import childrenFr from './messages/children.fr'
import childrenEn from './messages/children.en'
import staffFr from './messages/staff.fr'
import staffEn from './messages/staff.en'
import classesFr from './messages/classes.fr'
import classesEn from './messages/classes.en'
import dpoFr from './messages/dpo.fr'
import dpoEn from './messages/dpo.en'
import familiesFr from './messages/families.fr'
import familiesEn from './messages/families.en'
import learningFr from './messages/learning.fr'
import learningEn from './messages/learning.en'
import retentionFr from './messages/retention.fr'
import retentionEn from './messages/retention.en'
import { AREAS, LANGS, type Area, type Lang, type Table } from './keys'

export const byArea: Record<Area, Record<Lang, Table>> = {
  common: { fr: commonFr, en: commonEn },
  auth: { fr: authFr, en: authEn },
  roster: { fr: rosterFr, en: rosterEn },
  children: { fr: childrenFr, en: childrenEn },
  staff: { fr: staffFr, en: staffEn },
  classes: { fr: classesFr, en: classesEn },
  dpo: { fr: dpoFr, en: dpoEn },
  families: { fr: familiesFr, en: familiesEn },
  learning: { fr: learningFr, en: learningEn },
  retention: { fr: retentionFr, en: retentionEn },
}

const tables: Record<Lang, Table> = {
  fr: Object.assign({}, ...Object.values(byArea).map((a) => a.fr)),
  en: Object.assign({}, ...Object.values(byArea).map((a) => a.en)),
}

const areaOf = new Map<string, Area>(AREAS.flatMap((area) => Object.keys(byArea[area].fr).map((key) => [key, area] as const)))

/** What one page render has used so far. */
type Render = { used: Record<Lang, Set<Area>>; written: boolean }
const renders = new AsyncLocalStorage<Render>()

export function lookup(lang: Lang, key: string): string | undefined {
  const hit = Object.hasOwn(tables[lang], key) ? tables[lang][key] : Object.hasOwn(tables.fr, key) ? tables.fr[key] : undefined
  const render = renders.getStore()
  if (render && hit !== undefined) note(render, Object.hasOwn(tables[lang], key) ? lang : 'fr', key)
  return hit
}

function note(render: Render, lang: Lang, key: string) {
  const area = areaOf.get(key)
  if (!area || render.used[lang].has(area)) return
  render.used[lang].add(area)
  // A message used after the page's messages were written would be missing in the browser.
  if (render.written) console.error(`[i18n] "${key}" (area ${area}) was rendered after <PageMessages/>: keep it last in the document`)
}

/** Whether a key exists (the server knows them all). */
export function known(key: string): boolean {
  return Object.hasOwn(tables.fr, key)
}

/** Runs a page render (`fn` and everything it schedules) noting the messages it uses. */
export function collectMessages<T>(fn: () => T): T {
  return renders.run({ used: { fr: new Set(), en: new Set() }, written: false }, fn)
}

/**
 * The JSON the browser starts with: each used area whole (a form's other messages, its errors
 * included, come with it), in the language(s) used — one unless a message fell back to French.
 * Outside a page render: nothing.
 */
export function pageMessages(): string {
  const render = renders.getStore()
  if (!render) return '{}'
  render.written = true
  const out: Partial<Record<Lang, Partial<Record<Area, Table>>>> = {}
  for (const lang of LANGS) {
    for (const area of AREAS) if (render.used[lang].has(area)) (out[lang] ??= {})[area] = byArea[area][lang]
  }
  // Safe inside <script>: no "</script>" or "<!--" can close or confuse it.
  return JSON.stringify(out).replace(/</g, '\\u003c')
}

/** The server holds every message: nothing to re-render for. */
export function subscribe(_onChange: () => void): () => void {
  return () => {}
}
export function version(): number {
  return 0
}

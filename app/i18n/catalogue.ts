// Every message of both languages, for the server (pages, mails, PDFs, jobs). The browser never
// gets this module: the client build swaps it for catalogue.browser.ts (see vite.config.ts),
// which holds only the current language's messages, loaded per area as pages need them.
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
import type { Area, Lang, Table } from './keys'

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

export function lookup(lang: Lang, key: string): string | undefined {
  return Object.hasOwn(tables[lang], key) ? tables[lang][key] : undefined
}

/** The server holds both languages: nothing to load when a page changes language. */
export async function switchLanguage(_lang: Lang) {}

/** Whether a key exists (the server knows them all). */
export function known(key: string): boolean {
  return Object.hasOwn(tables.fr, key)
}

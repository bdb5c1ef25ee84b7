// Page titles: every page is named in its title, in the page's language (WCAG 2.4.2, RGAA 8.6),
// "Audit log — Carnet". A route says what its page is, by a `title.*` message (common area, so
// the browser always has them) or by the record it shows (a class's name, a child's first name).
import type { MetaDescriptor, SerializeFrom } from '@remix-run/node'
import { isLang, isMessageKey, t, type Lang, type MessageKey, type Vars } from '~/i18n'

type Match = { id: string; data: unknown }

/** The page's language, as the root loader chose it. */
function langOf(matches: readonly Match[]): Lang {
  const lang = (matches.find((m) => m.id === 'root')?.data as { lang?: unknown } | undefined)?.lang
  return isLang(lang) ? lang : 'fr'
}

/** "Journal d'audit — Carnet"; a name that already starts with Carnet stays as it is. */
export function titleText(name: string | null | undefined) {
  const n = name?.trim()
  if (!n) return 'Carnet'
  return n.startsWith('Carnet') ? n : `${n} — Carnet`
}

/** A title by message key: `export const meta = pageTitle('title.audit')`. */
export function pageTitle(key: MessageKey, vars?: Vars) {
  return ({ matches }: { matches: readonly Match[] }): MetaDescriptor[] => [{ title: titleText(isMessageKey(key) ? t(langOf(matches), key, vars) : null) }]
}

/**
 * A title from the page's data: `export const meta = pageTitleFrom<typeof loader>((d) => d.klass.name)`.
 * `name` gets the loader's data (absent when the page failed: then `fallback` names it) and `t` in the page's language.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any loader
export function pageTitleFrom<Loader extends (...args: any[]) => unknown>(
  name: (data: SerializeFrom<Loader>, tr: (key: MessageKey, vars?: Vars) => string) => string | null | undefined,
  fallback?: MessageKey,
) {
  return ({ data, matches }: { data: unknown; matches: readonly Match[] }): MetaDescriptor[] => {
    const lang = langOf(matches)
    const fromData = data ? name(data as SerializeFrom<Loader>, (key, vars) => t(lang, key, vars)) : null
    return [{ title: titleText(fromData ?? (fallback ? t(lang, fallback) : null)) }]
  }
}

/** The title of an error page (root ErrorBoundary): what went wrong, in the page's language. */
export function errorTitle(lang: Lang, key: MessageKey) {
  return titleText(t(lang, key))
}

/** A title and other meta tags (e.g. a referrer policy). */
export function withMeta(title: (args: { matches: readonly Match[] }) => MetaDescriptor[], ...more: MetaDescriptor[]) {
  return (args: { matches: readonly Match[] }): MetaDescriptor[] => [...title(args), ...more]
}

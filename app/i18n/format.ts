// Fills a message: "{name}" placeholders and ICU-style plurals,
// "{count, plural, =0 {aucun élève} one {# élève} other {# élèves}}", chosen with
// Intl.PluralRules for the language ("#" is the number). Nothing else of ICU is needed.
import type { Lang, Vars } from './keys'

type Part = string | { v: string } | { hash: true } | { plural: string; cases: Record<string, Part[]> }

const parsed = new Map<string, Part[]>()
const rules: Partial<Record<Lang, Intl.PluralRules>> = {}

export function format(lang: Lang, template: string, vars: Vars = {}): string {
  let parts = parsed.get(template)
  if (!parts) {
    parts = parse(template)
    parsed.set(template, parts)
  }
  return render(lang, parts, vars, undefined)
}

/** The plural forms each plural placeholder of a message offers: { count: ['one', 'other'] }. */
export function pluralCases(template: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      if (typeof p === 'object' && 'plural' in p) {
        out[p.plural] = Object.keys(p.cases).sort()
        Object.values(p.cases).forEach(walk)
      }
    }
  }
  walk(parse(template))
  return out
}

/** Placeholder names a message uses (plural ones included). */
export function placeholders(template: string): string[] {
  const out = new Set<string>()
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      if (typeof p !== 'object') continue
      if ('v' in p) out.add(p.v)
      if ('plural' in p) {
        out.add(p.plural)
        Object.values(p.cases).forEach(walk)
      }
    }
  }
  walk(parse(template))
  return [...out].sort()
}

function render(lang: Lang, parts: Part[], vars: Vars, n: number | undefined): string {
  let out = ''
  for (const p of parts) {
    if (typeof p === 'string') out += p
    else if ('v' in p) out += p.v in vars ? String(vars[p.v]) : `{${p.v}}`
    else if ('hash' in p) out += n === undefined || Number.isNaN(n) ? '#' : String(n)
    else {
      const count = p.plural in vars ? Number(vars[p.plural]) : NaN
      const exact = p.cases[`=${count}`]
      const category = Number.isFinite(count) ? pluralRules(lang).select(count) : 'other'
      out += render(lang, exact ?? p.cases[category] ?? p.cases.other ?? [], vars, count)
    }
  }
  return out
}

function pluralRules(lang: Lang) {
  return (rules[lang] ??= new Intl.PluralRules(lang))
}

/** Throws on a malformed message (the catalogue test runs it on every message). */
export function assertWellFormed(template: string) {
  parse(template, true)
}

/** A small recursive-descent parser; at run time a malformed message is kept as plain text. */
function parse(src: string, strict = false): Part[] {
  let i = 0
  const fail = () => {
    throw new SyntaxError(`Malformed message: ${src}`)
  }
  const message = (inPlural: boolean): Part[] => {
    const parts: Part[] = []
    let text = ''
    const flush = () => {
      if (text) parts.push(text)
      text = ''
    }
    while (i < src.length) {
      const c = src[i]
      if (c === '}') {
        if (!inPlural) fail()
        break
      }
      if (c === '#' && inPlural) {
        flush()
        parts.push({ hash: true })
        i++
        continue
      }
      if (c === '{') {
        const m = /^\{\s*(\w+)\s*(\}|,\s*plural\s*,)/.exec(src.slice(i))
        if (!m) {
          text += c
          i++
          continue
        }
        flush()
        i += m[0].length
        if (m[2] === '}') {
          parts.push({ v: m[1] })
          continue
        }
        const cases: Record<string, Part[]> = {}
        for (;;) {
          const s = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/.exec(src.slice(i))
          if (!s) break
          i += s[0].length
          cases[s[1]] = message(true)
          if (src[i] !== '}') fail()
          i++
        }
        const end = /^\s*\}/.exec(src.slice(i))
        if (!end || !cases.other) fail()
        i += end![0].length
        parts.push({ plural: m[1], cases })
        continue
      }
      text += c
      i++
    }
    flush()
    return parts
  }
  try {
    const parts = message(false)
    if (i !== src.length) fail()
    return parts
  } catch (e) {
    if (strict) throw e
    return src.split(/(\{\w+\})/).map((s) => (/^\{\w+\}$/.test(s) ? { v: s.slice(1, -1) } : s))
  }
}

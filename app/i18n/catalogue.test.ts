// French is the source; English must say the same things with the same blanks. `tsc` already
// refuses a missing or extra English key; this also checks what types cannot see.
import { describe, expect, test } from 'vitest'
import { byArea } from './catalogue'
import { assertWellFormed, placeholders, pluralCases } from './format'
import { AREAS } from './keys'

const entries = AREAS.flatMap((area) => Object.keys(byArea[area].fr).map((key) => ({ area, key, fr: byArea[area].fr[key], en: byArea[area].en[key] })))

describe('message catalogue', () => {
  test.each(AREAS)('%s: English has exactly the French keys', (area) => {
    expect(Object.keys(byArea[area].en).sort()).toEqual(Object.keys(byArea[area].fr).sort())
  })

  test('no key is defined in two areas (one would silently win)', () => {
    const seen = new Map<string, string>()
    const twice: string[] = []
    for (const e of entries) {
      if (seen.has(e.key)) twice.push(`${e.key} (${seen.get(e.key)}, ${e.area})`)
      seen.set(e.key, e.area)
    }
    expect(twice).toEqual([])
  })

  test('every message parses (placeholders and plurals are well formed)', () => {
    const bad: string[] = []
    for (const e of entries) {
      for (const [lang, text] of [
        ['fr', e.fr],
        ['en', e.en],
      ]) {
        try {
          assertWellFormed(text)
        } catch {
          bad.push(`${lang} ${e.key}`)
        }
      }
    }
    expect(bad).toEqual([])
  })

  test('French and English use the same {placeholders} for each key', () => {
    const differ = entries.filter((e) => placeholders(e.fr).join() !== placeholders(e.en).join()).map((e) => `${e.key}: fr {${placeholders(e.fr)}} en {${placeholders(e.en)}}`)
    expect(differ).toEqual([])
  })

  test('plurals offer the same forms in both languages, forms the language has, always with "other"', () => {
    const problems: string[] = []
    for (const e of entries) {
      const forms = { fr: pluralCases(e.fr), en: pluralCases(e.en) }
      for (const lang of ['fr', 'en'] as const) {
        const known = new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[]
        for (const [name, cases] of Object.entries(forms[lang])) {
          if (!cases.includes('other')) problems.push(`${lang} ${e.key} {${name}}: no "other"`)
          for (const c of cases) if (!known.includes(c) && !/^=\d+$/.test(c)) problems.push(`${lang} ${e.key} {${name}}: "${c}" is no ${lang} plural form`)
          const other = forms[lang === 'fr' ? 'en' : 'fr'][name]
          if (other && other.join() !== cases.join()) problems.push(`${e.key} {${name}}: fr ${forms.fr[name]} / en ${forms.en[name]}`)
          if (!other && !ONE_LANGUAGE_PLURALS.has(`${e.key} {${name}}`)) problems.push(`${e.key} {${name}}: plural in ${lang} only (pluralize it in both, or list it below with the reason)`)
        }
      }
    }
    expect(problems).toEqual([])
  })
})

/**
 * Counts whose words change in one language only. French "mois" and English past participles
 * ("unchanged", "anonymized", "new") never change; in "{linked} of {children} children" the
 * noun follows the other number in English.
 */
const ONE_LANGUAGE_PLURALS = new Set([
  'roster.result.summary {unchanged}',
  'roster.result.summary {archived}',
  'roster.cli.counts {classesUnchanged}',
  'roster.cli.counts {childrenUnchanged}',
  'roster.cli.counts {guardiansUnchanged}',
  'roster.cli.counts {teachersUnchanged}',
  'roster.cli.committed {unchanged}',
  'retention.nav.breaches_unread {count}',
  'retention.privacy.rows {anonymized}',
  'families.family.seats {used}',
  'families.family.seats {max}',
  'families.school.summary {linked}',
  'families.school.summary {children}',
  'families.staff.linked_summary {linked}',
  'families.staff.linked_summary {children}',
  'dsr.detail.months {n}',
  'retention.backups.monthly {months}',
  'retention.records.ret.contract {months}',
  'retention.records.ret.backups {monthly}',
  'retention.records.ret.audit {online}',
  'retention.records.ret.audit {archive}',
  'dpo.audit.archives_hint {archive}',
])

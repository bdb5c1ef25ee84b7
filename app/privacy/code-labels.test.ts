// Every code the DPO's and the operator's pages show has words in both languages: the audit
// log's actions and the kinds of record they point at, the consent log's events, states, methods
// (channels) and documents, the kinds of space, and the sub-processor activities of Annex C. A
// code added without its label fails here, before a DPO reads "web_form" on a screen.
import { describe, expect, test } from 'vitest'
import { byArea } from '../i18n/catalogue'
import { AREAS } from '../i18n/keys'
import { CONSENT_EVENTS } from '../../drizzle/schema/consent'
import { ORG_KINDS } from '../../drizzle/schema/organizations'
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from '../compliance/audit-actions'
import { CONSENT_DOCUMENT_KINDS, CONSENT_METHODS } from '../compliance/consent-codes'
import { ANNEX_C_ACTIVITIES, annexCKey } from './subprocessors/activities'

const fr: Record<string, string> = Object.assign({}, ...AREAS.map((a) => byArea[a].fr))
const en: Record<string, string> = Object.assign({}, ...AREAS.map((a) => byArea[a].en))

/** Keys missing in a language, or whose words are the code itself. */
function unlabelled(codes: readonly string[], key: (code: string) => string) {
  const missing: string[] = []
  for (const code of codes) {
    const k = key(code)
    for (const [lang, table] of [
      ['fr', fr],
      ['en', en],
    ] as const) {
      const words = table[k]
      if (!words?.trim()) missing.push(`${lang} ${k}`)
      // "web_form", "auth.login", "RightsRequest": a code, not words ("Hosting" may be both).
      else if (/^[a-z]+([._][a-z]+)+$/.test(words) || /^[A-Z][a-z]+([A-Z][a-z]+)+$/.test(words)) missing.push(`${lang} ${k} reads as a code: "${words}"`)
    }
  }
  return missing
}

describe('every code shown on a screen has words in French and in English', () => {
  test('audit actions', () => expect(unlabelled(AUDIT_ACTIONS, (a) => `audit.action.${a}`)).toEqual([]))
  test('what an audit entry points at (records and permission subjects)', () => expect(unlabelled(AUDIT_TARGET_TYPES, (x) => `audit.target.${x}`)).toEqual([]))
  test('consent-log events', () => expect(unlabelled(CONSENT_EVENTS, (e) => `dpo.event.${e}`)).toEqual([]))
  test('consent-log states', () => expect(unlabelled(['given', 'refused', 'withdrawn', 'recorded'], (s) => `dpo.state.${s}`)).toEqual([]))
  test('consent-log methods and channels', () => expect(unlabelled(CONSENT_METHODS, (m) => `dpo.method.${m}`)).toEqual([]))
  test('consent-log documents', () => expect(unlabelled(CONSENT_DOCUMENT_KINDS, (d) => `dpo.document.${d}`)).toEqual([]))
  test('kinds of space (and the operator’s)', () => expect(unlabelled([...ORG_KINDS, 'operator'], (k) => `kind.${k}`)).toEqual([]))
  test('sub-processor activities of Annex C', () => expect(unlabelled(ANNEX_C_ACTIVITIES, (a) => annexCKey(a)!)).toEqual([]))

  test('French and English say different things (no English left in the French catalogue for these codes)', () => {
    const same = AUDIT_ACTIONS.map((a) => `audit.action.${a}`).filter((k) => fr[k] === en[k])
    expect(same).toEqual([])
  })
})

// The codes a consent-log entry stores for how it was recorded and which document it names. The
// DPO reads them in words (dpo.method.*, dpo.document.*); a test fails on a code without a label
// in both languages (app/privacy/code-labels.test.ts). No server code: pages may import it.
import { t, tOr, type Lang } from '../i18n'

export const CONSENT_METHODS = ['web_checkbox', 'web_form', 'rights_request', 'paper_form', 'email', 'letter', 'in_app', 'meeting', 'school_record'] as const
export type ConsentMethod = (typeof CONSENT_METHODS)[number]

export const CONSENT_DOCUMENT_KINDS = ['terms', 'privacy', 'dpa', 'notice'] as const
export type ConsentDocumentKind = (typeof CONSENT_DOCUMENT_KINDS)[number]

/** "Politique de confidentialité, version 2026-09" for a stored kind and version; "—" without either. */
export function consentDocumentLabel(lang: Lang, kind: string | null | undefined, version: string | null | undefined) {
  if (!kind) return version || '—'
  const document = tOr(lang, `dpo.document.${kind}`, kind)
  return version ? t(lang, 'dpo.document.version', { document, version }) : document
}

/** How an entry was recorded, in words. */
export function consentMethodLabel(lang: Lang, method: string | null | undefined) {
  return method ? tOr(lang, `dpo.method.${method}`, method) : '—'
}

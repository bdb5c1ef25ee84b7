// The server's answer to the last form sent, read without Conform or Zod in the browser.
// FormNotice says it at the top of a form or page; useFormAnswer gives a field its error and the
// value sent back, for the pages whose first load must stay light — the sign-in page and the
// children's login on a class tablet (issue 11: ≤ 100 KB of first-load JS): their forms are
// checked on the server (readForm) and by the browser's own constraints (required, maxLength).
import { useActionData } from '@remix-run/react'
import { plainField, type FieldMeta } from './field'
import type { FormResult } from './form'
import { Notice } from './shell'

/**
 * The page-level answer to the last form sent: its success message, or errors that belong to no
 * field. `intents`: only the answer to those forms (a page with several sections shows each
 * answer in its own section).
 */
export function FormNotice({ intents }: { intents?: string[] } = {}) {
  const result = useActionData() as FormResult | undefined
  if (!result || typeof result !== 'object') return null
  if (intents && !intents.includes(result.for ?? '')) return null
  const formErrors = result.error?.[''] ?? []
  return (
    <>
      {result.message && <Notice kind="success">{result.message}</Notice>}
      {formErrors.length > 0 && <Notice kind="error">{formErrors.join(' ')}</Notice>}
    </>
  )
}

/** Fields fed by the server's answer (readForm's reply): its error on the field, the value sent back (never a secret). */
export function useFormAnswer() {
  const result = useActionData() as FormResult | undefined
  const answer = result && typeof result === 'object' ? result : undefined
  return {
    field(name: string, options: { id?: string; required?: boolean; defaultValue?: string | null } = {}): FieldMeta {
      const sent = answer?.initialValue?.[name]
      return plainField(name, { ...options, defaultValue: typeof sent === 'string' ? sent : options.defaultValue, error: answer?.error?.[name]?.join(' ') })
    },
  }
}

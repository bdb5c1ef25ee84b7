// Where the answer to a form of this page is said: in the card of the child the form was about
// (its hidden childId), or at the top of the page for the forms about the whole class.
import { useActionData } from '@remix-run/react'
import type { FormResult } from '~/ui/kit'
import { Notice } from '~/ui/kit'

export function Answer({ about }: { about: string | null }) {
  const result = useActionData() as FormResult | undefined
  if (!result || typeof result !== 'object') return null
  const childId = result.initialValue?.childId
  if ((typeof childId === 'string' ? childId : null) !== about) return null
  const errors = Object.values(result.error ?? {}).flatMap((e) => e ?? [])
  return (
    <>
      {result.message && <Notice kind="success">{result.message}</Notice>}
      {errors.length > 0 && <Notice kind="error">{errors.join(' ')}</Notice>}
    </>
  )
}

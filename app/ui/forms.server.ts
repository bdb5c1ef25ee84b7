import { parseWithZod } from '@conform-to/zod/v4'
import type { z } from 'zod'
import { DomainError } from '~/errors.server'
import { hasMessage, t, type Lang } from '~/i18n'

export type FormReply = { status: 'error' | 'success'; fieldErrors: Record<string, string>; formError?: string; message?: string }

/**
 * Parses a form with Conform + Zod. Schema messages are i18n keys, translated here so every
 * field shows its own error in the user's language.
 */
export function parseForm<S extends z.ZodType>(formData: FormData, schema: S, lang: Lang) {
  const submission = parseWithZod(formData, { schema })
  if (submission.status === 'success') return { ok: true as const, value: submission.value as z.infer<S> }
  const fieldErrors: Record<string, string> = {}
  for (const [name, errors] of Object.entries(submission.error ?? {})) {
    const key = errors?.[0]
    if (key) fieldErrors[name] = hasMessage(key) ? t(lang, key) : t(lang, 'form.invalid_field')
  }
  return { ok: false as const, reply: { status: 'error', fieldErrors } satisfies FormReply }
}

/** Turns a model's typed error into a form reply, on a field when we know which. */
export function errorReply(e: unknown, lang: Lang, field?: string): FormReply {
  if (!(e instanceof DomainError)) throw e
  const message = t(lang, e.code, e.vars)
  return field ? { status: 'error', fieldErrors: { [field]: message } } : { status: 'error', fieldErrors: {}, formError: message }
}

export function successReply(message: string): FormReply {
  return { status: 'success', fieldErrors: {}, message }
}

import { parseWithZod } from '@conform-to/zod/v4'
import type { z } from 'zod'
import { DomainError } from '~/errors.server'
import { t, type Lang } from '~/i18n'
import { formMessage, STALE } from '~/i18n/form-message'
import type { FormResult } from './form'

export type { FormResult } from './form'

type Accepted<V> = {
  ok: true
  value: V
  /** Done: a message for the page; the form goes back to its default values unless `keep`. */
  success(message?: string, options?: { keep?: boolean }): FormResult
  /** A model's typed error, on a field when we know which, else for the whole form. Other errors are rethrown. */
  error(e: unknown, field?: string): FormResult
}
type Refused = {
  ok: false
  /** The page again, each error on its field. */
  reply: FormResult
  /** A refusal that comes before what was typed (e.g. "only an administrator may…"): that message alone. */
  error(e: unknown): FormResult
}

/**
 * Carnet's one server helper for forms: reads the request's form, parses it with the page's
 * Zod schema (its intents as one discriminated union) and answers with Conform's
 * submission.reply(), errors translated into the user's language so each field shows its own.
 * An unknown intent is refused as a whole-form error. `secrets` (passwords) are never sent back.
 *
 *   const form = await readForm(request, schema, ctx.lang)
 *   if (!form.ok) return form.reply
 *   try { …; return form.success(translate(ctx.lang, 'x.done')) } catch (e) { return form.error(e, 'email') }
 */
export async function readForm<S extends z.ZodType>(input: Request | FormData, schema: S, lang: Lang, options: { secrets?: string[] } = {}): Promise<Accepted<z.output<S>> | Refused> {
  const formData = input instanceof Request ? await input.formData() : input
  const submission = parseWithZod(formData, { schema, formatError: (issues: z.core.$ZodIssue[]) => issues.map((i) => i.message) })
  const intent = formData.get('intent')
  const answers = typeof intent === 'string' ? { for: intent } : {}
  const hideFields = options.secrets
  if (submission.status !== 'success') {
    const reply: FormResult = { ...submission.reply({ hideFields }), ...answers }
    const error: Record<string, string[]> = {}
    const formErrors: string[] = []
    for (const [name, keys] of Object.entries(reply.error ?? {})) {
      if (!keys?.length) continue
      // The intent and the ids are hidden inputs, never typed: an error there means a stale or
      // forged form, said for the whole form rather than on a field nobody sees.
      if (name === 'intent') formErrors.push(t(lang, 'form.unknown_intent'))
      else if (keys.includes(STALE)) formErrors.push(t(lang, STALE))
      else if (name === '') formErrors.push(...keys.map((k) => formMessage(lang, k)))
      else error[name] = keys.map((k) => formMessage(lang, k))
    }
    if (formErrors.length) error[''] = [...new Set(formErrors)]
    return { ok: false, reply: { ...reply, error }, error: (e) => ({ ...reply, status: 'error', error: { '': [domainMessage(e, lang)] } }) }
  }
  return {
    ok: true,
    value: submission.value,
    success: (message, { keep = false } = {}) => ({ ...submission.reply(keep ? { hideFields } : { resetForm: true }), status: 'success', ...answers, ...(message ? { message } : {}) }),
    error: (e, field) => {
      const text = domainMessage(e, lang)
      return { ...submission.reply(field ? { fieldErrors: { [field]: [text] }, hideFields } : { formErrors: [text], hideFields }), ...answers }
    },
  }
}

function domainMessage(e: unknown, lang: Lang) {
  if (!(e instanceof DomainError)) throw e
  return t(lang, e.code, e.vars)
}

// The older shape, kept while routes move to readForm (docs/ui-and-forms.md).
export type FormReply = { status: 'error' | 'success'; fieldErrors: Record<string, string>; formError?: string; message?: string }

/** A refusal that comes before the form could be read (a body past the route's ceiling), said for the whole form. */
export function refuseForm(e: unknown, lang: Lang, intent?: string): FormResult {
  return { status: 'error', error: { '': [domainMessage(e, lang)] }, ...(intent ? { for: intent } : {}) }
}

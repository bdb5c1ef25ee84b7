// The client half of Carnet's form pattern (the server half is readForm in forms.server.ts).
// One Zod schema — each page's intents as a discriminated union — checks the form in the
// browser (Conform, messages in the user's language) and again on the server; the server's
// answer (submission.reply()) puts each error back on its own field. Without JavaScript the
// form posts as plain HTML and the page renders the same errors.
import { useForm, type DefaultValue, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { useActionData } from '@remix-run/react'
import { useMemo } from 'react'
import type { z } from 'zod'
import { useT } from '~/i18n'
import { formMessage } from '~/i18n/form-message'

/** What an action answers about a form: Conform's result, the intent it answers, a success message. */
export type FormResult = SubmissionResult<string[]> & { for?: string; message?: string }

type ObjectSchema = z.ZodType<Record<string, unknown>, Record<string, unknown>>

/**
 * Conform's useForm wired the Carnet way: validated with the schema in the browser (errors
 * translated), constraints (required, maxLength…) from the schema so the browser checks them
 * too before hydration, and the action's answer applied only to the form whose intent it answers.
 *
 *   const [form, fields] = useCarnetForm(schema, { intent: 'invite', defaultValue: { role: 'teacher' } })
 *   <Form method="post" {...getFormProps(form)}>
 *     <input type="hidden" name="intent" value="invite" />
 *     <Field meta={fields.email} label={t('staff.invite_email')} type="email" />
 */
export function useCarnetForm<S extends ObjectSchema>(
  schema: S,
  options: {
    intent?: string
    id?: string
    defaultValue?: DefaultValue<z.input<S>>
    /** Several forms of one intent on a page (one per row): the answer is this one's when its hidden ids match. */
    match?: Record<string, string>
  } = {},
) {
  const t = useT()
  const result = useActionData() as FormResult | undefined
  const mine =
    result && typeof result === 'object' && (!options.intent || !result.for || result.for === options.intent) && Object.entries(options.match ?? {}).every(([k, v]) => result.initialValue?.[k] === v)
  const constraint = useMemo(() => getZodConstraint(schema), [schema])
  return useForm<z.input<S>, z.output<S>>({
    id: options.id ?? options.intent ?? 'form',
    lastResult: mine ? result : null,
    defaultValue: options.defaultValue,
    constraint,
    defaultNoValidate: false,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema, formatError: (issues: z.core.$ZodIssue[]) => issues.map((i) => formMessage(t.lang, i.message)) }),
  })
}

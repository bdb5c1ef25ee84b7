// An action that cannot be undone: says what will happen (and until when it can still be
// cancelled, when it can), then asks for a ticked box before the button does anything. A plain
// POST form with a required checkbox, so it works the same without JavaScript; the server's
// schema requires the box too (confirm: 'yes'). Inside a table, `open` folds it into a
// disclosure (<details>) that the row's button opens.
import { Form, useActionData } from '@remix-run/react'
import { useId, type FormHTMLAttributes, type ReactNode } from 'react'
import { z } from 'zod'
import { useT } from '~/i18n'
import type { FormResult } from './form'

/** The ticked box, in the schema of the intent a ConfirmForm sends: { …, confirm: confirmed }. */
export const confirmed = /* @__PURE__ */ z.literal('yes', { error: 'ui.confirm.required' })

export function ConfirmForm({
  intent,
  hidden = {},
  open,
  consequences,
  cancelWindow,
  confirmation,
  confirmLabel,
  submit,
  busy,
  action,
  formProps,
}: {
  intent: string
  /** Hidden inputs that say which thing the action is about (ids). */
  hidden?: Record<string, string>
  /** When given, the form is folded behind a disclosure with this label. */
  open?: string
  /** What will happen, one point each. */
  consequences: ReactNode[]
  /** Until when the action can still be cancelled, when it can. */
  cancelWindow?: ReactNode
  /** Replaces the checkbox (e.g. a field where the user types a word). */
  confirmation?: ReactNode
  confirmLabel?: string
  submit: string
  busy?: boolean
  action?: string
  /** With a typed confirmation managed by Conform: getFormProps(form). */
  formProps?: Pick<FormHTMLAttributes<HTMLFormElement>, 'id' | 'onSubmit' | 'noValidate' | 'aria-describedby' | 'aria-invalid'>
}) {
  const t = useT()
  const id = useId().replace(/:/g, '')
  const result = useActionData() as FormResult | undefined
  // The server's answer is about this form when it answers this intent for the same ids.
  const mine = !!result && typeof result === 'object' && result.for === intent && Object.entries(hidden).every(([k, v]) => result.initialValue?.[k] === v)
  const error = mine ? result.error?.confirm?.join(' ') : undefined
  const body = (
    <Form method="post" action={action} className="confirm-form" {...formProps}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p className="confirm-what">{t('ui.confirm.what')}</p>
      <ul>
        {consequences.map((c, i) => (
          <li key={i}>{c}</li>
        ))}
      </ul>
      {cancelWindow && <p className="confirm-window">{cancelWindow}</p>}
      {confirmation ?? (
        <div className={`field${error ? ' has-error' : ''}`}>
          <label className="checkbox" htmlFor={`${id}-confirm`}>
            <input id={`${id}-confirm`} type="checkbox" name="confirm" value="yes" required aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
            <span>{confirmLabel ?? t('ui.confirm.irreversible')}</span>
          </label>
          {error && (
            <p className="error" id={`${id}-error`} role="alert">
              {error}
            </p>
          )}
        </div>
      )}
      <button type="submit" className="danger" disabled={busy}>
        {submit}
      </button>
    </Form>
  )
  if (!open) return body
  return (
    <details className="confirm" open={mine || undefined}>
      <summary>{open}</summary>
      {body}
    </details>
  )
}

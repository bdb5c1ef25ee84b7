// Form fields: label, hint, error, aria-invalid and aria-describedby wired in one place
// (Conform's getInputProps and friends). A field takes Conform's metadata (useCarnetForm), or
// plainField(name, …) for a form that Conform does not manage (a GET filter, an older page).
import { getCollectionProps, getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react'
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'

// Conform's metadata, whatever the field's type in the schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldMeta = FieldMetadata<any, any, string[]>

/** Metadata for a field outside Conform: ids f-<name>, f-<name>-hint, f-<name>-error. */
export function plainField(name: string, options: { defaultValue?: string | null; error?: string | null; id?: string; required?: boolean } = {}): FieldMeta {
  const id = options.id ?? `f-${name}`
  return {
    id,
    name,
    errorId: `${id}-error`,
    descriptionId: `${id}-hint`,
    initialValue: options.defaultValue ?? undefined,
    errors: options.error ? [options.error] : undefined,
    valid: !options.error,
    required: options.required,
    key: undefined,
  } as unknown as FieldMeta
}

type Common = { meta: FieldMeta; label: ReactNode; hint?: ReactNode; className?: string }

function Frame({ meta, label, hint, className, children }: Common & { children: ReactNode }) {
  return (
    <div className={['field', meta.errors?.length ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={meta.id}>{label}</label>
      {hint && (
        <p className="hint" id={meta.descriptionId}>
          {hint}
        </p>
      )}
      {children}
      <FieldError meta={meta} />
    </div>
  )
}

function FieldError({ meta }: { meta: FieldMeta }) {
  if (!meta.errors?.length) return null
  return (
    <p className="error" id={meta.errorId} role="alert">
      {meta.errors.join(' ')}
    </p>
  )
}

export type InputType = 'text' | 'email' | 'password' | 'number' | 'date' | 'datetime-local' | 'search' | 'tel' | 'url' | 'file'

type InputAttrs = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'form' | 'defaultValue' | 'defaultChecked' | 'type'>

/** A text-like input (text, email, password, number, date…), or a file (its form posts multipart/form-data). */
export function Field({ meta, label, hint, className, type = 'text', ...rest }: Common & InputAttrs & { type?: InputType }) {
  return (
    <Frame meta={meta} label={label} hint={hint} className={className}>
      <input {...getInputProps(meta, { type, ariaDescribedBy: hint ? meta.descriptionId : undefined })} {...rest} key={meta.key} />
    </Frame>
  )
}

export function SelectField({ meta, label, hint, className, children, ...rest }: Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name' | 'form' | 'defaultValue'>) {
  return (
    <Frame meta={meta} label={label} hint={hint} className={className}>
      <select {...getSelectProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined })} {...rest} key={meta.key}>
        {children}
      </select>
    </Frame>
  )
}

export function TextareaField({ meta, label, hint, className, ...rest }: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'name' | 'form' | 'defaultValue'>) {
  return (
    <Frame meta={meta} label={label} hint={hint} className={className}>
      <textarea {...getTextareaProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined })} {...rest} key={meta.key} />
    </Frame>
  )
}

/** One choice among a few (radios) or several (checkboxes), in a fieldset with its legend. */
export function ChoiceField({
  meta,
  legend,
  hint,
  type = 'radio',
  options,
}: {
  meta: FieldMeta
  legend: ReactNode
  hint?: ReactNode
  type?: 'radio' | 'checkbox'
  options: { value: string; label: ReactNode; hint?: ReactNode }[]
}) {
  const byValue = new Map(options.map((o) => [o.value, o]))
  // Conform recomputes a field's state on every property read; getCollectionProps reads eight
  // of them per option (60 options on the class grid's publish form): read them once.
  const once = {
    key: meta.key,
    id: meta.id,
    name: meta.name,
    formId: meta.formId,
    required: meta.required,
    initialValue: meta.initialValue,
    errors: meta.errors,
    valid: meta.valid,
    errorId: meta.errorId,
  } as unknown as FieldMeta
  return (
    <fieldset className={`field choices${meta.errors?.length ? ' has-error' : ''}`}>
      <legend>{legend}</legend>
      {hint && (
        <p className="hint" id={meta.descriptionId}>
          {hint}
        </p>
      )}
      {getCollectionProps(once, { type, options: options.map((o) => o.value), ariaDescribedBy: hint ? meta.descriptionId : undefined }).map(({ key, ...props }) => {
        const option = byValue.get(props.value)!
        return (
          <label key={key} className="checkbox" htmlFor={props.id}>
            <input {...props} />
            <span>
              {option.label}
              {option.hint && <span className="choice-hint"> — {option.hint}</span>}
            </span>
          </label>
        )
      })}
      <FieldError meta={meta} />
    </fieldset>
  )
}

/** A single checkbox whose label says what ticking it means (an agreement, an option). */
export function CheckboxField({ meta, label, hint, value = 'on' }: { meta: FieldMeta; label: ReactNode; hint?: ReactNode; value?: string }) {
  return (
    <div className={`field${meta.errors?.length ? ' has-error' : ''}`}>
      <label className="checkbox" htmlFor={meta.id}>
        <input {...getInputProps(meta, { type: 'checkbox', value, ariaDescribedBy: hint ? meta.descriptionId : undefined })} key={meta.key} />
        <span>{label}</span>
      </label>
      {hint && (
        <p className="hint" id={meta.descriptionId}>
          {hint}
        </p>
      )}
      <FieldError meta={meta} />
    </div>
  )
}

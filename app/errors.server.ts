// Typed domain errors thrown by models; only routes turn them into responses.
// `code` is an i18n key (typed: a misspelt code fails `tsc`) so the user sees the reason in
// their language.
import type { MessageKey } from './i18n/keys'
import { checkName } from './names'

export class DomainError extends Error {
  constructor(
    readonly code: MessageKey,
    readonly vars: Record<string, string | number> = {},
    readonly status = 400,
  ) {
    super(code)
  }
}
export class NotFound extends DomainError {
  constructor(what: string) {
    super('error.not_found', { what }, 404)
  }
}
export class Conflict extends DomainError {
  constructor(code: MessageKey, vars: Record<string, string | number> = {}) {
    super(code, vars, 409)
  }
}
export class Invalid extends DomainError {
  constructor(code: MessageKey, vars: Record<string, string | number> = {}) {
    super(code, vars, 400)
  }
}

/** A request body larger than the route accepts, found on the bytes actually read (HTTP 413). */
export class PayloadTooLarge extends DomainError {
  constructor(readonly maxBytes: number) {
    super('upload.too_big', { mb: Math.max(1, Math.round(maxBytes / 1024 / 1024)) }, 413)
  }
}

/** A typed error as the HTTP response a loader throws (`.catch(notFound)`): 404, or its status. */
export function notFound(e: unknown): never {
  if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
  if (e instanceof DomainError) throw new Response(e.code, { status: e.status })
  throw e
}

/** A person's name from a form, a file or an API: normalised (app/names.ts), or Invalid saying why. */
export function validName(raw: string | null | undefined, requiredKey: MessageKey, max?: number): string {
  const checked = checkName(raw, requiredKey, max)
  if (!checked.ok) throw new Invalid(checked.key, checked.vars)
  return checked.name
}

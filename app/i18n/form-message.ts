// A form schema's messages are i18n keys, so one schema serves the server and the browser and
// each user reads the error in their own language. A key that needs values carries them:
// msg('retention.support.hours_invalid', { max: 72 }) → 'retention.support.hours_invalid?max=72'.
import { isMessageKey, t, type Lang, type MessageKey, type Vars } from './index'

/**
 * The message for a hidden id that matches nothing any more (a stale or forged form): the form
 * helper says it for the whole form, since nobody sees the hidden field. z.uuid({ error: STALE })
 */
export const STALE = 'form.stale' satisfies MessageKey

/** An i18n key (with its values) to put in a Zod schema as an error message. */
export function msg(key: MessageKey, vars?: Vars): string {
  if (!vars) return key
  return `${key}?${new URLSearchParams(Object.entries(vars).map(([k, v]) => [k, String(v)]))}`
}

/** A schema message in the user's language; Zod's own (English) messages read as "invalid value". */
export function formMessage(lang: Lang, message: string): string {
  const [key = '', query] = message.split('?', 2)
  if (!isMessageKey(key)) return t(lang, 'form.invalid_field')
  return t(lang, key, query ? Object.fromEntries(new URLSearchParams(query)) : {})
}

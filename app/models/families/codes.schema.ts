// The forms about a link code (the letter's or the emailed one), shared by /link (in the browser
// and on the server) and the model, which checks the same again. Messages are i18n keys.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { LEGAL_STATUS_OPTIONS } from './constants'

const code = z.string().max(40).optional()

/** "Yes, this is my child": who I am to them, and the Terms and privacy policy accepted. */
export const confirmLinkSchema = z.object({
  code,
  legalStatus: z.enum(LEGAL_STATUS_OPTIONS, { error: 'families.link.status_required' }),
  acceptTerms: z.literal('on', { error: 'families.link.accept_required' }),
})

/** "This is not my child": the code is cancelled and the school alerted. */
export const notMyChildSchema = z.object({ code })

/** The school marks a "not my child" alert as handled. */
export const resolveAlertSchema = z.object({ alertId: z.uuid({ error: STALE }) })

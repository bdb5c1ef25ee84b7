// The support-access forms' fields, for the browser and the server: the same limits as
// grantSupport (a stated reason, 1 to 72 hours), said on the field that is wrong.
import { z } from 'zod'
import { msg, STALE } from '../../i18n/form-message'

export const MAX_SUPPORT_HOURS = 72

const hoursInvalid = msg('retention.support.hours_invalid', { max: MAX_SUPPORT_HOURS })

export const grantSupportSchema = z.object({
  reason: z.string({ error: 'retention.support.reason_required' }).trim().min(5, 'retention.support.reason_required'),
  hours: z.number({ error: hoursInvalid }).int(hoursInvalid).min(1, hoursInvalid).max(MAX_SUPPORT_HOURS, hoursInvalid),
})

export const revokeSupportSchema = z.object({ grantId: z.uuid({ error: STALE }) })

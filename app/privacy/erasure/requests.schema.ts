// The deletion forms' fields, for the browser and the server: the word typed to confirm an
// account deletion (either language's), and which open request a cancellation is about.
import { z } from 'zod'
import { msg, STALE } from '../../i18n/form-message'

export const DELETE_WORDS = ['SUPPRIMER', 'DELETE'] as const

export const requestDeletionSchema = z.object({
  confirm: z
    .string({ error: 'retention.privacy.confirm_required' })
    .trim()
    .refine((w) => (DELETE_WORDS as readonly string[]).includes(w), 'retention.privacy.confirm_required'),
})

export const cancelDeletionSchema = z.object({ requestId: z.uuid({ error: STALE }) })

/** Deleting one's own account: the account's email address typed again (the server compares it). */
export const deleteOwnAccountSchema = z.object({
  confirm: z.string({ error: 'retention.account.confirm_mismatch' }).trim().min(1, 'retention.account.confirm_mismatch'),
})

/** The longest grace period an organization may set before a deletion runs (hours). */
export const MAX_GRACE_HOURS = 23

const graceInvalid = msg('retention.grace.invalid', { max: MAX_GRACE_HOURS })

/** An organization's grace period: 0 (none) to MAX_GRACE_HOURS whole hours. */
export const graceHoursSchema = z.object({ hours: z.number({ error: graceInvalid }).int(graceInvalid).min(0, graceInvalid).max(MAX_GRACE_HOURS, graceInvalid) })

/** A proof-of-erasure notice dismissed by its addressee. */
export const dismissNoticeSchema = z.object({ noticeId: z.uuid({ error: STALE }) })

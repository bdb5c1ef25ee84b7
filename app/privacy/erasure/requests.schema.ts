// The deletion forms' fields, for the browser and the server: the word typed to confirm an
// account deletion (either language's), and which open request a cancellation is about.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

export const DELETE_WORDS = ['SUPPRIMER', 'DELETE'] as const

export const requestDeletionSchema = z.object({
  confirm: z
    .string({ error: 'retention.privacy.confirm_required' })
    .trim()
    .refine((w) => (DELETE_WORDS as readonly string[]).includes(w), 'retention.privacy.confirm_required'),
})

export const cancelDeletionSchema = z.object({ requestId: z.uuid({ error: STALE }) })

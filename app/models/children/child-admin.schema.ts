// The forms of a child's page for the staff, shared by the page (in the browser and on the
// server) and the model, which checks the rules again. Messages are i18n keys.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

/** A username and a password the teacher writes down for the child. */
export const childCredentialsSchema = z.object({
  username: z.string({ error: 'children.username_invalid' }).trim().min(1, 'children.username_invalid'),
  password: z.string().min(1),
})

/** Which of the child's sessions to end (the start of its id, as listed). */
export const childSessionRefSchema = z.object({ ref: z.string({ error: STALE }).min(16, STALE).max(128, STALE) })

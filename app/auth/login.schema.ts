// The password forms of a person who signs in (login) or unlocks a locked session, for the
// browser and the server. Messages are i18n keys (app/i18n/form-message.ts). Whether the
// password is right is the model's answer, never the schema's.
import { z } from 'zod'

export const loginSchema = z.object({
  identifier: z.string({ error: 'login.identifier_required' }),
  password: z.string({ error: 'login.password_required' }),
  /** Where to go once signed in (checked by safeNext). */
  next: z.string().optional(),
})

export const unlockSchema = z.object({
  password: z.string({ error: 'login.password_required' }),
  next: z.string().optional(),
})

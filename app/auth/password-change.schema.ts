// The change-password form's fields, for the browser and the server. The password policy itself
// (length, common words, the person's names) stays in the model, which knows the person.
import { z } from 'zod'

export const changePasswordSchema = z.object({
  current: z.string({ error: 'account.wrong_password' }),
  next: z.string({ error: 'password.too_short' }),
})

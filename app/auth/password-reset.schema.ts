// The forgotten-password forms: ask for a link, then choose a new password. The password policy
// (length, common words) stays in the model, which answers on the password field.
import { z } from 'zod'

export const forgotPasswordSchema = z.object({
  email: z.string({ error: 'signup.email_invalid' }).trim().toLowerCase().email('signup.email_invalid').max(254, 'signup.email_invalid'),
})

export const resetPasswordSchema = z.object({
  password: z.string({ error: 'password.too_short' }),
})

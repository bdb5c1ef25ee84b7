// The form of a guardian who creates an account from /link, shared by the page (in the browser
// and on the server) and signUpGuardian. Messages are i18n keys (app/i18n/form-message.ts).
import { z } from 'zod'
import { nameField } from '../../names'

export const guardianSignupSchema = z.object({
  firstName: nameField('signup.first_name_required'),
  lastName: nameField('signup.last_name_required'),
  email: z.string({ error: 'signup.email_invalid' }).trim().toLowerCase().email('signup.email_invalid').max(254, 'signup.email_invalid'),
  password: z.string(),
})

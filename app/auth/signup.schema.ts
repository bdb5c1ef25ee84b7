// The sign-up form's fields, for the browser and the server (app/auth/signup.server.ts creates
// the space). The password policy stays in the model, which knows the person's names.
import { z } from 'zod'
import { nameField } from '../names'

export const ORG_KINDS = ['school', 'family', 'practice'] as const

export const signupSchema = z.object({
  orgKind: z.enum(ORG_KINDS, { error: 'signup.org_kind_required' }),
  orgName: nameField('signup.org_name_required', { min: 2, max: 120 }),
  // A school's town and official code (UAI in France): how families find it to exercise their rights.
  orgCity: z
    .string()
    .trim()
    .max(80, 'signup.org_city_invalid')
    .optional()
    .transform((v) => v || null),
  orgCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z0-9-]{4,20})?$/, 'signup.org_code_invalid')
    .optional()
    .transform((v) => v || null),
  firstName: nameField('signup.first_name_required'),
  lastName: nameField('signup.last_name_required'),
  email: z.string({ error: 'signup.email_invalid' }).trim().toLowerCase().email('signup.email_invalid').max(254, 'signup.email_invalid'),
  password: z.string({ error: 'password.too_short' }),
  acceptTerms: z.literal('on', { message: 'signup.accept_required' }),
})
export type SignupInput = z.infer<typeof signupSchema>

// The invitation forms' fields, shared by the administrator's page (in the browser and on the
// server) and the model. Messages are i18n keys (app/i18n/form-message.ts).
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { nameField } from '../../names'

export const STAFF_INVITE_ROLES = ['teacher', 'admin', 'dpo'] as const
export type StaffInviteRole = (typeof STAFF_INVITE_ROLES)[number]

export const inviteSchema = z.object({
  email: z.string({ error: 'staff.invite_email_invalid' }).trim().toLowerCase().email('staff.invite_email_invalid').max(254, 'staff.invite_email_invalid'),
  role: z.enum(STAFF_INVITE_ROLES, { message: 'staff.invite_role_required' }),
})

/** Which invitation a re-send or a revocation is about. */
export const invitationRefSchema = z.object({ invitationId: z.uuid({ error: STALE }) })

/** The box that accepts the Terms and the privacy policy when joining from an invitation. */
export const acceptTermsField = z.literal('on', { error: 'signup.accept_required' })

/** Someone already signed in accepts the invitation. */
export const acceptInvitationSchema = z.object({ acceptTerms: acceptTermsField })

/** Someone without an account creates it from an invitation (the address is the invitation's). */
export const inviteeSignupSchema = z.object({
  firstName: nameField('signup.first_name_required'),
  lastName: nameField('signup.last_name_required'),
  password: z.string(),
  acceptTerms: acceptTermsField,
})

// The invitation forms' fields, shared by the administrator's page (in the browser and on the
// server) and the model. Messages are i18n keys (app/i18n/form-message.ts).
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

export const STAFF_INVITE_ROLES = ['teacher', 'admin', 'dpo'] as const
export type StaffInviteRole = (typeof STAFF_INVITE_ROLES)[number]

export const inviteSchema = z.object({
  email: z.string({ error: 'staff.invite_email_invalid' }).trim().toLowerCase().email('staff.invite_email_invalid').max(254, 'staff.invite_email_invalid'),
  role: z.enum(STAFF_INVITE_ROLES, { message: 'staff.invite_role_required' }),
})

/** Which invitation a re-send or a revocation is about. */
export const invitationRefSchema = z.object({ invitationId: z.uuid({ error: STALE }) })

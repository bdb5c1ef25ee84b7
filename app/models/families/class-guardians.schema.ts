// The forms of a class's families page (the school side of guardian links): invitations, link
// suspension, correction and end, and, through codes.schema.ts, "not my child" alerts. For the browser and the server; the
// links model checks again what only it can (states, dates). Messages are i18n keys.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { LEGAL_STATUS_OPTIONS } from './constants'

const ref = z.uuid({ error: STALE })
/** Which child's card the form sits in: the answer is shown there. */
const about = { childId: ref.optional() }
/** A ticked box ('on'), or none. */
const box = z
  .literal('on')
  .optional()
  .transform((v) => v === 'on')

export const sendInvitationSchema = z.object({ invitationId: ref, ...about })
export const inviteByEmailSchema = z.object({
  childId: ref,
  email: z.string({ error: 'families.invite.email_invalid' }).trim().toLowerCase().email('families.invite.email_invalid').max(254, 'families.invite.email_invalid'),
})
export const linkRefSchema = z.object({ linkId: ref, ...about })
/** Ending a link cannot be undone: the ConfirmForm's ticked box. */
export const endLinkSchema = linkRefSchema.extend({ confirm: z.literal('yes', { error: 'ui.confirm.required' }) })
export const suspendLinkSchema = linkRefSchema.extend({
  reason: z.string({ error: 'families.link.reason_required' }).trim().min(3, 'families.link.reason_required').max(500, 'families.link.reason_too_long'),
})
export const updateLinkSchema = linkRefSchema.extend({
  legalStatus: z.enum(LEGAL_STATUS_OPTIONS, { error: STALE }),
  canSeeRecord: box,
  canReceiveMessages: box,
  canGiveConsent: box,
  startedOn: z.string().optional(),
  endsOn: z.string().optional(),
})

// The family space's forms, shared by the page (in the browser and on the server) and the
// family model, which checks the same again. Messages are i18n keys (app/i18n/form-message.ts).
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { nameField } from '../../names'

/** A child the parents add to their family space. */
export const familyChildSchema = z.object({
  firstName: nameField('families.child.first_name_required'),
  lastName: nameField('families.child.last_name_required'),
  birthDate: z.string({ error: 'families.child.birth_date_invalid' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'families.child.birth_date_invalid'),
})

/** Which child of the family a form is about (consent, its withdrawal, the login card). */
export const familyChildRefSchema = z.object({ childId: z.uuid({ error: STALE }) })

/** Parental consent: explicit, so the box is never ticked in advance and must be ticked. */
export const parentalConsentSchema = familyChildRefSchema.extend({ consent: z.literal('on', { error: 'families.consent.tick_required' }) })

/** A second parent invited to the family space. */
export const familyInviteSchema = z.object({
  email: z
    .string({ error: 'families.invite.email_invalid' })
    .trim()
    .toLowerCase()
    .max(254, 'families.invite.email_invalid')
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'families.invite.email_invalid'),
})

/** Which pending invitation a revocation is about. */
export const familyInvitationRefSchema = z.object({ invitationId: z.uuid({ error: STALE }) })

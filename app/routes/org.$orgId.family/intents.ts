// The family space's forms as one discriminated union of intents (route.tsx reads it with
// readForm, the parts with useCarnetForm).
import { z } from 'zod'
import { familyChildRefSchema, familyChildSchema, familyInvitationRefSchema, familyInviteSchema, parentalConsentSchema } from '~/models/families/family.schema'

export const schema = z.discriminatedUnion('intent', [
  familyChildSchema.extend({ intent: z.literal('add-child') }),
  parentalConsentSchema.extend({ intent: z.literal('consent') }),
  familyChildRefSchema.extend({ intent: z.literal('withdraw-consent') }),
  familyChildRefSchema.extend({ intent: z.literal('card') }),
  familyInviteSchema.extend({ intent: z.literal('invite') }),
  familyInvitationRefSchema.extend({ intent: z.literal('revoke-invite') }),
])

/** The forms about one child: their answer is shown in that child's card. */
export const CHILD_INTENTS = ['consent', 'withdraw-consent', 'card']

/** A login card shown after the 'card' form: the QR code and the codes to type. */
export type LoginCard = { childId: string; firstName: string; code: string; url: string; qr: { viewBox: number; d: string } }

// The class families page's forms, one discriminated union of their intents (docs/ui-and-forms.md).
import { z } from 'zod'
import { endLinkSchema, inviteByEmailSchema, linkRefSchema, sendInvitationSchema, suspendLinkSchema, updateLinkSchema } from '~/models/families/class-guardians.schema'
import { resolveAlertSchema } from '~/models/families/codes.schema'

export const guardiansPageSchema = z.discriminatedUnion('intent', [
  sendInvitationSchema.extend({ intent: z.literal('send-invitation') }),
  z.object({ intent: z.literal('send-all') }),
  inviteByEmailSchema.extend({ intent: z.literal('invite-email') }),
  suspendLinkSchema.extend({ intent: z.literal('suspend') }),
  linkRefSchema.extend({ intent: z.literal('resume') }),
  endLinkSchema.extend({ intent: z.literal('end') }),
  updateLinkSchema.extend({ intent: z.literal('update') }),
  resolveAlertSchema.extend({ intent: z.literal('resolve-alert') }),
])

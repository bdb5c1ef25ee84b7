// The request page's intents, one discriminated union (each form sends its intent), composed
// from the schemas next to the use case. Shared by the route's action and the page's forms.
import { z } from 'zod'
import { confirmed } from '~/ui/kit'
import { appointeeSchema, directiveSchema, executeSchema } from '~/privacy/rights-requests/post-mortem.schema'
import { closeSchema, extendSchema, identitySchema, instructionSchema, noteSchema, objectionSchema, rectifySchema, restrictSchema, subjectSchema } from '~/privacy/rights-requests/handling.schema'

export const schema = z.discriminatedUnion('intent', [
  identitySchema.extend({ intent: z.literal('identity') }),
  subjectSchema.extend({ intent: z.literal('subject') }),
  extendSchema.extend({ intent: z.literal('extend') }),
  rectifySchema.extend({ intent: z.literal('rectify') }),
  restrictSchema.extend({ intent: z.literal('restrict') }),
  z.object({ intent: z.literal('lift') }),
  objectionSchema.extend({ intent: z.literal('objection') }),
  // Irreversible: the ConfirmForm's ticked box (the server refuses the step without it).
  z.object({ intent: z.literal('erasure'), confirm: confirmed }),
  z.object({ intent: z.literal('release'), confirm: confirmed }),
  instructionSchema.extend({ intent: z.literal('instruction') }),
  noteSchema.extend({ intent: z.literal('note') }),
  closeSchema.extend({ intent: z.literal('close'), confirm: confirmed }),
  // A post-mortem directive: record it, verify the appointed person, carry it out (confirmed).
  directiveSchema.extend({ intent: z.literal('directive') }),
  appointeeSchema.extend({ intent: z.literal('appointee') }),
  executeSchema.extend({ intent: z.literal('execute') }),
])

export type Intent = z.infer<typeof schema>['intent']

import { z } from 'zod'
import { cancelDeletionSchema, graceHoursSchema, requestDeletionSchema } from '~/privacy/erasure/requests.schema'
import { legalBasisSchema } from '~/privacy/records/records.schema'

// The page's forms: cancel a deletion under way, set the grace period, declare the legal basis,
// or ask for the whole organization's deletion (a typed word).
export const schema = z.discriminatedUnion('intent', [
  cancelDeletionSchema.extend({ intent: z.literal('cancel') }),
  graceHoursSchema.extend({ intent: z.literal('grace') }),
  legalBasisSchema.extend({ intent: z.literal('basis') }),
  requestDeletionSchema.extend({ intent: z.literal('delete-org') }),
])

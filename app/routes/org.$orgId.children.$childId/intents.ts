// A child's page (staff): its forms as one discriminated union of intents.
import { z } from 'zod'
import { childCredentialsSchema, childSessionRefSchema } from '~/models/children/child-admin.schema'

export const schema = z.discriminatedUnion('intent', [childSessionRefSchema.extend({ intent: z.literal('end-session') }), childCredentialsSchema.extend({ intent: z.literal('credentials') })])

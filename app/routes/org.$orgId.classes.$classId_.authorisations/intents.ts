// The class's information and authorisation forms as one discriminated union of intents.
import { z } from 'zod'
import { authorisationDecisionSchema, guardiansInformedSchema } from '~/models/families/authorisations.schema'

export const schema = z.discriminatedUnion('intent', [guardiansInformedSchema.extend({ intent: z.literal('informed') }), authorisationDecisionSchema.extend({ intent: z.literal('decision') })])

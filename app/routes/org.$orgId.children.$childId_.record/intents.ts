// A child's record: publish or withdraw the ticked items (one form, two buttons).
import { z } from 'zod'
import { publishItemsSchema } from '~/models/learning/publish.schema'

export const schema = z.discriminatedUnion('intent', [publishItemsSchema.extend({ intent: z.literal('publish') }), publishItemsSchema.extend({ intent: z.literal('unpublish') })])

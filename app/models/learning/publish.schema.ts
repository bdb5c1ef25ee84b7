// Publishing a child's results and observations to the families, from the child's record: the
// items ticked and, when given, the day they become visible. Shared by the page (in the browser
// and on the server) and the model, which checks the date again. Messages are i18n keys.
import { z } from 'zod'

export const publishItemsSchema = z.object({
  resultId: z.array(z.string().max(64)).default([]),
  observationId: z.array(z.string().max(64)).default([]),
  releaseOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'learning.publish.release_invalid')
    .optional(),
})

// The operator's dead-letter actions (send again, discard), for the browser and the server.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

export const deadLetterSchema = z.object({ mailId: z.uuid({ error: STALE }) })

// An organization objects to an announced sub-processor change (DPA §8): which change, and the
// ticked box (an objection cannot be withdrawn), for the browser and the server. objectToChange
// checks that it is this organization's and still open.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

export const objectionSchema = z.object({ changeId: z.uuid({ error: STALE }), confirm: z.literal('yes', { error: 'ui.confirm.required' }) })

// The devices page's forms, for the browser and the server: end one other session (named by the
// short prefix of its id the page shows), or every session but this one.
import { z } from 'zod'
import { STALE } from '../i18n/form-message'

export const revokeDeviceSchema = z.object({ ref: z.string({ error: STALE }).regex(/^[0-9a-f]{16,64}$/, STALE) })

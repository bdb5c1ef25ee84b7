// The guardian link forms' fields, shared by the pages (in the browser and on the server) and
// the model. Messages are i18n keys (app/i18n/form-message.ts).
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

/** A guardian ends their own link to a child in one organization: the box must be ticked. */
export const removeOwnLinkSchema = z.object({
  orgId: z.uuid({ error: STALE }),
  linkId: z.uuid({ error: STALE }),
  confirm: z.literal('on', { error: 'families.guardian.remove_confirm_required' }),
})

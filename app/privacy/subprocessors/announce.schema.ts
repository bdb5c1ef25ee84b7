// The operator's announcement form (a sub-processor added or replaced), for the browser and the
// server. announceChange checks the same again, and that a replacement names what it replaces.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

const required = z.string({ error: 'form.required' }).trim().min(1, 'form.required')

export const announceSchema = z.object({
  kind: z.enum(['addition', 'replacement']),
  replacesId: z.uuid({ error: STALE }).optional(),
  name: required,
  registrationNumber: required,
  activity: required,
  transfer: z.enum(['yes', 'no']).default('no'),
  contract: z.string().trim().optional(),
  description: required,
})

// The DPO's forms for a post-mortem directive (terms §8: retention, erasure or disclosure after
// death, and the person appointed to carry it out), for the browser and the server:
// record it, verify the appointed person, execute it (irreversible: the ticked box).
// post-mortem.server.ts checks the same again, and the order of the steps.
import { z } from 'zod'
import { IDENTITY_METHODS, POST_MORTEM_DIRECTIVES } from './constants'

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || null)

export const directiveSchema = z.object({
  directive: z.enum(POST_MORTEM_DIRECTIVES, { error: 'dsr.post_mortem.directive_required' }),
  instructions: optionalText(4000),
  appointedName: z.string({ error: 'dsr.post_mortem.name_required' }).trim().min(2, 'dsr.post_mortem.name_required').max(200, 'dsr.post_mortem.name_required'),
  appointedContact: z.string({ error: 'dsr.post_mortem.contact_required' }).trim().min(5, 'dsr.post_mortem.contact_required').max(300, 'dsr.post_mortem.contact_required'),
})

export const appointeeSchema = z.object({
  method: z.enum(IDENTITY_METHODS, { error: 'dsr.identity.method_required' }),
  verifiedOn: z
    .string({ error: 'dsr.post_mortem.date_invalid' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'dsr.post_mortem.date_invalid'),
  note: optionalText(1000),
})

export const executeSchema = z.object({
  note: optionalText(4000),
  /** A disclosure handed over inside Carnet (the access package's expiring link to the requester). */
  release: z
    .literal('yes')
    .optional()
    .transform((v) => v === 'yes'),
  confirm: z.literal('yes', { error: 'ui.confirm.required' }),
})

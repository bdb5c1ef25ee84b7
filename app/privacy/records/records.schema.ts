// The legal basis an organization declares for its records of processing, for the browser and
// the server.
import { z } from 'zod'
import { LEGAL_BASES } from './constants'

export const legalBasisSchema = z.object({ legalBasis: z.enum(LEGAL_BASES, { error: 'form.invalid_field' }) })

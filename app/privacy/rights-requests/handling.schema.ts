// The DPO's forms on one rights request, for the browser and the server: identity checked,
// subject named, deadline extended, rectification, restriction, objection, erasure, written
// instruction, notes, closing. handling.server.ts checks the same again, and what depends on the
// request's state (identity first, once only, not after closing).
import { z } from 'zod'
import { OBJECTION_PROCESSING } from '../../compliance/objection-kinds'
import { optionalNameField } from '../../names'
import { DSR_OUTCOMES, IDENTITY_METHODS } from './constants'

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || null)

export const identitySchema = z.object({ method: z.enum(IDENTITY_METHODS, { error: 'dsr.identity.method_required' }), note: optionalText(1000) })

export const subjectSchema = z.object({ subjectId: z.uuid({ error: 'dsr.subject.not_member' }) })

export const extendSchema = z.object({
  months: z.enum(['1', '2'], { error: 'form.invalid_field' }).transform(Number),
  reason: z.string({ error: 'dsr.extend.reason_required' }).trim().min(10, 'dsr.extend.reason_required').max(2000),
})

export const rectifySchema = z.object({
  firstName: optionalNameField(),
  lastName: optionalNameField(),
  birthDate: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'dsr.form.birth_date_invalid')
    .optional()
    .transform((v) => v || null),
})

export const restrictSchema = z.object({ reason: optionalText(1000) })

export const objectionSchema = z.object({ processing: z.enum(OBJECTION_PROCESSING, { error: 'dsr.objection.processing_required' }), note: optionalText(1000) })

export const instructionSchema = z.object({ reference: z.string({ error: 'dsr.instruction.reference_required' }).trim().min(3, 'dsr.instruction.reference_required').max(200) })

export const noteSchema = z.object({ note: z.string({ error: 'dsr.note.required' }).trim().min(1, 'dsr.note.required').max(4000) })

export const closeSchema = z.object({ outcome: z.enum(DSR_OUTCOMES, { error: 'dsr.close.outcome_required' }), note: optionalText(4000) })

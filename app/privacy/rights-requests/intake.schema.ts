// The rights-request forms, for the browser and the server: the public form (no account), the
// signed-in form, the emailed code, and the operator's log of a request received by post or
// email. The intake functions check again what only the server knows (the school, the person).
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { nameField, optionalNameField } from '../../names'
import { DSR_KINDS } from './constants'

/** Who files: a guardian for a child, the person themself, or their representative. */
export const REQUESTER_RELATIONS = ['guardian', 'self', 'representative'] as const

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || null)

const requester = {
  kind: z.enum(DSR_KINDS, { message: 'dsr.form.kind_required' }),
  relation: z.enum(REQUESTER_RELATIONS, { message: 'dsr.form.relation_required' }),
  requesterName: nameField('dsr.form.name_required', { min: 2, max: 120 }),
  requesterEmail: z.string({ error: 'dsr.form.email_invalid' }).trim().toLowerCase().email('dsr.form.email_invalid').max(254, 'dsr.form.email_invalid'),
  subjectFirstName: optionalNameField(),
  subjectLastName: optionalNameField(),
  subjectBirthDate: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'dsr.form.birth_date_invalid')
    .optional()
    .transform((v) => v || null),
  message: optionalText(4000),
}

/** The public form: the request counts once the emailed code is typed. */
export const publicRequestSchema = z.object({ orgId: z.uuid('dsr.form.school_pick'), ...requester })

/** The operator logs a request received by email or post; its 48 hours run from when it arrived. */
export const operatorLogSchema = z.object({
  orgId: z.uuid('dsr.form.school_required'),
  via: z.enum(['email', 'post'], { message: 'dsr.operator.via_required' }),
  receivedAt: z.string({ error: 'dsr.operator.date_required' }).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'dsr.operator.date_required'),
  ...requester,
})

/** Signed in: about whom (organization:person, among those the page offers), which right. */
export const inAppRequestSchema = z.object({
  subject: z.string({ message: 'dsr.form.subject_pick' }).regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/i, 'dsr.form.subject_pick'),
  kind: z.enum(DSR_KINDS, { message: 'dsr.form.kind_required' }),
  message: optionalText(4000),
})

/** The code emailed to the requester (verifyRequestEmail counts the wrong ones). */
export const verifyCodeSchema = z.object({ code: z.string({ error: 'dsr.verify.code_required' }).trim().min(1, 'dsr.verify.code_required').max(20, 'dsr.verify.code_required') })

/** The operator's answer to a request, allowed once the school recorded a written instruction. */
export const operatorAnswerSchema = z.object({ requestId: z.uuid({ error: STALE }), note: z.string({ error: 'dsr.note.required' }).trim().min(1, 'dsr.note.required') })

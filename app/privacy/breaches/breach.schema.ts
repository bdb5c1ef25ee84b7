// The breach forms (DPA §10.2, GDPR Art. 33), for the browser and the server: the operator
// records a breach and adds information in phases; the controller records its own steps.
// Dates are datetime-local values (Paris wall clock); recordBreach and recordControllerSteps
// check again what needs the clock (not in the future).
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { SUBJECTS_INFORMED } from './constants'

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/
const text = z.string({ error: 'form.required' }).trim().min(1, 'form.required').max(4000)
const approx = z.number({ error: 'retention.breach.number_invalid' }).int('retention.breach.number_invalid').min(0, 'retention.breach.number_invalid').optional()
const optionalLocal = z
  .string()
  .regex(LOCAL_DATE_TIME, 'retention.breach.date_invalid')
  .optional()
  .transform((v) => v ?? null)

/** The operator records a breach and notifies the organizations ticked. */
export const recordBreachSchema = z.object({
  nature: text,
  detectedAt: z.string({ error: 'retention.breach.detected_invalid' }).regex(LOCAL_DATE_TIME, 'retention.breach.detected_invalid'),
  subjectCategories: text,
  approxSubjects: approx,
  recordCategories: text,
  approxRecords: approx,
  consequences: text,
  measures: text,
  orgIds: z.array(z.uuid({ error: STALE }), { error: 'retention.breach.orgs_required' }).min(1, 'retention.breach.orgs_required'),
})

/** Information added to a breach, by the operator or by the organization (its own phase). */
export const breachInfoSchema = z.object({ text: z.string({ error: 'retention.breach.text_required' }).trim().min(1, 'retention.breach.text_required').max(4000) })

/** The operator's form names the breach. */
export const operatorBreachInfoSchema = breachInfoSchema.extend({ breachId: z.uuid({ error: STALE }) })

/** The controller's own steps: the authority notified (when, its reference), the people informed. */
export const controllerStepsSchema = z.object({
  notifiedAt: optionalLocal,
  reference: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || null),
  subjectsInformed: z
    .enum(SUBJECTS_INFORMED, { error: 'form.invalid_field' })
    .optional()
    .transform((v) => v ?? null),
  subjectsInformedAt: optionalLocal,
})

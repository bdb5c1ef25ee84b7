// The new-activity form (a quiz with its questions, or an observation), for the browser and the
// server. Each question is checked by the model (validateQuestions), which says which question
// is wrong; the schema only reads what was typed. Messages are i18n keys.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

export const ACTIVITY_KINDS = ['quiz', 'observation'] as const
export const TITLE_MAX = 120
export const INSTRUCTIONS_MAX = 1000
export const QUESTION_MAX = 500
export const CHOICE_MAX = 200

/** One question as typed: its text, its choices (blanks keep their place), the right one, a picture. */
const questionSchema = z.object({
  text: z.string().optional(),
  choices: z.array(z.string().optional()).default([]),
  correct: z.coerce.number().int().optional(),
  picture: z.instanceof(File).optional(),
})

export const newActivitySchema = z.object({
  kind: z.enum(ACTIVITY_KINDS, { error: STALE }),
  title: z.string({ error: 'learning.activity.title_required' }).trim().min(1, 'learning.activity.title_required').max(TITLE_MAX, 'learning.activity.title_required'),
  instructions: z.string().max(INSTRUCTIONS_MAX, 'learning.activity.instructions_too_long').optional(),
  groupId: z.uuid({ error: STALE }).optional(),
  skillId: z.array(z.uuid({ error: STALE })).default([]),
  questions: z.array(questionSchema).default([]),
})

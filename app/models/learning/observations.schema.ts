// The observation form: one skill, one day, and per child a level and a note — or the same level
// for the ticked children. For the browser and the server; the model checks the skill, the day
// and the children against the class. Messages are i18n keys.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { LEVEL_VALUES } from './constants'

export const NOTE_MAX = 2000

export const observeSchema = z.object({
  activityId: z.uuid({ error: STALE }).optional(),
  skillId: z.uuid({ error: 'learning.observe.skill_required' }),
  observedOn: z.string({ error: 'learning.observe.date_invalid' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'learning.observe.date_invalid'),
  bulkLevel: z.enum(LEVEL_VALUES, { error: STALE }).optional(),
  bulkNote: z.string().max(NOTE_MAX, 'learning.observe.note_too_long').optional(),
  /** The ticked children (for the level above). */
  pick: z.array(z.uuid({ error: STALE })).default([]),
  /** Per child (by id): the level chosen on their row, if any, and their note. */
  level: z.record(z.string(), z.string().optional()).default({}),
  note: z.record(z.string(), z.string().max(NOTE_MAX, 'learning.observe.note_too_long').optional()).default({}),
})

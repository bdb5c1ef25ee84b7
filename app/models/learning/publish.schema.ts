// Publishing results and observations to the families — from a child's record, an activity's
// page or the class grid: the items or activities ticked and, when given, the day they become
// visible. Shared by the pages (in the browser and on the server) and the model, which checks
// the date again. Messages are i18n keys.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'

/** The day the items become visible (the model opens it at 7:00, Paris time); none: now. */
export const releaseOnSchema = z.object({
  releaseOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'learning.publish.release_invalid')
    .optional(),
})

/** The ticked rows: results and observations by id (none ticked is an empty list). */
export const publishItemsSchema = releaseOnSchema.extend({
  resultId: z.array(z.string().max(64)).default([]),
  observationId: z.array(z.string().max(64)).default([]),
})

/** The activities ticked on the class grid (none ticked is an empty list). */
export const publishActivitiesSchema = releaseOnSchema.extend({
  activityId: z.array(z.uuid({ error: STALE })).default([]),
})

/** Deleting an activity: the ticked box (ConfirmForm). */
export const deleteActivitySchema = z.object({ confirm: z.literal('yes', { error: 'learning.activity.delete_confirm_required' }) })

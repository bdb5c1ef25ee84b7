// The class forms' fields (create, edit, teachers, groups), for the browser and the server.
// The model checks again what only it can (the year's two halves, a free name, a teacher of
// this school). Messages are i18n keys (app/i18n/form-message.ts).
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { CLASS_NAME_MAX } from '../../names'

export const LEVEL_MAX = 30

export const classFieldsSchema = z.object({
  name: z.string({ message: 'classes.name_required' }).trim().min(1, 'classes.name_required').max(CLASS_NAME_MAX, 'classes.name_too_long'),
  level: z.string().trim().max(LEVEL_MAX, 'classes.level_too_long').optional(),
  schoolYear: z
    .string({ message: 'classes.school_year_invalid' })
    .trim()
    .regex(/^\d{4}-\d{4}$/, 'classes.school_year_invalid'),
})

export const createClassSchema = classFieldsSchema.extend({
  leadTeacherId: z.uuid({ error: 'classes.teacher_unknown' }).optional(),
})

/** Deleting a class: the ticked box (ConfirmForm). */
export const deleteClassSchema = z.object({ confirm: z.literal('yes', { error: 'classes.delete_confirm_required' }) })

export const TEACHER_ROLES = ['lead', 'co'] as const
export const assignTeacherSchema = z.object({
  userId: z.uuid({ error: STALE }),
  role: z.enum(TEACHER_ROLES, { error: 'classes.teacher_unknown' }),
})
export const teacherRefSchema = z.object({ userId: z.uuid({ error: STALE }) })

export const groupNameSchema = z.object({ name: z.string({ error: 'classes.group_name_required' }).trim().min(1, 'classes.group_name_required') })
export const groupRefSchema = z.object({ groupId: z.uuid({ error: STALE }) })
/** A child's group; none (empty) takes the child out of every group. */
export const childGroupSchema = z.object({ childId: z.uuid({ error: STALE }), groupId: z.uuid({ error: STALE }).optional() })

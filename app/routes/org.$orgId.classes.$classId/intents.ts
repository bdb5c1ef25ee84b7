// The class page's forms, one discriminated union of their intents (docs/ui-and-forms.md),
// shared by the route's action and the page's parts. Fields come from the class model's schemas.
import { z } from 'zod'
import { confirmed } from '~/ui/kit'
import { assignTeacherSchema, childGroupSchema, classFieldsSchema, deleteClassSchema, groupNameSchema, groupRefSchema, teacherRefSchema } from '~/models/classes/classes.schema'

export const classPageSchema = z.discriminatedUnion('intent', [
  classFieldsSchema.extend({ intent: z.literal('update') }),
  deleteClassSchema.extend({ intent: z.literal('delete') }),
  assignTeacherSchema.extend({ intent: z.literal('assign-teacher') }),
  teacherRefSchema.extend({ intent: z.literal('remove-teacher') }),
  groupNameSchema.extend({ intent: z.literal('group-create') }),
  groupRefSchema.extend({ ...groupNameSchema.shape, intent: z.literal('group-rename') }),
  groupRefSchema.extend({ intent: z.literal('group-delete'), confirm: confirmed }),
  childGroupSchema.extend({ intent: z.literal('child-group') }),
])

// The members page's form fields, shared by the browser and the server. Messages are i18n keys.
import { z } from 'zod'
import type { Role } from '../../../drizzle/schema'
import { STALE } from '../../i18n/form-message'

// The staff roles (STAFF_ROLES in the schema, which the browser does not load).
const STAFF = ['admin', 'teacher', 'dpo'] as const satisfies readonly Role[]

/** Which member loses which staff role. */
export const removeRoleSchema = z.object({
  userId: z.uuid({ error: STALE }),
  role: z.enum(STAFF, { error: 'staff.remove_not_staff' }),
})

// The roster import page's forms (upload, column mapping, confirmation, replan, discard), for the
// browser and the server. What the file holds is checked by the import model, line by line.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { ROSTER_FIELDS, type RosterField } from '../roster/fields'

/** A ticked box ('on'), or none. */
const box = z
  .literal('on')
  .optional()
  .transform((v) => v === 'on')

export const uploadSchema = z.object({
  // An empty file input sends no file: the list is then empty.
  file: z.array(z.instanceof(File), { error: 'roster.error.no_file' }).min(1, 'roster.error.no_file'),
  schoolYear: z.string({ error: 'roster.error.school_year' }).regex(/^\d{4}-\d{4}$/, 'roster.error.school_year'),
  existingClassesOnly: box,
})

export const importRefSchema = z.object({ importId: z.uuid({ error: STALE }) })

/** The column chosen for each field (map_lastName…); none means "ignore this field". */
export const mappingSchema = importRefSchema.extend(Object.fromEntries(ROSTER_FIELDS.map((f) => [`map_${f}`, z.string().optional()])) as Record<`map_${RosterField}`, z.ZodOptional<z.ZodString>>)

/** The children missing from the file that the administrator chose to archive (or all of them). */
export const confirmSchema = importRefSchema.extend({
  archiveAll: box,
  archive: z.array(z.uuid({ error: STALE })).default([]),
  /** Lines of rows flagged as erased that the administrator ticked "this is a new enrolment". */
  newEnrolment: z.array(z.coerce.number({ error: STALE }).int(STALE).positive(STALE)).default([]),
})

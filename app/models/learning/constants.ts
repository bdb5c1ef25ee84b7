// UI-safe constants (no server imports): the same values as drizzle/schema/learning.ts.
export const LEVEL_VALUES = ['not_yet', 'in_progress', 'acquired'] as const
export const MAX_QUESTIONS = 30
export const MAX_CHOICES = 6
/** A quiz picture is a small uploaded image kept as a data: URL (the CSP allows our origin and data: only). */
export const MAX_PICTURE_BYTES = 300 * 1024
/** The whole new-activity form: a picture for every question, and the text around them. */
export const MAX_ACTIVITY_FORM_BYTES = MAX_QUESTIONS * MAX_PICTURE_BYTES + 512 * 1024

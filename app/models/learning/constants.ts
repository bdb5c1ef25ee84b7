// UI-safe constants (no server imports): the same values as drizzle/schema/learning.ts.
export const LEVEL_VALUES = ['not_yet', 'in_progress', 'acquired'] as const

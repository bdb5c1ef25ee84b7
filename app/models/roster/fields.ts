// The fields a roster line maps to, in the order the mapping form shows them. No server code:
// the import page's form schema (in the browser too) reads it.
export const ROSTER_FIELDS = ['lastName', 'firstName', 'birthDate', 'className', 'groupName', 'externalId', 'guardian1Email', 'guardian2Email'] as const

export type RosterField = (typeof ROSTER_FIELDS)[number]

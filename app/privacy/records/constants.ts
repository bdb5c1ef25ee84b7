// The legal bases an organization may declare (the values the schema stores), so pages never import drizzle/schema.
export { LEGAL_BASES, type LegalBasis } from '../../../drizzle/schema/retention'

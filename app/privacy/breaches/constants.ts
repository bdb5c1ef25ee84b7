// Choices shown in the breach pages (the values the schema stores), so pages never import drizzle/schema.
export { SUBJECTS_INFORMED } from '../../../drizzle/schema/breaches'

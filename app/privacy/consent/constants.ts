// The consent-log events (the values the schema stores), for the DPO's filters; pages never import drizzle/schema.
export { CONSENT_EVENTS, type ConsentEvent } from '../../../drizzle/schema/consent'

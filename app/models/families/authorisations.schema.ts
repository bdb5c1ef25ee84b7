// The school's forms about families' information and each child's authorisation, shared by the
// class page (in the browser and on the server) and the model, which checks the same again.
import { z } from 'zod'
import { STALE } from '../../i18n/form-message'
import { DECISION_METHOD_OPTIONS, DECISION_OPTIONS, INFORM_CHANNEL_OPTIONS } from './constants'

/** The class's guardians were informed: when, how, with which notice. */
export const guardiansInformedSchema = z.object({
  informedOn: z.string({ error: 'families.auth.date_invalid' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'families.auth.date_invalid'),
  channel: z.enum(INFORM_CHANNEL_OPTIONS, { error: 'families.auth.channel_required' }),
  noticeId: z.string({ error: 'families.auth.notice_required' }).max(100, 'families.auth.notice_required'),
})

/** A child's authorisation: obtained, refused or withdrawn, how, and from whom when known. */
export const authorisationDecisionSchema = z.object({
  childId: z.uuid({ error: STALE }),
  decision: z.enum(DECISION_OPTIONS, { error: 'families.auth.decision_required' }),
  method: z.enum(DECISION_METHOD_OPTIONS, { error: 'families.auth.method_required' }),
  guardianId: z.uuid({ error: STALE }).optional(),
})

/** Which field a refusal of the model is about. */
export const AUTHORISATION_ERROR_FIELDS: Record<string, string> = {
  'families.auth.channel_required': 'channel',
  'families.auth.notice_required': 'noticeId',
  'families.auth.date_invalid': 'informedOn',
  'families.auth.date_future': 'informedOn',
  'families.auth.decision_required': 'decision',
  'families.auth.method_required': 'method',
}

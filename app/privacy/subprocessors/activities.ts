// The outsourced activities of the DPA's Annex C are stored as the contract words them (in
// English); the pages say them in the reader's language. An activity the operator typed for a
// new sub-processor is shown as typed. No server code: pages import it.
import { tOr, type Lang } from '../../i18n'

const ANNEX_C: Record<string, string> = {
  Hosting: 'retention.sub.activity.hosting',
  'Customer support (GAR excluded only)': 'retention.sub.activity.customer_support',
  'Technical emailing': 'retention.sub.activity.technical_emailing',
}

/** The activity in words of the reader's language when it is one of Annex C's. */
export function activityLabel(lang: Lang, activity: string) {
  const key = ANNEX_C[activity]
  return key ? tOr(lang, key, activity) : activity
}

/** Annex C's activities as stored (for the test that each has its words in both languages). */
export const ANNEX_C_ACTIVITIES = Object.keys(ANNEX_C)
export const annexCKey = (activity: string) => ANNEX_C[activity]

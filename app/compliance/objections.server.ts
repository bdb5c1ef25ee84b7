// Objections (GDPR Art. 21; DPA §13 for the reuse of anonymized data) are consent-log entries
// ('objection_recorded', purpose = the processing objected to). A processing that a subject
// may object to asks here before running for that subject.
import { and, eq } from 'drizzle-orm'
import { consentRecords } from '../../drizzle/schema'
import type { DbOrTx } from '../db.server'
import type { OBJECTION_PROCESSING } from './objection-kinds'

export type ObjectableProcessing = (typeof OBJECTION_PROCESSING)[number]

export async function hasObjection(db: DbOrTx, a: { orgId: string; subjectId: string; processing: ObjectableProcessing }) {
  const [row] = await db
    .select({ seq: consentRecords.seq })
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, a.orgId), eq(consentRecords.subjectId, a.subjectId), eq(consentRecords.event, 'objection_recorded'), eq(consentRecords.purpose, a.processing)))
    .limit(1)
  return !!row
}

import { and, desc, eq } from 'drizzle-orm'
import { legalDocuments } from '../../drizzle/schema'
import type { Lang } from '../i18n'
import { now } from '../clock.server'
import type { DbOrTx } from '../db.server'
import { NotFound } from '../errors.server'
import { LEGAL_TEXTS } from './legal-texts'

export type LegalKind = 'terms' | 'privacy' | 'dpa'

/** The current (latest published) version of a document in a language. */
export async function currentDocument(db: DbOrTx, kind: LegalKind, lang: Lang) {
  const [doc] = await db
    .select()
    .from(legalDocuments)
    .where(and(eq(legalDocuments.kind, kind), eq(legalDocuments.lang, lang)))
    .orderBy(desc(legalDocuments.publishedAt))
    .limit(1)
  if (!doc) throw new NotFound('legal_document')
  return doc
}

/** Publishes the bundled versions that the database does not have yet (idempotent). */
export async function ensureLegalDocuments(db: DbOrTx) {
  for (const d of LEGAL_TEXTS) {
    await db
      .insert(legalDocuments)
      .values({ ...d, publishedAt: new Date(d.publishedAt ?? now()) })
      .onConflictDoNothing()
  }
}

// The development outbox read back (the /dev/mailbox page): newest first.
import { desc } from 'drizzle-orm'
import { outboxMails } from '../../drizzle/schema'
import type { DbOrTx } from '../db.server'

export async function latestOutboxMails(db: DbOrTx, { limit = 50 }: { limit?: number } = {}) {
  return db.select().from(outboxMails).orderBy(desc(outboxMails.createdAt)).limit(limit)
}

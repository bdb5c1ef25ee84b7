// What a person sets on their own account.
import { eq } from 'drizzle-orm'
import { users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import type { Lang } from '../../i18n'

/** The language the person chose (pages, mails): kept on the account so every device follows it. */
export async function setPreferredLanguage(db: DbOrTx, { userId, lang }: { userId: string; lang: Lang }) {
  await db.update(users).set({ locale: lang }).where(eq(users.id, userId))
}

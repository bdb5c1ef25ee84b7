import { and, eq, isNull } from 'drizzle-orm'
import { userTokens, users } from '../../drizzle/schema'
import { DAY, HOUR, now } from '../clock.server'
import { config } from '../config.server'
import type { Db, DbOrTx } from '../db.server'
import { Invalid } from '../errors.server'
import { t, type Lang } from '../i18n'
import { queueMail } from '../mail/outbox.server'
import { recordAudit, type RequestOrigin } from '../compliance/audit.server'
import { randomToken, sha256Hex } from '../crypto.server'

type Purpose = 'verify_email' | 'reset_password'
const TTL: Record<Purpose, number> = { verify_email: 7 * DAY, reset_password: HOUR }

/** Creates a single-use token (only its hash stored) and returns the clear one for the link. */
export async function issueToken(db: DbOrTx, userId: string, purpose: Purpose) {
  const token = randomToken()
  await db.insert(userTokens).values({ id: sha256Hex(token), userId, purpose, createdAt: now(), expiresAt: new Date(now().getTime() + TTL[purpose]) })
  return token
}

/** Marks the token used and returns its user; refuses unknown, used or expired tokens. */
export async function consumeToken(db: DbOrTx, token: string, purpose: Purpose) {
  const [row] = await db
    .update(userTokens)
    .set({ usedAt: now() })
    .where(and(eq(userTokens.id, sha256Hex(token)), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)))
    .returning()
  if (!row || row.expiresAt.getTime() <= now().getTime()) throw new Invalid(`auth.token_invalid_${purpose}`)
  return row.userId
}

/** The emailed link: marks the address verified (audited); refuses unknown, used or expired tokens. */
export async function verifyEmail(db: Db, a: { token: string; origin: RequestOrigin }) {
  return db.transaction(async (tx) => {
    const id = await consumeToken(tx, a.token, 'verify_email')
    await tx.update(users).set({ emailVerifiedAt: now() }).where(eq(users.id, id))
    await recordAudit(tx, { action: 'auth.email_verified', actorId: id, targetType: 'user', targetId: id, ...a.origin })
    return id
  })
}

export async function sendVerificationEmail(db: DbOrTx, user: { id: string; email: string }, lang: Lang) {
  const token = await issueToken(db, user.id, 'verify_email')
  const link = `${config.appUrl}/verify-email/${token}`
  await queueMail(db, {
    to: user.email,
    userId: user.id,
    subject: t(lang, 'mail.verify.subject'),
    text: t(lang, 'mail.verify.body', { link }),
  })
}

/** Always looks the same from outside, whether or not the email has an account. */
export async function requestPasswordReset(db: DbOrTx, email: string, lang: Lang) {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()))
  if (!user || user.deactivatedAt || !user.email) return
  const token = await issueToken(db, user.id, 'reset_password')
  const link = `${config.appUrl}/reset-password/${token}`
  await queueMail(db, {
    to: user.email,
    userId: user.id,
    subject: t(lang, 'mail.reset.subject'),
    text: t(lang, 'mail.reset.body', { link }),
  })
}

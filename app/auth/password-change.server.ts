import { eq } from 'drizzle-orm'
import { users } from '../../drizzle/schema'
import type { Db, DbOrTx } from '../db.server'
import { Invalid, NotFound } from '../errors.server'
import { recordAudit, type RequestOrigin } from '../compliance/audit.server'
import { consumeToken } from './email-tokens.server'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.server'
import { invalidateUserSessions } from './session.server'

async function policyOrThrow(db: DbOrTx, userId: string, password: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId))
  if (!user) throw new NotFound('user')
  const problem = checkPasswordPolicy(password, { email: user.email, names: [user.firstName, user.lastName] })
  if (problem) throw new Invalid(`password.${problem}`)
  return user
}

/** Single-use emailed link; on success every session of the account ends. */
export async function resetPassword(db: Db, a: { token: string; password: string; origin: RequestOrigin }) {
  return db.transaction(async (tx) => {
    const userId = await consumeToken(tx, a.token, 'reset_password')
    await policyOrThrow(tx, userId, a.password)
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(a.password) })
      .where(eq(users.id, userId))
    await invalidateUserSessions(tx, userId)
    await recordAudit(tx, { action: 'auth.password_reset', actorId: userId, targetType: 'user', targetId: userId, ...a.origin })
  })
}

/** Needs the current password; keeps the current session, ends the others. */
export async function changePassword(db: Db, a: { userId: string; sessionId: string; current: string; next: string; origin: RequestOrigin }) {
  const user = await policyOrThrow(db, a.userId, a.next)
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, a.current))) throw new Invalid('account.wrong_password')
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(a.next) })
      .where(eq(users.id, a.userId))
    await invalidateUserSessions(tx, a.userId, a.sessionId)
    await recordAudit(tx, { action: 'auth.password_changed', actorId: a.userId, targetType: 'user', targetId: a.userId, ...a.origin })
  })
}

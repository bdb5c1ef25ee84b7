// An account for a guardian who has none yet and arrives with a link code (letter or email).
// It belongs to no organization until the guardian confirms a code: then the link, the
// 'guardian' membership and the acceptance of the Terms and Privacy Policy (in that
// organization's consent log) are written together (codes.server.ts: confirmLinkCode).
import { eq } from 'drizzle-orm'
import type { z } from 'zod'
import { users } from '../../../drizzle/schema'
import { sendVerificationEmail } from '../../auth/email-tokens.server'
import { checkPasswordPolicy, hashPassword } from '../../auth/password.server'
import { now } from '../../clock.server'
import type { Db } from '../../db.server'
import { Conflict, Invalid, validName } from '../../errors.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import type { Lang } from '../../i18n'
import type { guardianSignupSchema } from './guardian-account.schema'

export async function signUpGuardian(db: Db, a: z.infer<typeof guardianSignupSchema> & { lang: Lang; origin: RequestOrigin }) {
  const problem = checkPasswordPolicy(a.password, { email: a.email, names: [a.firstName, a.lastName] })
  if (problem) throw new Invalid(`password.${problem}`)
  const passwordHash = await hashPassword(a.password)
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, a.email))
    if (existing) throw new Conflict('signup.email_taken')
    const at = now()
    const [user] = await tx
      .insert(users)
      .values({
        kind: 'adult',
        email: a.email,
        passwordHash,
        firstName: validName(a.firstName, 'signup.first_name_required'),
        lastName: validName(a.lastName, 'signup.last_name_required'),
        locale: a.lang,
        createdAt: at,
        lastLoginAt: at,
      })
      .returning()
    await recordAudit(tx, { action: 'auth.signup', actorId: user!.id, targetType: 'user', targetId: user!.id, ...a.origin, details: { via: 'link_code' } })
    await sendVerificationEmail(tx, { id: user!.id, email: a.email }, a.lang)
    return user!
  })
}

import { eq } from 'drizzle-orm'
import { memberships, organizations, users, type OrgKind } from '../../drizzle/schema'
import { now } from '../clock.server'
import type { Db } from '../db.server'
import { Conflict, Invalid, validName } from '../errors.server'
import { appendConsent } from '../compliance/consent-log.server'
import { recordAudit, type RequestOrigin } from '../compliance/audit.server'
import type { Lang } from '../i18n'
import { currentDocument } from '../compliance/legal-documents.server'
import { sendVerificationEmail } from './email-tokens.server'
import { checkPasswordPolicy, hashPassword } from './password.server'
import type { SignupInput } from './signup.schema'

/**
 * Creates the organization, its first administrator and the acceptance records, in one
 * transaction: a failure leaves nothing half-created. Sends the verification email.
 */
export async function signUp(db: Db, input: Omit<SignupInput, 'orgCity' | 'orgCode'> & Partial<Pick<SignupInput, 'orgCity' | 'orgCode'>> & { lang: Lang; origin: RequestOrigin }) {
  const problem = checkPasswordPolicy(input.password, { email: input.email, names: [input.firstName, input.lastName] })
  if (problem) throw new Invalid(`password.${problem}`)
  const passwordHash = await hashPassword(input.password)
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email))
    if (existing) throw new Conflict('signup.email_taken')
    const at = now()
    const [org] = await tx
      .insert(organizations)
      .values({
        kind: input.orgKind as OrgKind,
        name: validName(input.orgName, 'signup.org_name_required', 120),
        // Only a school is found by its town and code (a family space is never searchable).
        city: input.orgKind === 'school' ? (input.orgCity ?? null) : null,
        officialCode: input.orgKind === 'school' ? (input.orgCode ?? null) : null,
        createdAt: at,
        plan: input.orgKind === 'family' ? 'family' : null,
      })
      .returning()
    const [user] = await tx
      .insert(users)
      .values({
        kind: 'adult',
        email: input.email,
        passwordHash,
        firstName: validName(input.firstName, 'signup.first_name_required'),
        lastName: validName(input.lastName, 'signup.last_name_required'),
        locale: input.lang,
        createdAt: at,
      })
      .returning()
    await tx.insert(memberships).values({ orgId: org!.id, userId: user!.id, role: 'admin', createdAt: at })
    await recordAcceptance(tx, { orgId: org!.id, userId: user!.id, lang: input.lang, kinds: ['terms', 'privacy'] })
    await recordAudit(tx, { action: 'auth.signup', orgId: org!.id, actorId: user!.id, targetType: 'user', targetId: user!.id, ...input.origin })
    await sendVerificationEmail(tx, { id: user!.id, email: input.email }, input.lang)
    return { org: org!, user: user! }
  })
}

/** Appends one consent-log entry per accepted document, naming the version shown. */
export async function recordAcceptance(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  a: { orgId: string; userId: string; lang: Lang; kinds: ('terms' | 'privacy' | 'dpa')[]; onBehalfOf?: string | null },
) {
  for (const kind of a.kinds) {
    const doc = await currentDocument(tx, kind, a.lang)
    await appendConsent(tx, {
      orgId: a.orgId,
      event: 'terms_accepted',
      state: 'given',
      subjectId: a.onBehalfOf ?? a.userId,
      actorId: a.userId,
      onBehalfOf: a.onBehalfOf ?? null,
      documentKind: kind,
      documentVersion: doc.version,
      purpose: 'service_use',
      method: 'web_checkbox',
      language: a.lang,
    })
  }
}

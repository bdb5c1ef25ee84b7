// The role and account-kind vocabulary, and the few facts about it that are not permission
// decisions: a child's session is shorter, an organization keeps at least one administrator,
// a teacher's removal frees their classes. Who may do what is asked of app/permissions; this
// file only names things, so the lint rule on role strings allows it (layout.mjs).
import type { Role } from '../drizzle/schema'

type Kinded = { kind: string | null } | null | undefined

/** A child's account (class code, card or family profile), as opposed to an adult's. */
export const isChildAccount = (account: Kinded): boolean => account?.kind === 'child'

/** The session kind an account signs in with. */
export const sessionKindOf = (account: { kind: string }): 'child' | 'adult' => (isChildAccount(account) ? 'child' : 'adult')

export const isAdministratorRole = (role: Role | string | null | undefined): boolean => role === 'admin'
export const isTeacherRole = (role: Role | string | null | undefined): boolean => role === 'teacher'
export const isGuardianRole = (role: Role | string | null | undefined): boolean => role === 'guardian'

/** A classified column's data subject is a child (the classification registry's word). */
export const isChildSubject = (subject: string | null | undefined): boolean => subject === 'child'

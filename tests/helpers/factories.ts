import { classes, classTeachers, enrolments, memberships, organizations, users } from '../../drizzle/schema'
import { randomBytes } from 'node:crypto'
import { hashPassword } from '~/auth/password.server'
import { now } from '~/clock.server'
import type { DbOrTx } from '~/db.server'

let n = 0
const uniq = () => `${Date.now().toString(36)}${(n++).toString(36)}`

export async function makeOrg(db: DbOrTx, kind: 'school' | 'family' | 'practice' = 'school', name = `École ${uniq()}`) {
  const [o] = await db
    .insert(organizations)
    .values({ kind, name, createdAt: now(), plan: kind === 'family' ? 'family' : null })
    .returning()
  return o!
}

let cachedHash: string | null = null
export const TEST_PASSWORD = 'un-mot-de-passe-solide'

export async function makeAdult(db: DbOrTx, opts: { email?: string; orgId?: string; role?: 'admin' | 'teacher' | 'dpo' | 'guardian' } = {}) {
  cachedHash ??= await hashPassword(TEST_PASSWORD)
  const [u] = await db
    .insert(users)
    .values({ kind: 'adult', email: opts.email ?? `adult-${uniq()}@example.org`, passwordHash: cachedHash, firstName: 'Alex', lastName: `Test${uniq()}`, createdAt: now() })
    .returning()
  if (opts.orgId && opts.role) await db.insert(memberships).values({ orgId: opts.orgId, userId: u!.id, role: opts.role, createdAt: now() })
  return u!
}

// Random, not time-based: test files run in parallel processes whose counters all start at 0,
// so a time-derived code collided on the unique index when two files made a class in the same millisecond.
const uniqueLoginCode = () => `T${randomBytes(6).toString('hex').toUpperCase()}`

export async function makeClass(db: DbOrTx, orgId: string, name = `CE2 ${uniq()}`) {
  const [c] = await db.insert(classes).values({ orgId, name, schoolYear: '2026-2027', loginCode: uniqueLoginCode(), createdAt: now() }).returning()
  return c!
}

export async function teach(db: DbOrTx, a: { orgId: string; classId: string; userId: string; role?: 'lead' | 'co' }) {
  await db.insert(classTeachers).values({ orgId: a.orgId, classId: a.classId, userId: a.userId, role: a.role ?? 'lead' })
}

export async function makeChild(db: DbOrTx, a: { orgId: string; classId?: string; firstName?: string; lastName?: string; birthDate?: string }) {
  const [c] = await db
    .insert(users)
    .values({ kind: 'child', firstName: a.firstName ?? 'Zoé', lastName: a.lastName ?? `Élève${uniq()}`, birthDate: a.birthDate ?? '2017-03-14', createdAt: now() })
    .returning()
  await db.insert(memberships).values({ orgId: a.orgId, userId: c!.id, role: 'child', createdAt: now() })
  if (a.classId) await db.insert(enrolments).values({ orgId: a.orgId, classId: a.classId, childId: c!.id, createdAt: now() })
  return c!
}

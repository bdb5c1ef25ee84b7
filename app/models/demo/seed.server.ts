// The demo a newcomer sees after `npm start`: one school (admin, teacher, DPO, a class of
// children with login cards) and one family (a parent). Each issue grows it with what it adds.
import { count } from 'drizzle-orm'
import { classes, classTeachers, enrolments, memberships, organizations, platformOperators, users } from '../../../drizzle/schema'
import { hashPassword } from '../../auth/password.server'
import { now } from '../../clock.server'
import type { Db } from '../../db.server'
import { issueChildCard } from '../children/login-card.server'
import { recordAcceptance } from '../../auth/signup.server'
import { seedLearningDemo } from '../learning/demo.server' // learning (issue 5)
import { seedDemoFamilies } from '../families/demo.server'

export const DEMO_PASSWORD = 'carnet-demo-2026'

export type DemoInfo = {
  password: string
  logins: { role: string; email: string }[]
  childCode: { classCode: string; firstName: string; code: string } | null
}

export async function seedDemoIfEmpty(db: Db): Promise<DemoInfo | null> {
  const [{ n }] = (await db.select({ n: count() }).from(organizations)) as [{ n: number }]
  if (n > 0) return null
  return seedDemo(db)
}

export async function seedDemo(db: Db): Promise<DemoInfo> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  return db.transaction(async (tx) => {
    const at = now()
    const adult = async (email: string, firstName: string, lastName: string) => {
      const [u] = await tx.insert(users).values({ kind: 'adult', email, emailVerifiedAt: at, passwordHash, firstName, lastName, createdAt: at, locale: 'fr' }).returning()
      return u!
    }
    const [school] = await tx.insert(organizations).values({ kind: 'school', name: 'École Jules Ferry', city: 'Lyon', officialCode: '0691234A', createdAt: at }).returning()
    const [family] = await tx.insert(organizations).values({ kind: 'family', name: 'Famille Martin', plan: 'family', createdAt: at }).returning()
    const admin = await adult('admin@demo.carnet.fr', 'Claire', 'Dubois')
    const teacher = await adult('enseignant@demo.carnet.fr', 'Karim', 'Benali')
    const dpo = await adult('dpo@demo.carnet.fr', 'Sophie', 'Laurent')
    const parent = await adult('parent@demo.carnet.fr', 'Julie', 'Martin')
    // Platform operator (rights requests received by email/post, registers): no membership in any organization.
    const operator = await adult('operateur@demo.carnet.fr', 'Olivier', 'Roux')
    await tx.insert(platformOperators).values({ userId: operator.id, grantedAt: at })
    for (const [userId, orgId, role] of [
      [admin.id, school!.id, 'admin'],
      [teacher.id, school!.id, 'teacher'],
      [dpo.id, school!.id, 'dpo'],
      [parent.id, family!.id, 'admin'],
      [parent.id, family!.id, 'guardian'],
    ] as const) {
      await tx.insert(memberships).values({ userId, orgId, role, createdAt: at })
      await recordAcceptance(tx, { orgId, userId, lang: 'fr', kinds: ['terms', 'privacy'] })
    }
    const [cm1] = await tx.insert(classes).values({ orgId: school!.id, name: 'CM1 A', level: 'CM1', schoolYear: '2026-2027', loginCode: 'JFCM1A', createdAt: at }).returning()
    await tx.insert(classTeachers).values({ orgId: school!.id, classId: cm1!.id, userId: teacher.id, role: 'lead' })
    const children = [
      ['Zoé', 'Müller', '2017-03-14'],
      ['Łukasz', 'Nowak', '2016-11-02'],
      ['Ömer', 'Yılmaz', '2017-06-21'],
      ['Ioana-Maria', "O'Brien", '2017-01-30'],
      ['Nguyễn', 'Văn An', '2016-09-09'],
    ] as const
    let first: DemoInfo['childCode'] = null
    for (const [firstName, lastName, birthDate] of children) {
      const [c] = await tx.insert(users).values({ kind: 'child', firstName, lastName, birthDate, createdAt: at }).returning()
      await tx.insert(memberships).values({ userId: c!.id, orgId: school!.id, role: 'child', createdAt: at })
      await tx.insert(enrolments).values({ orgId: school!.id, classId: cm1!.id, childId: c!.id, createdAt: at })
      const card = await issueChildCard(tx, { orgId: school!.id, childId: c!.id })
      first ??= { classCode: cm1!.loginCode, firstName, code: card.code }
    }
    // Families: Famille Martin's child (consent given) and the parent linked to Zoé at school.
    await seedDemoFamilies(tx, { familyId: family!.id, familyName: family!.name, schoolId: school!.id, parentId: parent.id })
    await seedLearningDemo(tx, { orgId: school!.id, classId: cm1!.id, teacherId: teacher.id }) // learning (issue 5): skills, a quiz, observations
    return {
      password: DEMO_PASSWORD,
      logins: [
        { role: 'school admin', email: admin.email! },
        { role: 'teacher', email: teacher.email! },
        { role: 'DPO', email: dpo.email! },
        { role: 'parent (family)', email: parent.email! },
        { role: 'platform operator', email: operator.email! },
      ],
      childCode: first,
    }
  })
}

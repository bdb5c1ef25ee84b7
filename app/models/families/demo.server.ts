// The families part of the demo: Famille Martin has a child (parental consent given, login
// card issued) and its parent is also linked to Zoé at the demo school, so a newcomer logging
// in as parent@demo.carnet.fr sees the child switcher across a family space and a school.
import { and, eq } from 'drizzle-orm'
import { classes, enrolments, memberships, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { Tx } from '../../db.server'
import { recordAcceptance } from '../../auth/signup.server'
import { appendConsent } from '../../compliance/consent-log.server'
import { issueChildCard } from '../children/login-card.server'
import { currentDocument } from '../../compliance/legal-documents.server'
import { createLink } from './links.server'

export async function seedDemoFamilies(tx: Tx, a: { familyId: string; familyName: string; schoolId: string; parentId: string }) {
  const at = now()
  const by = { actorId: a.parentId, ip: null, userAgent: null }
  const [home] = await tx.insert(classes).values({ orgId: a.familyId, name: a.familyName, schoolYear: '2026-2027', loginCode: 'MARTIN', createdAt: at }).returning()
  const [leo] = await tx.insert(users).values({ kind: 'child', firstName: 'Léo', lastName: 'Martin', birthDate: '2017-05-10', createdAt: at }).returning()
  await tx.insert(memberships).values({ orgId: a.familyId, userId: leo!.id, role: 'child', createdAt: at })
  await tx.insert(enrolments).values({ orgId: a.familyId, classId: home!.id, childId: leo!.id, createdAt: at })
  await issueChildCard(tx, { orgId: a.familyId, childId: leo!.id })
  await createLink(tx, { orgId: a.familyId, childId: leo!.id, guardianId: a.parentId, legalStatus: 'parent', by, via: 'family' })
  const privacy = await currentDocument(tx, 'privacy', 'fr')
  await appendConsent(tx, {
    orgId: a.familyId,
    event: 'parental_consent_given',
    state: 'given',
    subjectId: leo!.id,
    actorId: a.parentId,
    onBehalfOf: leo!.id,
    documentKind: 'privacy',
    documentVersion: privacy.version,
    purpose: 'child_use',
    method: 'web_checkbox',
    language: 'fr',
  })
  const [zoe] = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, a.schoolId), eq(memberships.role, 'child')))
    .where(eq(users.firstName, 'Zoé'))
    .limit(1)
  if (zoe) {
    await createLink(tx, { orgId: a.schoolId, childId: zoe.id, guardianId: a.parentId, legalStatus: 'parent', by, via: 'code' })
    await recordAcceptance(tx, { orgId: a.schoolId, userId: a.parentId, lang: 'fr', kinds: ['terms', 'privacy'] })
  }
}

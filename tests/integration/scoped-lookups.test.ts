// The lookups pages call by id (moved out of the routes) stay inside their scope: an id from
// another organization, another guardian's child or another person's session is not found.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { guardianLinks, sessions } from '../../drizzle/schema'
import { createSession, revokeUserSession } from '~/auth/session.server'
import { DAY, now } from '~/clock.server'
import { certificateClasses } from '~/privacy/certificate/certificate.server'
import { accountForDeletion, deletableChildrenOf } from '~/privacy/erasure/requests.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

test("accountForDeletion: a member of this organization is found; another organization's member is not", async () => {
  const a = await makeOrg(t.db)
  const b = await makeOrg(t.db)
  const mine = await makeAdult(t.db, { orgId: a.id, role: 'teacher' })
  const theirs = await makeChild(t.db, { orgId: b.id })
  expect(await accountForDeletion(t.db, { orgId: a.id, userId: mine.id })).toMatchObject({ id: mine.id, lastName: mine.lastName, kind: 'adult' })
  expect(await accountForDeletion(t.db, { orgId: a.id, userId: theirs.id })).toBeNull()
  expect(await accountForDeletion(t.db, { orgId: b.id, userId: theirs.id })).toMatchObject({ id: theirs.id, kind: 'child' })
})

test("certificateClasses: this organization's classes only, by name", async () => {
  const a = await makeOrg(t.db)
  const b = await makeOrg(t.db)
  await makeClass(t.db, a.id, 'CM1 Lilas')
  await makeClass(t.db, a.id, 'CE2 Roses')
  await makeClass(t.db, b.id, 'CP Autre école')
  expect((await certificateClasses(t.db, { orgId: a.id })).map((c) => c.name)).toEqual(['CE2 Roses', 'CM1 Lilas'])
})

test('deletableChildrenOf: only children this guardian is actively linked to with consent rights', async () => {
  const org = await makeOrg(t.db)
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const guardian = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
  const other = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
  const [own, noConsent, ended, othersChild] = [
    await makeChild(t.db, { orgId: org.id }),
    await makeChild(t.db, { orgId: org.id }),
    await makeChild(t.db, { orgId: org.id }),
    await makeChild(t.db, { orgId: org.id }),
  ]
  const link = (childId: string, guardianId: string, extra: Partial<typeof guardianLinks.$inferInsert> = {}) => ({
    orgId: org.id,
    childId,
    guardianId,
    legalStatus: 'parent' as const,
    canGiveConsent: true,
    startedAt: new Date(now().getTime() - DAY),
    createdBy: admin.id,
    createdAt: now(),
    ...extra,
  })
  await t.db
    .insert(guardianLinks)
    .values([link(own.id, guardian.id), link(noConsent.id, guardian.id, { canGiveConsent: false }), link(ended.id, guardian.id, { endedAt: now() }), link(othersChild.id, other.id)])
  const list = await deletableChildrenOf(t.db, { guardianId: guardian.id })
  expect(list).toEqual([{ orgId: org.id, orgKind: org.kind, childId: own.id, firstName: own.firstName, lastName: own.lastName }])
})

test("revokeUserSession: ends the person's own session, never someone else's", async () => {
  const me = await makeAdult(t.db)
  const someone = await makeAdult(t.db)
  const mine = await createSession(t.db, me.id, { kind: 'adult' })
  const theirs = await createSession(t.db, someone.id, { kind: 'adult' })
  expect(await revokeUserSession(t.db, { userId: me.id, sessionId: theirs.session.id })).toBe(false)
  expect(await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, theirs.session.id))).toHaveLength(1)
  expect(await revokeUserSession(t.db, { userId: me.id, sessionId: mine.session.id })).toBe(true)
  expect(await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, mine.session.id))).toHaveLength(0)
})

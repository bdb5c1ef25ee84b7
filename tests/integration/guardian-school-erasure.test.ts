// Who decides on a school child's erasure (issue 13 §4): the school is the controller, so a
// guardian's "delete" becomes an erasure rights request to the school's DPO, with the legal
// deadlines, followed by the guardian where they asked; the old direct erasure is refused and
// audited; a duplicate is refused with a clear message; a family space's child is still
// deleted directly, the other guardian told; a school admin's deletion keeps today's flow; the
// guardian's own account goes at once. Real routes, sessions, policy and PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { auditEvents, deletionRequests, guardianLinks, notifications, outboxMails, rightsRequestEvents, rightsRequests, users } from '../../drizzle/schema'
import { DAY, HOUR, now } from '~/clock.server'
import { monthsAfter } from '~/compliance/calendar.server'
import { t as translate } from '~/i18n'
import { runDeletion } from '~/privacy/erasure/run.server'
import { forwardRequest } from '~/privacy/rights-requests/forwarding.server'
import * as page from '~/routes/org.$orgId.members_.$userId.delete'
import * as accountDelete from '~/routes/account_.delete'
import * as dpoList from '~/routes/org.$orgId.dpo.requests._index'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { cookieFor, get, post } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

async function link(orgId: string, childId: string, guardianId: string) {
  await t.db.insert(guardianLinks).values({ orgId, childId, guardianId, legalStatus: 'parent', canGiveConsent: true, startedAt: new Date(now().getTime() - DAY), createdAt: now() })
}
const verified = async (u: { id: string }) => t.db.update(users).set({ emailVerifiedAt: now() }).where(eq(users.id, u.id))

async function school() {
  const org = await makeOrg(t.db, 'school')
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Inès', lastName: 'Berthier' })
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const guardian = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
  await verified(guardian)
  await link(org.id, child.id, guardian.id)
  const url = `/org/${org.id}/members/${child.id}/delete`
  const params = { orgId: org.id, userId: child.id }
  return { org, child, admin, dpo, guardian, url, params, cookie: await cookieFor(t.db, guardian) }
}

const requestsAbout = (childId: string) => t.db.select().from(rightsRequests).where(eq(rightsRequests.subjectId, childId))
const deactivated = async (id: string) => (await t.db.select({ at: users.deactivatedAt }).from(users).where(eq(users.id, id)))[0]!.at

describe("a school child's erasure, asked by a guardian", () => {
  test('the direct erasure is refused and audited, even by POSTing the old form', async () => {
    const s = await school()
    const view = await get(page.loader, s.url, s.params, s.cookie)
    expect(view).toMatchObject({ asks: true, role: 'guardian', requests: [] })
    const res = await post(page.action, s.url, s.params, s.cookie, { intent: 'delete', confirm: 'SUPPRIMER' })
    expect((res as Response).status).toBe(403)
    expect(await deactivated(s.child.id)).toBeNull()
    expect(await t.db.select().from(deletionRequests).where(eq(deletionRequests.subjectId, s.child.id))).toHaveLength(0)
    const denials = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, s.guardian.id), eq(auditEvents.targetId, s.child.id)))
    expect(denials).toHaveLength(1)
    expect(denials[0]).toMatchObject({ outcome: 'denied', orgId: s.org.id })
    expect(denials[0]).toMatchObject({ targetType: 'Account' })
    expect(denials[0]!.details).toMatchObject({ attempted: 'delete', path: s.url })
  })

  test("the request reaches the school DPO's list with its deadline; the guardian sees its state where they asked; a duplicate is refused, nothing written twice", async () => {
    const s = await school()
    // Without the ticked box: nothing is filed.
    expect(await post(page.action, s.url, s.params, s.cookie, { intent: 'ask' })).toMatchObject({ status: 'error' })
    expect(await requestsAbout(s.child.id)).toHaveLength(0)
    const before = now()
    const done = await post(page.action, s.url, s.params, s.cookie, { intent: 'ask', confirm: 'yes' })
    expect(done).toMatchObject({ status: 'success' })
    const [req, ...more] = await requestsAbout(s.child.id)
    expect(more).toHaveLength(0)
    expect(req).toMatchObject({
      orgId: s.org.id,
      kind: 'erasure',
      channel: 'in_app',
      status: 'received',
      requesterUserId: s.guardian.id,
      requesterEmail: s.guardian.email,
      requesterRelation: 'guardian',
    })
    // The legal deadlines, computed by the intake as for every request.
    expect(req!.receivedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000)
    expect(req!.forwardDueAt!.getTime() - req!.receivedAt!.getTime()).toBe(48 * HOUR)
    expect(req!.dueAt).toEqual(monthsAfter(req!.receivedAt!, 1))
    expect(done.message).toContain(req!.reference)
    expect(await t.db.select().from(rightsRequestEvents).where(eq(rightsRequestEvents.requestId, req!.id))).toMatchObject([{ kind: 'received', actorId: s.guardian.id }])
    // Nothing is erased, nothing deactivated: the school decides.
    expect(await deactivated(s.child.id)).toBeNull()

    // Forwarded to the school: its DPO is told and finds it in the list, with its due date.
    expect(await forwardRequest(t.db, req!.id)).toMatchObject({ forwarded: true })
    expect(
      await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, s.dpo.id), eq(notifications.refId, req!.id))),
    ).toMatchObject([{ kind: 'dsr.forwarded' }])
    expect(await t.db.select().from(outboxMails).where(eq(outboxMails.to, s.dpo.email!))).toHaveLength(1)
    const list = await get(dpoList.loader, `/org/${s.org.id}/dpo/requests`, { orgId: s.org.id }, await cookieFor(t.db, s.dpo))
    expect(list.rows).toContainEqual(expect.objectContaining({ reference: req!.reference, kind: 'erasure', status: 'forwarded', dueAt: req!.dueAt!.toISOString(), unread: true }))

    // The guardian sees it on the child's page, and on their account page.
    const view = await get(page.loader, s.url, s.params, s.cookie)
    expect(view.requests).toEqual([
      { id: req!.id, reference: req!.reference, state: translate('fr', 'retention.ask.state.forwarded'), open: true, received: req!.receivedAt!.toISOString(), due: req!.dueAt!.toISOString() },
    ])
    const account = await get(accountDelete.loader, '/account/delete', {}, s.cookie)
    const mine = account.children.find((c: { href: string }) => c.href === s.url)
    expect(mine).toMatchObject({ asks: true, name: 'Inès Berthier' })
    expect(mine.status).toContain(req!.reference)
    expect(mine.status).toContain(translate('fr', 'retention.ask.state.forwarded'))

    // Again while it is open: a clear message, nothing new written.
    const again = await post(page.action, s.url, s.params, s.cookie, { intent: 'ask', confirm: 'yes' })
    expect(again).toMatchObject({ status: 'error' })
    expect(JSON.stringify(again.error)).toContain(translate('fr', 'retention.ask.duplicate', { reference: req!.reference }))
    expect(await requestsAbout(s.child.id)).toHaveLength(1)
  })

  test('a guardian whose email is not verified is told to verify it first; nothing is filed', async () => {
    const s = await school()
    await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, s.guardian.id))
    const res = await post(page.action, s.url, s.params, s.cookie, { intent: 'ask', confirm: 'yes' })
    expect(res).toMatchObject({ status: 'error' })
    expect(JSON.stringify(res.error)).toContain(translate('fr', 'dsr.form.verify_email_first'))
    expect(await requestsAbout(s.child.id)).toHaveLength(0)
  })

  test("the school admin's deletion keeps today's flow: deactivated at once, erased, the DPO told", async () => {
    const s = await school()
    const cookie = await cookieFor(t.db, s.admin)
    expect(await get(page.loader, s.url, s.params, cookie)).toMatchObject({ asks: false, role: 'admin' })
    expect(await post(page.action, s.url, s.params, cookie, { intent: 'delete', confirm: 'SUPPRIMER' })).toMatchObject({ status: 'success' })
    expect(await deactivated(s.child.id)).not.toBeNull()
    const [dr] = await t.db.select().from(deletionRequests).where(eq(deletionRequests.subjectId, s.child.id))
    expect(dr).toMatchObject({ requestedByRole: 'admin', requestedBy: s.admin.id })
    expect((await runDeletion(t.db, dr!.id)).status).toBe('erased')
    expect(
      await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, s.dpo.id), eq(notifications.kind, 'erasure.proof.school'))),
    ).toHaveLength(1)
  })

  test("the guardian's own account still goes at once", async () => {
    const s = await school()
    const res = await post(accountDelete.action, '/account/delete', {}, s.cookie, { intent: 'delete', confirm: s.guardian.email! })
    expect((res as Response).status).toBe(302)
    expect(await deactivated(s.guardian.id)).not.toBeNull()
    expect(await t.db.select().from(deletionRequests).where(eq(deletionRequests.subjectId, s.guardian.id))).toMatchObject([{ requestedByRole: 'self' }])
    // The child is untouched.
    expect(await deactivated(s.child.id)).toBeNull()
  })
})

describe("a family space's child", () => {
  test('deleted directly by the family administrator; the other guardian is told in the app and by mail', async () => {
    const family = await makeOrg(t.db, 'family', `Famille ${Date.now()}`)
    const cls = await makeClass(t.db, family.id)
    const child = await makeChild(t.db, { orgId: family.id, classId: cls.id })
    const parent = await makeAdult(t.db, { orgId: family.id, role: 'admin' })
    const other = await makeAdult(t.db, { orgId: family.id, role: 'guardian' })
    await link(family.id, child.id, parent.id)
    await link(family.id, child.id, other.id)
    const url = `/org/${family.id}/members/${child.id}/delete`
    const params = { orgId: family.id, userId: child.id }
    const cookie = await cookieFor(t.db, parent)
    expect(await get(page.loader, url, params, cookie)).toMatchObject({ asks: false, role: 'guardian' })
    // Their account page offers the deletion itself, not a request.
    expect((await get(accountDelete.loader, '/account/delete', {}, cookie)).children).toContainEqual(expect.objectContaining({ href: url, asks: false, status: null }))
    // Asking is for schools only.
    expect(((await post(page.action, url, params, cookie, { intent: 'ask', confirm: 'yes' })) as Response).status).toBe(403)
    expect(await post(page.action, url, params, cookie, { intent: 'delete', confirm: 'SUPPRIMER' })).toMatchObject({ status: 'success' })
    expect(await requestsAbout(child.id)).toHaveLength(0)
    const [dr] = await t.db.select().from(deletionRequests).where(eq(deletionRequests.subjectId, child.id))
    expect((await runDeletion(t.db, dr!.id)).status).toBe('erased')
    expect(await t.db.select().from(users).where(eq(users.id, child.id))).toHaveLength(0)
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, other.id))).toMatchObject([{ kind: 'erasure.proof.guardian', orgId: family.id }])
    const [mail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, other.email!))
    expect(mail!.text).toContain(`l'espace famille « ${family.name} »`)
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, parent.id))).toMatchObject([{ kind: 'erasure.proof.requester' }])
  })
})

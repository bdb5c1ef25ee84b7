// Irreversible actions ask first (issue 13 §6): each page shows what will happen and the cancel
// window, and its action refuses the step without the confirmation it sends (a ticked box, or
// the typed word) — nothing written — and performs it with it. Real routes, sessions, policy and
// PostgreSQL; the form fields are the ones the page's ConfirmForm posts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { and, eq, isNull } from 'drizzle-orm'
import { consentRecords, deletionRequests, groups, guardianLinks, outboxMails, rightsRequestEvents, rightsRequests, subprocessorChangeOrgs, subprocessors } from '../../drizzle/schema'
import { createGroup } from '~/models/classes/groups.server'
import { createLink } from '~/models/families/links.server'
import { setGraceHours } from '~/privacy/erasure/requests.server'
import { createReceivedRequest } from '~/privacy/rights-requests/intake.server'
import { setSubject, verifyIdentity } from '~/privacy/rights-requests/handling.server'
import { announceChange } from '~/privacy/subprocessors/register.server'
import * as requestPage from '~/routes/org.$orgId.dpo.requests.$requestId/route'
import * as privacyPage from '~/routes/org.$orgId.privacy/route'
import * as subprocessorsPage from '~/routes/org.$orgId.subprocessors'
import * as classGuardians from '~/routes/org.$orgId.classes.$classId_.guardians/route'
import * as guardianChild from '~/routes/children.$childId'
import * as classPage from '~/routes/org.$orgId.classes.$classId/route'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { cookieFor, get, post } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
const origin = { ip: '198.51.100.7', userAgent: 'vitest' }
const by = (actorId: string) => ({ actorId, ip: null, userAgent: null })
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

/** The ConfirmForm's refusal: Conform's error on the confirm field, nothing else said done. */
function refusedForConfirm(res: any) {
  expect(res?.status).toBe('error')
  expect(res?.error?.confirm?.length).toBeGreaterThan(0)
}

describe('the DPO engages an erasure (rights request)', () => {
  async function erasureRequest(grace: number) {
    const org = await makeOrg(t.db, 'school', 'École du Parc')
    const cls = await makeClass(t.db, org.id, 'CE1')
    const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Inès', lastName: 'Haddad' })
    const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
    await setGraceHours(t.db, { orgId: org.id, hours: grace, by: dpo.id })
    const req = await createReceivedRequest(t.db, {
      orgId: org.id,
      kind: 'erasure',
      channel: 'operator_log',
      subjectId: null,
      subjectName: 'Inès Haddad',
      requesterEmail: `parent-${crypto.randomUUID()}@example.org`,
      requesterName: 'Karim Haddad',
      relation: 'guardian',
      message: null,
      lang: 'fr',
      receivedAt: new Date(),
      loggedBy: dpo.id,
      actorId: dpo.id,
      origin,
    })
    const a = { orgId: org.id, requestId: req.id, actorId: dpo.id, origin }
    await verifyIdentity(t.db, { ...a, method: 'in_person', note: null })
    await setSubject(t.db, { ...a, subjectId: child.id })
    return { org, child, req, cookie: await cookieFor(t.db, dpo), url: `/org/${org.id}/dpo/requests/${req.id}`, params: { orgId: org.id, requestId: req.id } }
  }

  test('the page states the school’s cancel window; without the ticked box nothing is marked; with it the erasure is engaged', async () => {
    const s = await erasureRequest(6)
    const view = await get(requestPage.loader, s.url, s.params, s.cookie)
    expect(view.graceHours).toBe(6)

    refusedForConfirm(await post(requestPage.action, s.url, s.params, s.cookie, { intent: 'erasure' }))
    refusedForConfirm(await post(requestPage.action, s.url, s.params, s.cookie, { intent: 'erasure', confirm: 'no' }))
    const [before] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, s.req.id))
    expect(before!.erasurePendingAt).toBeNull()
    expect(
      await t.db
        .select()
        .from(rightsRequestEvents)
        .where(and(eq(rightsRequestEvents.requestId, s.req.id), eq(rightsRequestEvents.kind, 'erasure_pending'))),
    ).toHaveLength(0)

    const done = await post(requestPage.action, s.url, s.params, s.cookie, { intent: 'erasure', confirm: 'yes' })
    expect(done.status).toBe('success')
    const [after] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, s.req.id))
    expect(after!.erasurePendingAt).not.toBeNull()
    expect(
      await t.db
        .select()
        .from(rightsRequestEvents)
        .where(and(eq(rightsRequestEvents.requestId, s.req.id), eq(rightsRequestEvents.kind, 'erasure_pending'))),
    ).toHaveLength(1)
  })

  test('a school with no cancel window: the page says so (0 hours)', async () => {
    const s = await erasureRequest(0)
    expect((await get(requestPage.loader, s.url, s.params, s.cookie)).graceHours).toBe(0)
  })

  test('closing a request (final, the requester is mailed): refused without the ticked box, closed with it', async () => {
    const s = await erasureRequest(0)
    const mails = async () => (await t.db.select().from(outboxMails).where(eq(outboxMails.to, s.req.requesterEmail))).length
    const before = await mails()
    refusedForConfirm(await post(requestPage.action, s.url, s.params, s.cookie, { intent: 'close', outcome: 'refused', note: 'Obligation légale de conservation.' }))
    const [open] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, s.req.id))
    expect(open!.status).not.toBe('closed')
    expect(await mails()).toBe(before)
    expect((await post(requestPage.action, s.url, s.params, s.cookie, { intent: 'close', outcome: 'refused', note: 'Obligation légale de conservation.', confirm: 'yes' })).status).toBe('success')
    const [closed] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, s.req.id))
    expect(closed).toMatchObject({ status: 'closed', outcome: 'refused' })
    expect(await mails()).toBe(before + 1)
  })
})

test('the organization’s deletion: refused without the typed word, requested with it', async () => {
  const org = await makeOrg(t.db, 'school', 'École à fermer')
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const cookie = await cookieFor(t.db, admin)
  const url = `/org/${org.id}/privacy`
  const open = () =>
    t.db
      .select()
      .from(deletionRequests)
      .where(and(eq(deletionRequests.orgId, org.id), eq(deletionRequests.scope, 'organization'), isNull(deletionRequests.cancelledAt)))
  refusedForConfirm(await post(privacyPage.action, url, { orgId: org.id }, cookie, { intent: 'delete-org' }))
  refusedForConfirm(await post(privacyPage.action, url, { orgId: org.id }, cookie, { intent: 'delete-org', confirm: 'oui' }))
  expect(await open()).toHaveLength(0)
  expect((await post(privacyPage.action, url, { orgId: org.id }, cookie, { intent: 'delete-org', confirm: 'SUPPRIMER' })).status).toBe('success')
  expect(await open()).toHaveLength(1)
})

test('objecting to a sub-processor change: refused without the ticked box (nothing in the consent log), recorded with it', async () => {
  const org = await makeOrg(t.db, 'school', 'École Objectante')
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const operator = await makeAdult(t.db)
  const [replaced] = await t.db.select().from(subprocessors).where(eq(subprocessors.name, 'Crisp'))
  const { change } = await announceChange(t.db, {
    kind: 'replacement',
    sub: { name: `Support ${crypto.randomUUID().slice(0, 6)}`, registrationNumber: '12345678900011', activity: 'Customer support', personalDataTransfer: false, contract: 'DPA' },
    replacesId: replaced!.id,
    description: 'Support hébergé en France.',
    by: operator.id,
  })
  const cookie = await cookieFor(t.db, dpo)
  const url = `/org/${org.id}/subprocessors`
  const row = async () =>
    (
      await t.db
        .select()
        .from(subprocessorChangeOrgs)
        .where(and(eq(subprocessorChangeOrgs.changeId, change.id), eq(subprocessorChangeOrgs.orgId, org.id)))
    )[0]!
  const objections = () =>
    t.db
      .select()
      .from(consentRecords)
      .where(and(eq(consentRecords.orgId, org.id), eq(consentRecords.event, 'objection_recorded')))

  refusedForConfirm(await post(subprocessorsPage.action, url, { orgId: org.id }, cookie, { intent: 'object', changeId: change.id }))
  expect((await row()).objectedAt).toBeNull()
  expect(await objections()).toHaveLength(0)

  expect((await post(subprocessorsPage.action, url, { orgId: org.id }, cookie, { intent: 'object', changeId: change.id, confirm: 'yes' })).status).toBe('success')
  expect((await row()).objectedAt).not.toBeNull()
  expect(await objections()).toHaveLength(1)
})

describe('ending a guardian link', () => {
  async function linked() {
    const org = await makeOrg(t.db, 'school', 'École des Liens')
    const cls = await makeClass(t.db, org.id, 'CP')
    const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Noé' })
    const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
    const guardian = await makeAdult(t.db)
    const link = await createLink(t.db, { orgId: org.id, childId: child.id, guardianId: guardian.id, legalStatus: 'parent', by: by(admin.id), via: 'code' })
    const ended = async () => (await t.db.select().from(guardianLinks).where(eq(guardianLinks.id, link.id)))[0]!.endedAt
    return { org, cls, child, admin, guardian, link, ended }
  }

  test('by the school (class families page): refused without the ticked box, ended with it', async () => {
    const s = await linked()
    const cookie = await cookieFor(t.db, s.admin)
    const url = `/org/${s.org.id}/classes/${s.cls.id}/guardians`
    const params = { orgId: s.org.id, classId: s.cls.id }
    refusedForConfirm(await post(classGuardians.action, url, params, cookie, { intent: 'end', linkId: s.link.id, childId: s.child.id }))
    expect(await s.ended()).toBeNull()
    expect((await post(classGuardians.action, url, params, cookie, { intent: 'end', linkId: s.link.id, childId: s.child.id, confirm: 'yes' })).status).toBe('success')
    expect(await s.ended()).not.toBeNull()
  })

  test('by the guardian (their child’s page): refused without the ticked box, ended with it', async () => {
    const s = await linked()
    const cookie = await cookieFor(t.db, s.guardian)
    const url = `/children/${s.child.id}`
    refusedForConfirm(await post(guardianChild.action, url, { childId: s.child.id }, cookie, { intent: 'remove-link', orgId: s.org.id, linkId: s.link.id }))
    expect(await s.ended()).toBeNull()
    const res = (await post(guardianChild.action, url, { childId: s.child.id }, cookie, { intent: 'remove-link', orgId: s.org.id, linkId: s.link.id, confirm: 'on' })) as Response
    expect(res.status).toBe(302)
    expect(await s.ended()).not.toBeNull()
  })
})

test('deleting a class group: refused without the ticked box, deleted with it (its pupils stay in the class)', async () => {
  const org = await makeOrg(t.db, 'school', 'École des Groupes')
  const cls = await makeClass(t.db, org.id, 'CE2')
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const group = await createGroup(t.db, { orgId: org.id, classId: cls.id, name: 'Lecteurs', by: by(admin.id) })
  const cookie = await cookieFor(t.db, admin)
  const url = `/org/${org.id}/classes/${cls.id}`
  const params = { orgId: org.id, classId: cls.id }
  const exists = async () => (await t.db.select().from(groups).where(eq(groups.id, group.id))).length
  refusedForConfirm(await post(classPage.action, url, params, cookie, { intent: 'group-delete', groupId: group.id }))
  expect(await exists()).toBe(1)
  expect((await post(classPage.action, url, params, cookie, { intent: 'group-delete', groupId: group.id, confirm: 'yes' })).status).toBe('success')
  expect(await exists()).toBe(0)
})

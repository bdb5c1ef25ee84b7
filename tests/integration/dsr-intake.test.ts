// How requests come in: the public form (the request counts only once the emailed code is
// typed; nothing says whether the named child exists), the in-app form, and the operator's log.
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { and, desc, eq } from 'drizzle-orm'
import { auditEvents, outboxMails, rightsRequests } from '../../drizzle/schema'
import { HOUR, useFakeClock } from '~/clock.server'
import { sweepForwarding } from '~/privacy/rights-requests/forwarding.server'
import { submitPublicRequest, verifyRequestEmail } from '~/privacy/rights-requests/intake.server'
import { closeQueues } from '../../app/queue/job.server'
import * as publicForm from '~/routes/rights-request'
import * as verifyPage from '~/routes/rights-request_.verify'
import * as inApp from '~/routes/rights-request_.account'
import * as operatorList from '~/routes/operator.requests'
import * as operatorNew from '~/routes/operator.requests_.new'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { cookieFor, get, post } from './dsr-helpers'

process.env.CARNET_QUEUE_PREFIX = `carnet-test-${randomBytes(4).toString('hex')}`
delete process.env.REDIS_URL

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
const origin = { ip: '203.0.113.50', userAgent: 'vitest' }
beforeAll(async () => {
  t = await useTestDatabase()
})
afterEach(() => {
  clock?.restore()
  clock = null
})
afterAll(async () => {
  await closeQueues()
  await dropTestDatabase(t.name)
})

const lastMail = async (to: string) => (await t.db.select().from(outboxMails).where(eq(outboxMails.to, to)).orderBy(desc(outboxMails.createdAt)))[0]
const reload = async (id: string) => (await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, id)))[0]!

async function school() {
  const org = await makeOrg(t.db, 'school', `École ${randomBytes(3).toString('hex')}`)
  const cls = await makeClass(t.db, org.id)
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Ömer', lastName: 'Yılmaz', birthDate: '2017-06-21' })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  return { org, cls, child, dpo }
}

function form(orgId: string, email: string, extra: Record<string, string> = {}) {
  return {
    intent: 'submit',
    orgId,
    kind: 'access',
    relation: 'guardian',
    requesterName: 'Ayşe Yılmaz',
    requesterEmail: email,
    subjectFirstName: 'Omer',
    subjectLastName: 'YILMAZ',
    subjectBirthDate: '2017-06-21',
    message: '',
    ...extra,
  }
}

test('public form → emailed 6-digit code → the request counts only then; wrong codes are limited', async () => {
  const s = await school()
  const email = `ayse.${randomBytes(3).toString('hex')}@example.org`
  const res = (await post(publicForm.action, '/rights-request', {}, null, form(s.org.id, email))) as Response
  expect(res.status).toBe(302)
  const id = new URL(res.headers.get('location')!, 'http://x').searchParams.get('id')!
  const r0 = await reload(id)
  expect(r0).toMatchObject({ status: 'awaiting_verification', receivedAt: null, forwardDueAt: null, subjectId: s.child.id, channel: 'public_form' })
  expect(r0.verificationCodeHash).not.toContain((await lastMail(email))!.text.match(/(?:code de confirmation|confirmation code)\s*:\s*(\d{6})\b/i)![1])
  const code = (await lastMail(email))!.text.match(/(?:code de confirmation|confirmation code)\s*:\s*(\d{6})\b/i)![1]!
  // Not counted: the sweep neither forwards nor flags it.
  expect((await sweepForwarding(t.db, { warn() {} })).forwarded).toBe(0)

  const page = (await get(verifyPage.loader, `/rights-request/verify?id=${id}`, {}, null)) as { verified: boolean; email: string }
  expect(page).toMatchObject({ verified: false })
  expect(page.email).not.toBe(email) // masked
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
  const bad = await post(verifyPage.action, `/rights-request/verify?id=${id}`, {}, null, { intent: 'verify', code: wrong })
  expect(bad.error.code.join(' ')).toMatch(/Code incorrect/)
  const ok = await post(verifyPage.action, `/rights-request/verify?id=${id}`, {}, null, { intent: 'verify', code })
  expect(ok.status).toBe('success')
  const r1 = await reload(id)
  expect(r1.status === 'received' || r1.status === 'forwarded').toBe(true)
  expect(r1.receivedAt).not.toBeNull()
  expect(r1.forwardDueAt!.getTime() - r1.receivedAt!.getTime()).toBe(48 * HOUR)
  expect(r1.verificationCodeHash).toBeNull()
  expect(((await get(verifyPage.loader, `/rights-request/verify?id=${id}`, {}, null)) as { verified: boolean }).verified).toBe(true)

  // Five wrong codes lock a request.
  const other = await submitPublicRequest(t.db, { ...form(s.org.id, `x${email}`), kind: 'erasure', subjectBirthDate: null, message: null, relation: 'guardian', lang: 'fr', origin } as never)
  for (let i = 0; i < 5; i++) await verifyRequestEmail(t.db, { id: other.id, code: '000000x', origin }).catch(() => {})
  const rightCode = (await lastMail(`x${email}`))!.text.match(/(?:code de confirmation|confirmation code)\s*:\s*(\d{6})\b/i)![1]!
  await expect(verifyRequestEmail(t.db, { id: other.id, code: rightCode, origin })).rejects.toMatchObject({ code: 'dsr.verify.locked' })
})

test('the form answers the same whether or not the named child exists; the DPO then names the subject', async () => {
  const s = await school()
  const email = `nobody.${randomBytes(3).toString('hex')}@example.org`
  const res = (await post(publicForm.action, '/rights-request', {}, null, form(s.org.id, email, { subjectFirstName: 'Personne', subjectLastName: 'Inconnue' }))) as Response
  expect(res.status).toBe(302)
  const id = new URL(res.headers.get('location')!, 'http://x').searchParams.get('id')!
  expect((await reload(id)).subjectId).toBeNull()
  expect((await reload(id)).subjectName).toBe('Personne Inconnue')
})

test('anti-abuse: at most 3 unconfirmed requests per email per hour; unconfirmed requests are deleted after a day', async () => {
  clock = useFakeClock('2027-06-01T08:00:00Z')
  const s = await school()
  const email = `spam.${randomBytes(3).toString('hex')}@example.org`
  for (let i = 0; i < 3; i++) expect(((await post(publicForm.action, '/rights-request', {}, null, form(s.org.id, email))) as Response).status).toBe(302)
  const refused = await post(publicForm.action, '/rights-request', {}, null, form(s.org.id, email))
  expect(refused.error[''].join(' ')).toMatch(/Trop de demandes/)
  clock.advance(25 * HOUR)
  const swept = await sweepForwarding(t.db, { warn() {} })
  expect(swept.purgedUnverified).toBeGreaterThanOrEqual(3)
  expect(await t.db.select().from(rightsRequests).where(eq(rightsRequests.requesterEmail, email))).toHaveLength(0)
})

test('in-app: an adult files for themself in their organization; a child may not use the form', async () => {
  const s = await school()
  const teacher = await makeAdult(t.db, { orgId: s.org.id, role: 'teacher' })
  const cookie = await cookieFor(t.db, teacher)
  const page = (await get(inApp.loader, '/rights-request/account', {}, cookie)) as { subjects: { value: string; relation: string }[] }
  expect(page.subjects).toEqual([expect.objectContaining({ value: `${s.org.id}:${teacher.id}`, relation: 'self' })])
  // The account's email is not verified yet (factories): the form says so.
  const unverified = await post(inApp.action, '/rights-request/account', {}, cookie, { intent: 'request', subject: `${s.org.id}:${teacher.id}`, kind: 'access' })
  expect(unverified.error[''].join(' ')).toMatch(/Vérifiez d'abord/)
  await t.sql`update users set email_verified_at = now() where id = ${teacher.id}`
  const verifiedCookie = await cookieFor(t.db, teacher)
  const done = await post(inApp.action, '/rights-request/account', {}, verifiedCookie, {
    intent: 'request',
    subject: `${s.org.id}:${teacher.id}`,
    kind: 'access',
    message: 'Mes journaux de connexion',
  })
  expect(done.status).toBe('success')
  const [row] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.requesterUserId, teacher.id))
  expect(row).toMatchObject({ channel: 'in_app', subjectId: teacher.id, requesterEmail: teacher.email, requesterRelation: 'self' })
  expect(row!.receivedAt).not.toBeNull()
  // The same right again while the first is open: refused with its reference, nothing written —
  // also when the two arrive at once (a double click).
  const again = () => post(inApp.action, '/rights-request/account', {}, verifiedCookie, { intent: 'request', subject: `${s.org.id}:${teacher.id}`, kind: 'access', message: 'Encore' })
  const twice = await Promise.all([again(), again()])
  for (const r of twice) expect(r.error[''].join(' ')).toContain(`Vous avez déjà une demande de ce type en cours pour cette personne (${row!.reference})`)
  expect(await t.db.select().from(rightsRequests).where(eq(rightsRequests.requesterUserId, teacher.id))).toHaveLength(1)
  // Another right is another request.
  const other = await post(inApp.action, '/rights-request/account', {}, verifiedCookie, { intent: 'request', subject: `${s.org.id}:${teacher.id}`, kind: 'rectification', message: 'Mon nom' })
  expect(other.status).toBe('success')
  // A subject outside the person's reach is refused.
  const forged = await post(inApp.action, '/rights-request/account', {}, await cookieFor(t.db, teacher), { intent: 'request', subject: `${s.org.id}:${s.child.id}`, kind: 'access' })
  expect(forged.error.subject).toBeTruthy()
  const child = (await get(inApp.loader, '/rights-request/account', {}, await cookieFor(t.db, s.child))) as Response
  expect(child.status).toBe(403)
})

test('operator: only a platform operator logs a request received by post; its 48 hours run from the date it arrived', async () => {
  const s = await school()
  const operator = await makeAdult(t.db)
  const stranger = await makeAdult(t.db)
  process.env.CARNET_OPERATOR_IDS = `${operator.id}`
  try {
    expect(((await get(operatorList.loader, '/operator/requests', {}, await cookieFor(t.db, stranger))) as Response).status).toBe(403)
    expect(((await get(operatorNew.loader, '/operator/requests/new', {}, await cookieFor(t.db, s.dpo))) as Response).status).toBe(403)
    const cookie = await cookieFor(t.db, operator)
    const at = new Date(Date.now() - 3 * 24 * HOUR)
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(at).replace(' ', 'T')
    const res = (await post(operatorNew.action, '/operator/requests/new', {}, cookie, {
      intent: 'log',
      orgId: s.org.id,
      via: 'post',
      receivedAt: local,
      kind: 'rectification',
      relation: 'guardian',
      requesterName: 'Ayşe Yılmaz',
      requesterEmail: 'ayse.post@example.org',
      subjectFirstName: 'Ömer',
      subjectLastName: 'Yılmaz',
      subjectBirthDate: '',
      message: 'Lettre : date de naissance erronée',
    })) as Response
    expect(res.status).toBe(302)
    const [row] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.requesterEmail, 'ayse.post@example.org'))
    expect(row).toMatchObject({ channel: 'operator_log', loggedBy: operator.id, subjectId: s.child.id })
    expect(Math.abs(row!.receivedAt!.getTime() - at.getTime())).toBeLessThan(60_000)
    // Three days old: flagged as forwarded late by the next sweep, which forwards it.
    expect(await sweepForwarding(t.db, { warn() {} })).toMatchObject({ flaggedOverdue: 1 })
    const list = (await get(operatorList.loader, '/operator/requests', {}, cookie)) as { rows: { reference: string; forwardingLate: boolean; forwardedAt: string | null }[] }
    expect(list.rows.find((r) => r.reference === row!.reference)).toMatchObject({ forwardingLate: true })
    expect(list.rows.find((r) => r.reference === row!.reference)!.forwardedAt).not.toBeNull()
    // Without the school's written instruction the operator cannot answer.
    const answer = await post(operatorList.action, '/operator/requests', {}, cookie, { intent: 'answer', requestId: row!.id, note: 'Nous corrigeons.' })
    expect(answer.error[''].join(' ')).toMatch(/instruction écrite/)
    expect(
      await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'dsr.received'), eq(auditEvents.targetId, row!.id))),
    ).toMatchObject([{ actorId: operator.id }])
  } finally {
    delete process.env.CARNET_OPERATOR_IDS
  }
})

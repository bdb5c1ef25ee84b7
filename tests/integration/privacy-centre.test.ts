// Issue 13 §5, the privacy centre: the public form finds a school by search (name, town, code —
// never a family space, never a list of every school), a signed-in requester follows their own
// requests on "My requests" and nobody else's, and a public requester follows theirs through
// the status link mailed with the receipt, until 90 days after the answer.
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { and, desc, eq, like } from 'drizzle-orm'
import { auditEvents, organizations, outboxMails, rightsRequests, users } from '../../drizzle/schema'
import { DAY, now, useFakeClock } from '~/clock.server'
import { signUp } from '~/auth/signup.server'
import { closeRequest, extendDeadline, setSubject, verifyIdentity } from '~/privacy/rights-requests/handling.server'
import { releasePackage } from '~/privacy/rights-requests/package-links.server'
import { forwardRequest } from '~/privacy/rights-requests/forwarding.server'
import { createReceivedRequest, submitPublicRequest, verifyRequestEmail } from '~/privacy/rights-requests/intake.server'
import { SCHOOL_SEARCH_MAX as MAX_RESULTS } from '~/privacy/rights-requests/constants'
import { searchSchools } from '~/privacy/rights-requests/school-search.server'
import * as publicForm from '~/routes/rights-request'
import * as statusPage from '~/routes/rights-request_.status.$token'
import * as myRequestsPage from '~/routes/account_.requests'
import * as myRequestPage from '~/routes/account_.requests.$requestId'
import * as statusPackage from '~/routes/rights-request_.status.$token_.package'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { cookieFor, get, post } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
const origin = { ip: '198.51.100.7', userAgent: 'vitest' }
const tag = () => randomBytes(3).toString('hex')

beforeAll(async () => {
  t = await useTestDatabase()
})
afterEach(() => {
  clock?.restore()
  clock = null
})
afterAll(() => dropTestDatabase(t.name))

async function school(name: string, city: string | null = null, officialCode: string | null = null) {
  const org = await makeOrg(t.db, 'school', name)
  await t.db.update(organizations).set({ city, officialCode }).where(eq(organizations.id, org.id))
  return org
}

/** A loader's data: plain, or the `data()` of a page that sets its status. */
const unwrap = (r: any): { status: number; body: any } =>
  r && r.type === 'DataWithResponseInit' ? { status: r.init?.status ?? 200, body: r.data } : r instanceof Response ? { status: r.status, body: null } : { status: 200, body: r }

describe('school search on the public form', () => {
  const k = tag()
  let hugo: { id: string }, moulin: { id: string }, family: { id: string }
  beforeAll(async () => {
    hugo = await school(`École Victor Hugo ${k}`, `Villeurbanne-${k}`, `069${k}X`)
    moulin = await school(`Collège Jean Moulin ${k}`, 'Lyon')
    // A family space that would match every query below: it must never come out.
    family = await makeOrg(t.db, 'family', `Famille Victor Hugo ${k}`)
    await t.db
      .update(organizations)
      .set({ city: `Villeurbanne-${k}`, officialCode: `069${k}Y` })
      .where(eq(organizations.id, family.id))
  })

  test('by name, accents and case folded; a family space never', async () => {
    const r = await searchSchools(t.db, `ecole VICTOR hugo ${k}`)
    expect(r).toEqual({ state: 'found', more: false, schools: [expect.objectContaining({ id: hugo.id, name: `École Victor Hugo ${k}`, city: `Villeurbanne-${k}` })] })
    const moulins = await searchSchools(t.db, `jean moulin ${k}`)
    expect(moulins.state === 'found' && moulins.schools.map((s) => s.id)).toEqual([moulin.id])
    const families = await searchSchools(t.db, `famille victor hugo ${k}`)
    expect(families).toEqual({ state: 'found', more: false, schools: [] })
  })

  test('by town and by the start of the official code; the family space with the same town and code stays out', async () => {
    const byTown = await searchSchools(t.db, `villeurbanne ${k}`)
    expect(byTown.state === 'found' && byTown.schools.map((s) => s.id)).toEqual([hugo.id])
    const byCode = await searchSchools(t.db, `069${k}`)
    expect(byCode.state === 'found' && byCode.schools.map((s) => s.id)).toEqual([hugo.id])
    const familyCode = await searchSchools(t.db, `069${k}y`)
    expect(familyCode).toEqual({ state: 'found', more: false, schools: [] })
  })

  test('a query under 3 letters or digits is refused; none lists every school', async () => {
    expect(await searchSchools(t.db, 'vi')).toEqual({ state: 'too_short', min: 3 })
    expect(await searchSchools(t.db, ' v-i ')).toEqual({ state: 'too_short', min: 3 })
    expect(await searchSchools(t.db, '%%%_')).toEqual({ state: 'empty' })
    expect(await searchSchools(t.db, '')).toEqual({ state: 'empty' })
    // The page without a query holds no school at all.
    const page = unwrap(await get(publicForm.loader, '/rights-request', {}, null))
    expect(page.body.search).toEqual({ state: 'empty' })
    expect(JSON.stringify(page.body)).not.toContain(hugo.id)
  })

  test('a school signing up gives its town and code, and is found by them; a family space keeps neither', async () => {
    const c = tag()
    const base = { firstName: 'Anne', lastName: 'Directrice', password: 'un-mot-de-passe-très-solide-2026', acceptTerms: 'on' as const, lang: 'fr' as const, origin }
    const { org } = await signUp(t.db, {
      ...base,
      orgKind: 'school',
      orgName: `École des Tilleuls ${c}`,
      orgCity: `Saint-Étienne-${c}`,
      orgCode: `042${c}Z`.toUpperCase(),
      email: `dir.${c}@example.org`,
    })
    const { org: fam } = await signUp(t.db, { ...base, orgKind: 'family', orgName: `Famille Tilleul ${c}`, orgCity: `Saint-Étienne-${c}`, orgCode: `042${c}W`, email: `fam.${c}@example.org` })
    expect(fam).toMatchObject({ city: null, officialCode: null })
    const byTown = await searchSchools(t.db, `saint etienne ${c}`)
    expect(byTown.state === 'found' && byTown.schools.map((s) => s.id)).toEqual([org.id])
    const byCode = await searchSchools(t.db, `042${c}`)
    expect(byCode.state === 'found' && byCode.schools.map((s) => s.id)).toEqual([org.id])
  })

  test(`at most ${MAX_RESULTS} results, and the page says there are more`, async () => {
    const c = tag()
    for (let i = 0; i < MAX_RESULTS + 3; i++) await school(`École Capucine ${c} ${String(i).padStart(2, '0')}`)
    const r = await searchSchools(t.db, `capucine ${c}`)
    expect(r.state === 'found' && r.schools.length).toBe(MAX_RESULTS)
    expect(r.state === 'found' && r.more).toBe(true)
  })

  test('without JavaScript: the GET search fills the page with the choice, and the request posts with it', async () => {
    const page = unwrap(await get(publicForm.loader, `/rights-request?school=${encodeURIComponent(`Villeurbanne-${k}`)}`, {}, null))
    expect(page.body.search.schools.map((s: { id: string }) => s.id)).toEqual([hugo.id])
    const email = `julie.${tag()}@example.org`
    const res = (await post(publicForm.action, `/rights-request?school=Villeurbanne-${k}`, {}, null, {
      intent: 'submit',
      orgId: hugo.id,
      kind: 'access',
      relation: 'self',
      requesterName: 'Julie Martin',
      requesterEmail: email,
    })) as Response
    expect(res.status).toBe(302)
    expect(await t.db.select().from(rightsRequests).where(eq(rightsRequests.requesterEmail, email))).toHaveLength(1)
  })

  test('an unknown school or a family space: a clear message on the school field, in the page’s language, and nothing written', async () => {
    const email = `nobody.${tag()}@example.org`
    const fields = { intent: 'submit', kind: 'access', relation: 'self', requesterName: 'Julie Martin', requesterEmail: email }
    const fr = await post(publicForm.action, '/rights-request', {}, null, { ...fields, orgId: crypto.randomUUID() })
    expect(fr.error?.orgId).toEqual(['Établissement introuvable : recherchez-le par son nom, sa ville ou son code, puis choisissez-le dans les résultats.'])
    const req = new Request('http://localhost/rights-request', {
      method: 'POST',
      headers: { 'accept-language': 'en-GB,en;q=0.9', 'x-carnet-remote-addr': '127.0.0.1', 'user-agent': 'vitest' },
      body: new URLSearchParams({ ...fields, orgId: family.id }),
    })
    const en = (await publicForm.action({ request: req, params: {}, context: {} })) as any
    expect(en.error?.orgId).toEqual(['School not found: search for it by name, town or code, then pick it from the results.'])
    expect(await t.db.select().from(rightsRequests).where(eq(rightsRequests.requesterEmail, email))).toEqual([])
    expect(await t.db.select().from(outboxMails).where(eq(outboxMails.to, email))).toEqual([])
  })
})

describe('My requests', () => {
  async function setup() {
    const org = await makeOrg(t.db)
    const cls = await makeClass(t.db, org.id)
    const child = await makeChild(t.db, { orgId: org.id, classId: cls.id })
    const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
    const mine = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
    const other = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
    await t.db.update(users).set({ emailVerifiedAt: now() }).where(eq(users.id, mine.id))
    const file = (by: { id: string | null; email: string }, channel: 'in_app' | 'operator_log' = 'in_app') =>
      createReceivedRequest(t.db, {
        orgId: org.id,
        kind: 'access',
        channel,
        subjectId: child.id,
        subjectName: null,
        requesterEmail: by.email,
        requesterName: 'Parent',
        requesterUserId: by.id,
        relation: 'guardian',
        message: null,
        lang: 'fr',
        receivedAt: now(),
        actorId: by.id ?? dpo.id,
        origin,
      })
    const inApp = await file({ id: mine.id, email: mine.email! })
    // Received by post, with the email this person's account has verified: theirs too.
    const byPost = await file({ id: null, email: mine.email!.toUpperCase() }, 'operator_log')
    const others = await file({ id: other.id, email: other.email! })
    return { org, dpo, mine, other, inApp, byPost, others }
  }

  test('lists only the requester’s own requests, with status, deadlines (extended) and the answer', async () => {
    const s = await setup()
    await extendDeadline(t.db, { orgId: s.org.id, requestId: s.inApp.id, actorId: s.dpo.id, origin, months: 2, reason: 'Dossier volumineux à rassembler.' })
    await closeRequest(t.db, { orgId: s.org.id, requestId: s.byPost.id, actorId: s.dpo.id, origin, outcome: 'no_data', note: 'Aucune donnée au nom indiqué.' })
    const page = unwrap(await get(myRequestsPage.loader, '/account/requests', {}, await cookieFor(t.db, s.mine)))
    const byId = Object.fromEntries(page.body.requests.map((r: { id: string }) => [r.id, r]))
    expect(Object.keys(byId).sort()).toEqual([s.inApp.id, s.byPost.id].sort())
    expect(byId[s.inApp.id]).toMatchObject({ reference: s.inApp.reference, kind: 'access', status: 'received', extensionReason: 'Dossier volumineux à rassembler.', outcome: null })
    expect(byId[s.inApp.id].extendedDueAt).not.toBeNull()
    expect(new Date(byId[s.inApp.id].extendedDueAt) > new Date(byId[s.inApp.id].dueAt)).toBe(true)
    expect(byId[s.inApp.id].forwardDueAt).not.toBeNull()
    expect(byId[s.byPost.id]).toMatchObject({ status: 'closed', outcome: 'no_data', outcomeNote: 'Aucune donnée au nom indiqué.' })
    expect(byId[s.byPost.id].closedAt).not.toBeNull()
    // What the page sends holds nothing the requester did not give (no subject, no DPO id).
    expect(JSON.stringify(page.body)).not.toContain(s.dpo.id)
    // The other parent sees only theirs.
    const theirs = unwrap(await get(myRequestsPage.loader, '/account/requests', {}, await cookieFor(t.db, s.other)))
    expect(theirs.body.requests.map((r: { id: string }) => r.id)).toEqual([s.others.id])
  })

  test('an email not verified does not bring in the requests filed with it', async () => {
    const s = await setup()
    await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, s.mine.id))
    const page = unwrap(await get(myRequestsPage.loader, '/account/requests', {}, await cookieFor(t.db, s.mine)))
    expect(page.body.requests.map((r: { id: string }) => r.id)).toEqual([s.inApp.id])
    expect(page.body.emailVerified).toBe(false)
  })

  test('one’s own request opens; another person’s is refused and the refusal audited — the school’s DPO included', async () => {
    const s = await setup()
    const own = unwrap(await get(myRequestPage.loader, `/account/requests/${s.inApp.id}`, { requestId: s.inApp.id }, await cookieFor(t.db, s.mine)))
    expect(own.body.request).toMatchObject({ id: s.inApp.id, reference: s.inApp.reference, status: 'received' })
    for (const who of [s.mine, s.dpo]) {
      const res = await get(myRequestPage.loader, `/account/requests/${s.others.id}`, { requestId: s.others.id }, await cookieFor(t.db, who))
      expect(res).toBeInstanceOf(Response)
      expect(res.status).toBe(403)
      const audit = await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, who.id), eq(auditEvents.targetId, s.others.id)))
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ outcome: 'denied', targetType: 'RightsRequest' })
    }
    // An id that names nothing, or is not an id: 404.
    expect((await get(myRequestPage.loader, `/account/requests/${crypto.randomUUID()}`, { requestId: crypto.randomUUID() }, await cookieFor(t.db, s.mine))).status).toBe(404)
    expect((await get(myRequestPage.loader, '/account/requests/nope', { requestId: 'nope' }, await cookieFor(t.db, s.mine))).status).toBe(404)
  })
})

describe('the status link of a public request', () => {
  async function publicRequest() {
    const org = await makeOrg(t.db)
    const cls = await makeClass(t.db, org.id)
    await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Zoé', lastName: 'Müller' })
    const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
    const email = `julie.${tag()}@example.org`
    const r = await submitPublicRequest(t.db, {
      orgId: org.id,
      kind: 'access',
      relation: 'guardian',
      requesterName: 'Julie Müller',
      requesterEmail: email,
      subjectFirstName: 'Zoé',
      subjectLastName: 'Müller',
      subjectBirthDate: null,
      message: null,
      lang: 'fr',
      origin,
    })
    const [codeMail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, email))
    await verifyRequestEmail(t.db, { id: r.id, code: /: (\d{6})/.exec(codeMail!.text)![1]!, origin })
    expect((await forwardRequest(t.db, r.id)).forwarded).toBe(true)
    const [receipt] = await t.db
      .select()
      .from(outboxMails)
      .where(and(eq(outboxMails.to, email), like(outboxMails.subject, 'Accusé de réception%')))
      .orderBy(desc(outboxMails.createdAt))
    const token = /\/rights-request\/status\/([A-Za-z0-9_-]+)/.exec(receipt!.text)?.[1]
    return { org, dpo, r, email, token: token!, receipt: receipt! }
  }
  const open = (token: string) => get(statusPage.loader, `/rights-request/status/${token}`, { token }, null).then(unwrap)

  test('the receipt carries a long random link, stored only as its hash; it opens the request without signing in', async () => {
    clock = useFakeClock('2026-11-02T09:00:00Z')
    const p = await publicRequest()
    expect(p.receipt.text).toContain('Suivez votre demande : http')
    expect(p.token).toMatch(/^[A-Za-z0-9_-]{43}$/) // 256 bits
    const [row] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, p.r.id))
    expect(row!.statusTokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(row!.statusTokenHash).not.toContain(p.token)
    const page = await open(p.token)
    expect(page.status).toBe(200)
    expect(page.body.request).toMatchObject({ reference: p.r.reference, kind: 'access', status: 'forwarded', outcome: null })
    expect(page.body.request.dueAt).toBe(row!.dueAt!.toISOString())
    expect(page.body.request.forwardedAt).toBe(row!.forwardedAt!.toISOString())
    expect(page.body.linkExpiresAt).toBeNull()
    // The page names neither the child nor the requester.
    expect(JSON.stringify(page.body)).not.toMatch(/Zoé|Müller|julie\./)
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'dsr.status_viewed'), eq(auditEvents.targetId, p.r.id)))
    expect(audit).toMatchObject({ outcome: 'success', actorId: null })
  })

  test('the answer shows once closed; the link then works 90 days and says it has expired after (fake clock)', async () => {
    clock = useFakeClock('2026-11-02T09:00:00Z')
    const p = await publicRequest()
    clock.advance(10 * DAY)
    await closeRequest(t.db, { orgId: p.org.id, requestId: p.r.id, actorId: p.dpo.id, origin, outcome: 'fulfilled', note: 'Le dossier vous est remis.' })
    const closed = await open(p.token)
    expect(closed.body.request).toMatchObject({ status: 'closed', outcome: 'fulfilled', outcomeNote: 'Le dossier vous est remis.', closedAt: '2026-11-12T09:00:00.000Z' })
    expect(closed.body.linkExpiresAt).toBe('2027-02-10T09:00:00.000Z')
    clock.advance(89 * DAY)
    expect((await open(p.token)).status).toBe(200)
    clock.advance(2 * DAY)
    const expired = await open(p.token)
    expect(expired).toEqual({ status: 404, body: { state: 'expired', request: null, linkExpiresAt: null } })
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'dsr.status_viewed'), eq(auditEvents.outcome, 'failure')))
      .orderBy(desc(auditEvents.at))
    expect(audit!.details).toMatchObject({ reason: 'expired' })
  })

  test('an unknown or malformed link opens nothing', async () => {
    const p = await publicRequest()
    const wrong = randomBytes(32).toString('base64url')
    expect(await open(wrong)).toEqual({ status: 404, body: { state: 'unknown', request: null, linkExpiresAt: null } })
    expect(await open(p.token.slice(0, 42))).toEqual({ status: 404, body: { state: 'unknown', request: null, linkExpiresAt: null } })
    expect(await open(`${p.token}'--`)).toEqual({ status: 404, body: { state: 'unknown', request: null, linkExpiresAt: null } })
  })

  test('a request filed in the app is followed on "My requests": its receipt links there, with no status token', async () => {
    const org = await makeOrg(t.db)
    await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
    const parent = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
    const r = await createReceivedRequest(t.db, {
      orgId: org.id,
      kind: 'question',
      channel: 'in_app',
      subjectId: parent.id,
      subjectName: null,
      requesterEmail: parent.email!,
      requesterName: 'Parent',
      requesterUserId: parent.id,
      relation: 'self',
      message: null,
      lang: 'en',
      receivedAt: now(),
      actorId: parent.id,
      origin,
    })
    await forwardRequest(t.db, r.id)
    const [receipt] = await t.db
      .select()
      .from(outboxMails)
      .where(and(eq(outboxMails.to, parent.email!), like(outboxMails.subject, 'Acknowledgement%')))
    expect(receipt!.text).toContain(`Follow your request: http`)
    expect(receipt!.text).toContain(`/account/requests/${r.id}`)
    const [row] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, r.id))
    expect(row!.statusTokenHash).toBeNull()
  })
})

describe('the released access package, from the status link', () => {
  test('the status page offers it once released, and its download counts against the released link’s limit', async () => {
    const org = await makeOrg(t.db)
    const cls = await makeClass(t.db, org.id)
    const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Zoé', lastName: 'Müller' })
    const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
    const email = `julie.${tag()}@example.org`
    const req = await createReceivedRequest(t.db, {
      orgId: org.id,
      kind: 'access',
      channel: 'operator_log',
      subjectId: null,
      subjectName: 'Zoé Müller',
      requesterEmail: email,
      requesterName: 'Julie Müller',
      relation: 'guardian',
      message: null,
      lang: 'fr',
      receivedAt: now(),
      loggedBy: dpo.id,
      actorId: dpo.id,
      origin,
    })
    await forwardRequest(t.db, req.id)
    const [receipt] = await t.db
      .select()
      .from(outboxMails)
      .where(and(eq(outboxMails.to, email), like(outboxMails.subject, 'Accusé de réception%')))
    const token = /\/rights-request\/status\/([A-Za-z0-9_-]{43})/.exec(receipt!.text)![1]!
    const url = `/rights-request/status/${token}`
    // Before the release: no offer, and a download is refused (back to the page).
    expect(unwrap(await get(statusPage.loader, url, { token }, null)).body.packageLink).toBeNull()
    const none = (await post(statusPackage.action, `${url}/package`, { token }, null, {})) as Response
    expect([none.status, none.headers.get('location')]).toEqual([302, url])

    const a = { orgId: org.id, requestId: req.id, actorId: dpo.id, origin }
    await setSubject(t.db, { ...a, subjectId: child.id })
    await verifyIdentity(t.db, { ...a, method: 'in_person', note: null })
    await releasePackage(t.db, a)
    const offered = unwrap(await get(statusPage.loader, url, { token }, null)).body.packageLink
    expect(offered).toMatchObject({ state: 'available', downloadsLeft: 3, maxDownloads: 3 })

    for (let i = 0; i < 3; i++) {
      const res = (await post(statusPackage.action, `${url}/package`, { token }, null, {})) as Response
      expect(res.headers.get('content-type')).toBe('application/zip')
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100)
    }
    const usedUp = (await post(statusPackage.action, `${url}/package`, { token }, null, {})) as Response
    expect([usedUp.status, usedUp.headers.get('location')]).toEqual([302, url])
    expect(unwrap(await get(statusPage.loader, url, { token }, null)).body.packageLink).toMatchObject({ state: 'used_up', downloadsLeft: 0 })
    // A wrong status link downloads nothing.
    const wrong = randomBytes(32).toString('base64url')
    const denied = (await post(statusPackage.action, `/rights-request/status/${wrong}/package`, { token: wrong }, null, {})) as Response
    expect([denied.status, denied.headers.get('location')]).toEqual([302, `/rights-request/status/${wrong}`])
    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'dsr.package_downloaded'), eq(auditEvents.targetId, req.id)))
    expect(audits.map((x) => x.outcome).sort()).toEqual(['failure', 'success', 'success', 'success'])
  })
})

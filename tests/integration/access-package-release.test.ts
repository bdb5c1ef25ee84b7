// Issue 13 §5: the access package is handed to the verified requester inside Carnet — the DPO
// releases it (confirmed), the requester gets an emailed link valid N days for at most M
// downloads, each download audited and counted under a lock, refused with a clear message
// once expired, used up, replaced by a newer link, or once the subject is erased (ADR 022).
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { and, desc, eq } from 'drizzle-orm'
import unzipper from 'unzipper'
import { accessPackageLinks, auditEvents, outboxMails, rightsRequestEvents, rightsRequests } from '../../drizzle/schema'
import { DAY, now, useFakeClock } from '~/clock.server'
import { createSession } from '~/auth/session.server'
import { appendConsent } from '~/compliance/consent-log.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import dpoEn from '~/i18n/messages/dpo.en'
import dpoFr from '~/i18n/messages/dpo.fr'
import { createReceivedRequest } from '~/privacy/rights-requests/intake.server'
import { setSubject, verifyIdentity } from '~/privacy/rights-requests/handling.server'
import { packageLinkOf, releasePackage } from '~/privacy/rights-requests/package-links.server'
import { requestDeletion } from '~/privacy/erasure/requests.server'
import { runDeletion } from '~/privacy/erasure/run.server'
import * as detail from '~/routes/org.$orgId.dpo.requests.$requestId/route'
import * as linkRoute from '~/routes/rights-request_.package.$token'
import * as downloadRoute from '~/routes/rights-request_.package.$token.download'
import * as statusRoute from '~/routes/rights-request_.status.$token'
import * as myRequestRoute from '~/routes/account_.requests.$requestId'
import * as myPackageRoute from '~/routes/account_.requests.$requestId.package'
import { issueStatusToken } from '~/privacy/rights-requests/status.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'
import { bytesOf, cookieFor, get, post } from './dsr-helpers'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let clock: ReturnType<typeof useFakeClock> | null = null
const origin = { ip: '198.51.100.9', userAgent: 'vitest' }
beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))
afterEach(() => {
  clock?.restore()
  clock = null
  delete process.env.CARNET_PACKAGE_LINK_DAYS
  delete process.env.CARNET_PACKAGE_LINK_DOWNLOADS
})

async function setup(opts: { kind?: 'access' | 'portability' | 'rectification'; verify?: boolean; lang?: 'fr' | 'en' } = {}) {
  const org = await makeOrg(t.db, 'school', 'École Jules Ferry')
  const cls = await makeClass(t.db, org.id, 'CM1 A')
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Zoé', lastName: 'Müller', birthDate: '2017-03-14' })
  const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const email = `parent-${Math.random().toString(36).slice(2)}@example.org`
  const req = await createReceivedRequest(t.db, {
    orgId: org.id,
    kind: opts.kind ?? 'access',
    channel: 'operator_log',
    subjectId: null,
    subjectName: 'Zoé Müller',
    requesterEmail: email,
    requesterName: 'Julie Martin',
    relation: 'guardian',
    message: null,
    lang: opts.lang ?? 'fr',
    receivedAt: now(),
    loggedBy: dpo.id,
    actorId: dpo.id,
    origin,
  })
  const a = { orgId: org.id, requestId: req.id, actorId: dpo.id, origin }
  await setSubject(t.db, { ...a, subjectId: child.id })
  if (opts.verify !== false) await verifyIdentity(t.db, { ...a, method: 'in_person', note: null })
  return { org, cls, child, dpo, admin, req, a, email, cookie: await cookieFor(t.db, dpo) }
}

/** The DPO's release, through the request page's action as the browser sends it. */
const releaseOnPage = (s: Awaited<ReturnType<typeof setup>>, fields: Record<string, string> = { intent: 'release', confirm: 'yes' }) =>
  post(detail.action, `/org/${s.org.id}/dpo/requests/${s.req.id}`, { orgId: s.org.id, requestId: s.req.id }, s.cookie, fields)

/** The link the requester received (the newest package mail to them). */
async function mailedLink(email: string) {
  const [m] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, email)).orderBy(desc(outboxMails.createdAt)).limit(1)
  const url = m?.text.match(/https?:\/\/\S+\/rights-request\/package\/([a-z0-9]+)/)
  return { mail: m!, url: url?.[0], token: url?.[1] ?? '' }
}

const headers = (lang: 'fr' | 'en') => ({ 'user-agent': 'vitest', 'x-carnet-remote-addr': '203.0.113.5', 'accept-language': lang })
async function openLink(token: string, lang: 'fr' | 'en' = 'fr') {
  const out = (await linkRoute.loader({ request: new Request(`http://localhost/rights-request/package/${token}`, { headers: headers(lang) }), params: { token }, context: {} })) as any
  return { status: out.init?.status ?? 200, page: out.data }
}
/** The download button: the package, or (refused) back to the link's page, whose message is returned. */
async function download(token: string, lang: 'fr' | 'en' = 'fr') {
  const out = (await downloadRoute.action({
    request: new Request(`http://localhost/rights-request/package/${token}/download`, { method: 'POST', headers: headers(lang), body: new URLSearchParams() }),
    params: { token },
    context: {},
  })) as Response
  if (out.headers.get('content-type') === 'application/zip') return { status: out.status, zip: await bytesOf(out), refused: null as string | null }
  expect(out.status).toBe(302)
  expect(out.headers.get('location')).toBe(`/rights-request/package/${token}`)
  const page = await openLink(token, lang)
  return { status: page.status as number, zip: null, refused: page.page.refused as string }
}

const downloadAudits = (requestId: string, outcome: 'success' | 'failure') =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'dsr.package_downloaded'), eq(auditEvents.targetId, requestId), eq(auditEvents.outcome, outcome)))

describe('releasing the package to the requester', () => {
  test('requires the verified identity, an access or portability request, and the ticked confirmation', async () => {
    const unverified = await setup({ verify: false })
    await expect(releasePackage(t.db, unverified.a)).rejects.toMatchObject({ code: 'dsr.identity.required' })
    const rectification = await setup({ kind: 'rectification' })
    await expect(releasePackage(t.db, rectification.a)).rejects.toMatchObject({ code: 'dsr.release.kind' })
    // The page: no ticked box, nothing released; then through the confirmation.
    const s = await setup({ kind: 'portability' })
    expect(await releaseOnPage(s, { intent: 'release' })).toMatchObject({ status: 'error', error: { confirm: [expect.any(String)] } })
    expect(await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id))).toEqual([])
    expect(await releaseOnPage(s)).toMatchObject({ status: 'success', for: 'release' })
    expect(await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id))).toHaveLength(1)
    // Nothing for the refused ones.
    for (const x of [unverified, rectification]) expect((await mailedLink(x.email)).token).toBe('')
  })

  test('the requester gets an email with an expiring link (14 days, 3 downloads by default); only its hash is stored', async () => {
    const s = await setup()
    await releaseOnPage(s)
    const { mail, url, token } = await mailedLink(s.email)
    expect(mail.subject).toContain(s.req.reference)
    expect(url).toBeDefined()
    expect(mail.text).toContain('3 téléchargements')
    const [link] = await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id))
    expect(link!.tokenHash).not.toContain(token)
    expect(link!.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(link!.maxDownloads).toBe(3)
    expect(link!.expiresAt.getTime() - link!.releasedAt.getTime()).toBe(14 * DAY)
    expect(
      await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'dsr.package_released'), eq(auditEvents.targetId, s.req.id))),
    ).toHaveLength(1)
    // The state the status page and the DPO's page show.
    expect(await packageLinkOf(t.db, { orgId: s.org.id, requestId: s.req.id })).toMatchObject({ state: 'available', downloadsLeft: 3, maxDownloads: 3 })
  })

  test('the settings change the link: CARNET_PACKAGE_LINK_DAYS and CARNET_PACKAGE_LINK_DOWNLOADS', async () => {
    process.env.CARNET_PACKAGE_LINK_DAYS = '7'
    process.env.CARNET_PACKAGE_LINK_DOWNLOADS = '1'
    const s = await setup()
    const { link } = await releasePackage(t.db, s.a)
    expect(link.maxDownloads).toBe(1)
    expect(link.expiresAt.getTime() - link.releasedAt.getTime()).toBe(7 * DAY)
  })
})

describe('downloading through the link', () => {
  test('opening the link counts nothing; the download serves the package, audited with who, when and which request', async () => {
    const s = await setup()
    await releaseOnPage(s)
    const { token } = await mailedLink(s.email)
    const opened = await openLink(token)
    expect(opened.status).toBe(200)
    expect(opened.page).toMatchObject({ reference: s.req.reference, orgName: 'École Jules Ferry', available: { left: 3 }, refused: null })
    expect((await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id)))[0]!.downloads).toBe(0)

    const got = await download(token)
    expect(got.status).toBe(200)
    const zip = await unzipper.Open.buffer(Buffer.from(got.zip!))
    const names = zip.files.map((f) => f.path)
    expect(names).toContain('summary.pdf')
    const usersJson = JSON.parse((await zip.files.find((f) => f.path === 'data/users.json')!.buffer()).toString('utf8'))
    expect(usersJson).toEqual([expect.objectContaining({ id: s.child.id, first_name: 'Zoé' })])

    const [entry] = await downloadAudits(s.req.id, 'success')
    expect(entry).toMatchObject({ orgId: s.org.id, targetType: 'rights_request', targetId: s.req.id, ip: '203.0.113.5', userAgent: 'vitest', actorId: null })
    expect(entry!.details).toMatchObject({ download: 1, of: 3 })
    expect(
      await t.db
        .select()
        .from(rightsRequestEvents)
        .where(and(eq(rightsRequestEvents.requestId, s.req.id), eq(rightsRequestEvents.kind, 'package_downloaded'))),
    ).toHaveLength(1)
    expect(await packageLinkOf(t.db, { orgId: s.org.id, requestId: s.req.id })).toMatchObject({ state: 'available', downloadsLeft: 2 })
  })

  test('30 parallel downloads of a 3-download link: exactly 3 packages, 27 refusals, all audited', async () => {
    const s = await setup()
    await releaseOnPage(s)
    const { token } = await mailedLink(s.email)
    const results = await Promise.all(Array.from({ length: 30 }, () => download(token)))
    expect(results.filter((r) => r.zip).length).toBe(3)
    const refused = results.filter((r) => !r.zip)
    expect(refused).toHaveLength(27)
    for (const r of refused) {
      expect(r.status).toBe(410)
      expect(r.refused).toContain('Ce lien a déjà servi 3 fois')
    }
    expect((await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id)))[0]!.downloads).toBe(3)
    expect(await downloadAudits(s.req.id, 'success')).toHaveLength(3)
    expect(await downloadAudits(s.req.id, 'failure')).toHaveLength(27)
    expect(await packageLinkOf(t.db, { orgId: s.org.id, requestId: s.req.id })).toMatchObject({ state: 'used_up', downloadsLeft: 0 })
  })

  test('an expired link (fake clock) is refused with the message in the visitor’s language, and serves nothing', async () => {
    const s = await setup()
    clock = useFakeClock(now())
    await releaseOnPage(s)
    const { token } = await mailedLink(s.email)
    clock.set(new Date(now().getTime() + 13 * DAY))
    expect((await openLink(token)).status).toBe(200)
    clock.set(new Date(now().getTime() + 2 * DAY))
    const fr = await openLink(token, 'fr')
    expect(fr.status).toBe(410)
    expect(fr.page.available).toBeNull()
    expect(fr.page.refused).toContain('Ce lien a expiré le')
    expect(fr.page.refused).toContain(s.req.reference)
    const en = await download(token, 'en')
    expect(en).toMatchObject({ status: 410, zip: null })
    expect(en.refused).toContain('This link expired on')
    expect(await downloadAudits(s.req.id, 'success')).toHaveLength(0)
    expect((await downloadAudits(s.req.id, 'failure'))[0]!.details).toMatchObject({ reason: 'expired' })
    expect(await packageLinkOf(t.db, { orgId: s.org.id, requestId: s.req.id })).toMatchObject({ state: 'expired' })
  })

  test('a re-release sends a new link and revokes the old one', async () => {
    const s = await setup()
    await releaseOnPage(s)
    const first = await mailedLink(s.email)
    await new Promise((r) => setTimeout(r, 5))
    expect(await releaseOnPage(s)).toMatchObject({ status: 'success' })
    const second = await mailedLink(s.email)
    expect(second.token).not.toBe(first.token)
    const old = await download(first.token)
    expect(old).toMatchObject({ status: 410, zip: null })
    expect(old.refused).toContain('remplacé par un lien plus récent')
    expect((await download(second.token)).zip).not.toBeNull()
    const links = await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id))
    expect(links.map((l) => l.revokeReason ?? 'active').sort()).toEqual(['active', 're_released'])
    expect(links.find((l) => l.revokedAt)!.revokedBy).toBe(s.dpo.id)
  })

  test('once the subject is erased after the release, the link no longer serves their data', async () => {
    const s = await setup()
    await releaseOnPage(s)
    const { token } = await mailedLink(s.email)
    const del = await requestDeletion(t.db, { subjectId: s.child.id, orgId: s.org.id, requestedBy: s.admin.id, role: 'admin', reason: 'left_school' })
    expect((await runDeletion(t.db, del.id)).status).toBe('erased')
    const [r] = await t.db.select().from(rightsRequests).where(eq(rightsRequests.id, s.req.id))
    expect(r!.subjectId).toBeNull()

    const opened = await openLink(token)
    expect(opened.status).toBe(410)
    expect(opened.page.refused).toContain('ont été effacées')
    const got = await download(token, 'en')
    expect(got).toMatchObject({ status: 410, zip: null })
    expect(got.refused).toContain('was erased')
    const [link] = await t.db.select().from(accessPackageLinks).where(eq(accessPackageLinks.requestId, s.req.id))
    expect(link).toMatchObject({ downloads: 0, revokeReason: 'erased' })
    // And no new release either.
    await expect(releasePackage(t.db, s.a)).rejects.toMatchObject({ code: 'dsr.release.erased' })
  })

  test('an unknown link says so, in the visitor’s language', async () => {
    expect(await openLink('nosuchtoken0000', 'en')).toMatchObject({ status: 404, page: { refused: expect.stringContaining('This link is not valid') } })
    expect(await download('nosuchtoken0000')).toMatchObject({ status: 404, zip: null, refused: expect.stringContaining("Ce lien n'est pas valide") })
  })
})

describe('the readable summary speaks in categories a parent understands', () => {
  /** Every table of the schema: none may appear in the summary, in either language. */
  async function tableNames() {
    const rows = await t.sql<{ table_name: string }[]>`select table_name from information_schema.tables where table_schema = 'public'`
    return rows.map((r) => r.table_name)
  }
  const wholeWord = (name: string) => new RegExp(`(^|[^a-z0-9_])${name}([^a-z0-9_]|$)`, 'i')

  async function summaryFor(lang: 'fr' | 'en') {
    const s = await setup({ lang })
    // Data in some categories (identity and school life from the factories; sign-ins, a consent,
    // the request itself), none in others (learning, guardianship, staff work).
    await createSession(t.db, s.child.id, { kind: 'child', userAgent: 'Tablette' })
    await appendConsent(t.db, { orgId: s.org.id, event: 'authorisation_obtained', state: 'given', subjectId: s.child.id, method: 'paper_form', details: { classId: s.cls.id } })
    await releasePackage(t.db, s.a)
    const { token } = await mailedLink(s.email)
    const got = await download(token)
    const zip = await unzipper.Open.buffer(Buffer.from(got.zip!))
    const file = (name: string) => zip.files.find((f) => f.path === name)!.buffer()
    return {
      pdf: (await extractPdfText(new Uint8Array(await file('summary.pdf')))).join('\n'),
      art15: (await file('ARTICLE-15-information.txt')).toString('utf8'),
      manifest: JSON.parse((await file('manifest.json')).toString('utf8')),
    }
  }

  test('in French: the categories holding data, with their counts, and no table name', async () => {
    const { pdf, art15, manifest } = await summaryFor('fr')
    for (const label of ['Données détenues, par catégorie', 'Identité', 'Vie scolaire', 'Connexions et appareils', 'Consentements et autorisations', 'Messages et demandes'])
      expect(pdf).toContain(label)
    for (const absent of ['Apprentissages et évaluations', 'Liens avec les responsables légaux', 'Activité en tant que membre du personnel']) expect(pdf).not.toContain(absent)
    expect(pdf).toContain('Zoé Müller')
    expect(pdf).toMatch(/Connexions et appareils[^]*?\(adresse IP, navigateur\)\s+1\n/)
    const names = await tableNames()
    expect(names).toEqual(expect.arrayContaining(['outbox_mails', 'erasure_tombstones', 'users', 'sessions', 'access_package_links']))
    for (const name of names) {
      expect(pdf, `table name "${name}" in the summary PDF`).not.toMatch(wholeWord(name))
      expect(art15, `table name "${name}" in the Article 15 text`).not.toMatch(wholeWord(name))
    }
    expect(art15).toContain('Identité (Données d')
    // The machine-readable part keeps the tables, with their category.
    expect(manifest.tables).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'sessions', category: 'connections', rows: 1 })]))
  })

  test('no words of the summary, in either language, name a table — the categories without data in this test included', async () => {
    const names = await tableNames()
    for (const [lang, catalogue] of [
      ['fr', dpoFr],
      ['en', dpoEn],
    ] as const) {
      const used = Object.entries(catalogue).filter(([k]) => /^dsr\.(package|art15|purpose|category)\./.test(k) && k !== 'dsr.package.readme')
      expect(used.length).toBeGreaterThan(30)
      for (const [key, text] of used) for (const name of names) expect(text, `${lang} ${key} names the table ${name}`).not.toMatch(wholeWord(name))
    }
  })

  test('in English, for an English request: the same categories in English, and no table name', async () => {
    const { pdf } = await summaryFor('en')
    for (const label of ['Data held, by category', 'Identity', 'School life', 'Sign-ins and devices', 'Consents and authorisations', 'Messages and requests']) expect(pdf).toContain(label)
    for (const absent of ['Learning and assessment', 'Links with parents and guardians', 'Work as a staff member', 'Identité']) expect(pdf).not.toContain(absent)
    for (const name of await tableNames()) expect(pdf, `table name "${name}" in the summary PDF`).not.toMatch(wholeWord(name))
  })
})

describe('on the requester’s own pages', () => {
  test('the public status page shows the released package: available with the downloads left, then used up', async () => {
    process.env.CARNET_PACKAGE_LINK_DOWNLOADS = '1'
    const s = await setup()
    const status = await issueStatusToken(t.db, s.req.id)
    const open = async () =>
      ((await statusRoute.loader({ request: new Request(`http://localhost/rights-request/status/${status}`, { headers: headers('fr') }), params: { token: status }, context: {} })) as any).data
    expect((await open()).packageLink).toBeNull()
    await releasePackage(t.db, s.a)
    expect((await open()).packageLink).toMatchObject({ state: 'available', downloadsLeft: 1, maxDownloads: 1 })
    const { token } = await mailedLink(s.email)
    expect((await download(token)).zip).not.toBeNull()
    expect((await open()).packageLink).toMatchObject({ state: 'used_up', downloadsLeft: 0 })
  })

  test('"My requests": the signed-in requester sees the package and downloads it within the same limits, audited as them; nobody else can', async () => {
    const org = await makeOrg(t.db, 'school', 'École des Lilas')
    const cls = await makeClass(t.db, org.id, 'CE1 B')
    const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Léo', lastName: 'Petit' })
    const dpo = await makeAdult(t.db, { orgId: org.id, role: 'dpo' })
    const parent = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
    const stranger = await makeAdult(t.db, { orgId: org.id, role: 'guardian' })
    const req = await createReceivedRequest(t.db, {
      orgId: org.id,
      kind: 'access',
      channel: 'in_app',
      subjectId: child.id,
      subjectName: null,
      requesterEmail: parent.email!,
      requesterName: 'Parent Petit',
      requesterUserId: parent.id,
      relation: 'guardian',
      message: null,
      lang: 'fr',
      receivedAt: now(),
      actorId: parent.id,
      origin,
    })
    const a = { orgId: org.id, requestId: req.id, actorId: dpo.id, origin }
    await verifyIdentity(t.db, { ...a, method: 'in_person', note: null })
    await releasePackage(t.db, a)
    const mine = await cookieFor(t.db, parent)
    const page = await get(myRequestRoute.loader, `/account/requests/${req.id}`, { requestId: req.id }, mine)
    expect(page.packageLink).toMatchObject({ state: 'available', downloadsLeft: 3 })

    const res = (await post(myPackageRoute.action, `/account/requests/${req.id}/package`, { requestId: req.id }, mine, {})) as Response
    expect(res.headers.get('content-type')).toBe('application/zip')
    const zip = await unzipper.Open.buffer(Buffer.from(await bytesOf(res)))
    expect(JSON.parse((await zip.files.find((f) => f.path === 'data/users.json')!.buffer()).toString('utf8'))).toEqual([expect.objectContaining({ id: child.id, first_name: 'Léo' })])
    const [entry] = await downloadAudits(req.id, 'success')
    expect(entry).toMatchObject({ actorId: parent.id })
    expect(entry!.details).toMatchObject({ download: 1, of: 3, via: 'account' })

    // Another adult: refused by the policy, nothing counted.
    const theirs = (await post(myPackageRoute.action, `/account/requests/${req.id}/package`, { requestId: req.id }, await cookieFor(t.db, stranger), {})) as Response
    expect(theirs.status).toBe(403)
    expect(await packageLinkOf(t.db, { orgId: org.id, requestId: req.id })).toMatchObject({ downloadsLeft: 2 })

    // Past the limit: no file, back to the request's page which says why.
    for (const _ of [2, 3]) await bytesOf((await post(myPackageRoute.action, `/account/requests/${req.id}/package`, { requestId: req.id }, mine, {})) as Response)
    const past = (await post(myPackageRoute.action, `/account/requests/${req.id}/package`, { requestId: req.id }, mine, {})) as Response
    expect(past.status).toBe(302)
    expect(past.headers.get('location')).toBe(`/account/requests/${req.id}`)
    expect((await get(myRequestRoute.loader, `/account/requests/${req.id}`, { requestId: req.id }, mine)).packageLink).toMatchObject({ state: 'used_up' })
  })
})

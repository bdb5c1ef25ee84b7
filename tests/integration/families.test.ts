// Families against a real database: the family plan's seats, parental consent gating the
// child's login, the school's authorisations gating it too, the 4-guardian limit, link codes
// (30-day expiry, single use, "not my child"), suspension, the second guardian's invitation,
// and the guardian invitations the roster import leaves waiting.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { and, desc, eq } from 'drizzle-orm'
import { consentRecords, guardianLinks, invitationChildren, invitations, linkAlerts, memberships, organizations, outboxMails, sessions } from '../../drizzle/schema'
import { DAY, MINUTE, useFakeClock } from '~/clock.server'
import { createSession } from '~/auth/session.server'
import { sha256Hex, randomToken } from '~/crypto.server'
import { computeCertificate } from '~/privacy/certificate/certificate.server'
import { extractPdfText } from '~/documents/pdf/extract-text'
import { issueChildCard } from '~/models/children/login-card.server'
import { childLoginBlockReason, loginWithCardToken, loginWithClassCode } from '~/models/children/child-login.server'
import { setChildUsernamePassword } from '~/models/children/child-admin.server'
import { loginWithPassword } from '~/models/accounts/password-login.server'
import { giveParentalConsent, recordAuthorisation, recordGuardiansInformed, withdrawParentalConsent } from '~/models/families/authorisations.server'
import { confirmLinkCode, inspectLinkCode, issueLinkCode, reportNotMyChild, sendGuardianInvitation } from '~/models/families/codes.server'
import { ageOn, digitalAgeOfConsent, needsParentalConsent } from '~/models/families/consent-age'
import { acceptFamilyInvitation, addFamilyChild, familyChildCard, inviteFamilyGuardian, listFamilyChildren } from '~/models/families/family.server'
import { printLinkLetters } from '~/models/families/letters.server'
import { createLink, endLink, MAX_GUARDIANS_PER_CHILD, resumeLink, suspendLink, updateLink } from '~/models/families/links.server'
import { guardianLinksFor } from '~/permissions/guardian-links.server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeChild, makeClass, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let n = 0
const origin = () => ({ ip: `10.9.${Math.floor(n / 200)}.${(n++ % 200) + 1}`, userAgent: 'vitest' })
const by = (actorId: string) => ({ actorId, ...origin() })

beforeAll(async () => {
  t = await useTestDatabase()
})
afterAll(() => dropTestDatabase(t.name))

let clock: ReturnType<typeof useFakeClock> | null = null
afterEach(() => {
  clock?.restore()
  clock = null
})

/** A birth date `years` years (and a few days) before now. */
function bornYearsAgo(years: number, at = new Date()) {
  const d = new Date(at)
  d.setUTCFullYear(d.getUTCFullYear() - years)
  d.setUTCDate(d.getUTCDate() - 10)
  return d.toISOString().slice(0, 10)
}

async function family(plan: 'solo' | 'family' = 'family', country = 'FR') {
  const org = await makeOrg(t.db, 'family', `Famille ${n++}`)
  await t.db.update(organizations).set({ plan, country }).where(eq(organizations.id, org.id))
  const parent = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  return { org: { ...org, plan, country }, parent }
}

async function school() {
  const org = await makeOrg(t.db, 'school')
  const cls = await makeClass(t.db, org.id)
  const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
  const child = await makeChild(t.db, { orgId: org.id, classId: cls.id, firstName: 'Zoé' })
  return { org, cls, admin, child }
}

describe('digital age of consent', () => {
  test('per-country table and age computed on the birthday', () => {
    expect(Object.fromEntries(['FR', 'BE', 'DE', 'ES', 'IT', 'NL', 'UK', 'IE'].map((c) => [c, digitalAgeOfConsent(c)]))).toEqual({
      FR: 15,
      BE: 13,
      DE: 16,
      ES: 14,
      IT: 14,
      NL: 16,
      UK: 13,
      IE: 16,
    })
    const at = new Date('2026-06-15T10:00:00Z')
    expect(ageOn('2011-06-15', at)).toBe(15)
    expect(ageOn('2011-06-16', at)).toBe(14)
    expect(needsParentalConsent('FR', '2011-06-16', at)).toBe(true)
    expect(needsParentalConsent('FR', '2011-06-15', at)).toBe(false)
    expect(needsParentalConsent('BE', '2012-06-15', at)).toBe(false) // 14 ≥ 13
    expect(needsParentalConsent('DE', '2011-06-15', at)).toBe(true) // 15 < 16
    expect(needsParentalConsent('FR', null, at)).toBe(true) // unknown age: ask
  })
})

describe('family space', () => {
  test('Family plan: 3 children, the 4th is refused with a clear message; Solo: 1', async () => {
    const { org, parent } = await family('family')
    for (const name of ['Léa', 'Tom', 'Inès']) await addFamilyChild(t.db, { orgId: org.id, firstName: name, lastName: 'Martin', birthDate: bornYearsAgo(8), by: by(parent.id) })
    await expect(addFamilyChild(t.db, { orgId: org.id, firstName: 'Hugo', lastName: 'Martin', birthDate: bornYearsAgo(6), by: by(parent.id) })).rejects.toMatchObject({
      code: 'families.child.seat_limit_family',
      vars: { max: 3 },
    })
    const list = await listFamilyChildren(t.db, { orgId: org.id, viewerId: parent.id })
    expect(list.children.map((c) => c.firstName).sort()).toEqual(['Inès', 'Léa', 'Tom'])
    expect(list.seats).toBe(3)
    // The parent who created them is linked to each, as a parent with every right.
    const links = await guardianLinksFor(t.db, parent.id)
    expect(links).toHaveLength(3)
    expect(links.every((l) => l.canGiveConsent && l.canSeeRecord)).toBe(true)

    const solo = await family('solo')
    await addFamilyChild(t.db, { orgId: solo.org.id, firstName: 'Emma', lastName: 'Roux', birthDate: bornYearsAgo(9), by: by(solo.parent.id) })
    await expect(addFamilyChild(t.db, { orgId: solo.org.id, firstName: 'Noé', lastName: 'Roux', birthDate: bornYearsAgo(7), by: by(solo.parent.id) })).rejects.toMatchObject({
      code: 'families.child.seat_limit_solo',
    })
  })

  test('two parents adding the last seat at once: only one succeeds', async () => {
    const { org, parent } = await family('solo')
    const results = await Promise.allSettled(['A', 'B'].map((x) => addFamilyChild(t.db, { orgId: org.id, firstName: x, lastName: 'Z', birthDate: bornYearsAgo(5), by: by(parent.id) })))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  })

  test('invalid profiles are refused: missing names, future or impossible birth dates', async () => {
    const { org, parent } = await family()
    const base = { orgId: org.id, firstName: 'A', lastName: 'B', birthDate: bornYearsAgo(5), by: by(parent.id) }
    await expect(addFamilyChild(t.db, { ...base, firstName: ' ' })).rejects.toMatchObject({ code: 'families.child.first_name_required' })
    await expect(addFamilyChild(t.db, { ...base, birthDate: '2099-01-01' })).rejects.toMatchObject({ code: 'families.child.birth_date_invalid' })
    await expect(addFamilyChild(t.db, { ...base, birthDate: '2020-02-31' })).rejects.toMatchObject({ code: 'families.child.birth_date_invalid' })
  })

  test('a 9-year-old cannot log in before a parent ticks the consent box; the record says who, which child, which version, when, how', async () => {
    const { org, parent } = await family()
    const child = await addFamilyChild(t.db, { orgId: org.id, firstName: 'Emma', lastName: 'Durand', birthDate: bornYearsAgo(9), by: by(parent.id) })
    const card = await familyChildCard(t.db, { orgId: org.id, childId: child.id, by: by(parent.id) })
    const token = card.url.split('/card/')[1]!
    expect(await childLoginBlockReason(t.db, child.id)).toBe('parental_consent_missing')
    expect(await loginWithCardToken(t.db, token, origin())).toMatchObject({ ok: false, reason: 'refused' })
    // The family code path refuses too.
    const list = await listFamilyChildren(t.db, { orgId: org.id, viewerId: parent.id })
    expect(list.familyCode).toMatch(/^[A-Z2-9]{6}$/)
    expect(await loginWithClassCode(t.db, { classCode: list.familyCode!, childId: child.id, code: card.code, origin: origin() })).toMatchObject({ ok: false, reason: 'refused' })

    // The box is not ticked: nothing is recorded.
    await expect(giveParentalConsent(t.db, { orgId: org.id, childId: child.id, ticked: false, canConsent: true, lang: 'fr', by: by(parent.id) })).rejects.toMatchObject({
      code: 'families.consent.tick_required',
    })
    // Someone without the right to consent cannot.
    await expect(giveParentalConsent(t.db, { orgId: org.id, childId: child.id, ticked: true, canConsent: false, lang: 'fr', by: by(parent.id) })).rejects.toMatchObject({
      code: 'families.consent.not_allowed',
    })
    const entry = await giveParentalConsent(t.db, { orgId: org.id, childId: child.id, ticked: true, canConsent: true, lang: 'fr', by: by(parent.id) })
    expect(entry).toMatchObject({
      event: 'parental_consent_given',
      state: 'given',
      subjectId: child.id,
      actorId: parent.id,
      onBehalfOf: child.id,
      documentKind: 'privacy',
      method: 'web_checkbox',
      language: 'fr',
    })
    expect(entry.documentVersion).toBeTruthy()
    expect(entry.at).toBeInstanceOf(Date)
    expect(await childLoginBlockReason(t.db, child.id)).toBeNull()
    const ok = await loginWithCardToken(t.db, token, origin())
    expect(ok).toMatchObject({ ok: true, childId: child.id })

    // Withdrawing: appended (never erased), open sessions end, login refused again.
    await withdrawParentalConsent(t.db, { orgId: org.id, childId: child.id, canConsent: true, lang: 'fr', by: by(parent.id) })
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, child.id))).toHaveLength(0)
    expect(await loginWithCardToken(t.db, token, origin())).toMatchObject({ ok: false, reason: 'refused' })
    const log = await t.db.select({ event: consentRecords.event }).from(consentRecords).where(eq(consentRecords.subjectId, child.id))
    expect(log.map((r) => r.event)).toEqual(['parental_consent_given', 'parental_consent_withdrawn'])
  })

  test('a child over the age of consent of the family’s country logs in without parental consent', async () => {
    const fr = await family('family', 'FR')
    const teen = await addFamilyChild(t.db, { orgId: fr.org.id, firstName: 'Léo', lastName: 'M', birthDate: bornYearsAgo(16), by: by(fr.parent.id) })
    expect(await childLoginBlockReason(t.db, teen.id)).toBeNull()
    const be = await family('family', 'BE')
    const be14 = await addFamilyChild(t.db, { orgId: be.org.id, firstName: 'Lou', lastName: 'B', birthDate: bornYearsAgo(14), by: by(be.parent.id) })
    expect(await childLoginBlockReason(t.db, be14.id)).toBeNull()
    const de = await family('family', 'DE')
    const de15 = await addFamilyChild(t.db, { orgId: de.org.id, firstName: 'Max', lastName: 'D', birthDate: bornYearsAgo(15), by: by(de.parent.id) })
    expect(await childLoginBlockReason(t.db, de15.id)).toBe('parental_consent_missing')
  })

  test('the second guardian accepts the Terms and Privacy Policy and gets the same rights (admin, linked to every child)', async () => {
    const { org, parent } = await family()
    const kid = await addFamilyChild(t.db, { orgId: org.id, firstName: 'Jade', lastName: 'P', birthDate: bornYearsAgo(7), by: by(parent.id) })
    const other = await makeAdult(t.db, { email: `other-${n++}@example.org` })
    const { token } = await inviteFamilyGuardian(t.db, { orgId: org.id, email: other.email!, by: by(parent.id), lang: 'fr' })
    const [mail] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, other.email!)).orderBy(desc(outboxMails.createdAt))
    expect(mail!.text).toContain(`/link/family/${token}`)
    await expect(acceptFamilyInvitation(t.db, { token, user: { id: other.id, email: other.email }, accepted: false, lang: 'fr', origin: origin() })).rejects.toMatchObject({
      code: 'families.link.accept_required',
    })
    await acceptFamilyInvitation(t.db, { token, user: { id: other.id, email: other.email }, accepted: true, lang: 'en', origin: origin() })
    const roles = (
      await t.db
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, other.id)))
    ).map((r) => r.role)
    expect(roles.sort()).toEqual(['admin', 'guardian'])
    expect((await guardianLinksFor(t.db, other.id)).map((l) => l.childId)).toEqual([kid.id])
    const accepted = await t.db
      .select()
      .from(consentRecords)
      .where(and(eq(consentRecords.orgId, org.id), eq(consentRecords.actorId, other.id)))
    expect(accepted.map((r) => [r.event, r.documentKind, r.language])).toEqual([
      ['terms_accepted', 'terms', 'en'],
      ['terms_accepted', 'privacy', 'en'],
    ])
    // The second parent can now consent for the child.
    await giveParentalConsent(t.db, { orgId: org.id, childId: kid.id, ticked: true, canConsent: true, lang: 'en', by: by(other.id) })
    expect(await childLoginBlockReason(t.db, kid.id)).toBeNull()
    // Single use.
    await expect(acceptFamilyInvitation(t.db, { token, user: { id: other.id, email: other.email }, accepted: true, lang: 'fr', origin: origin() })).rejects.toMatchObject({
      code: 'families.family_invite.accepted',
    })
  })
})

describe('school authorisations', () => {
  test('refused or withdrawn authorisation blocks every login path; each change is appended to the consent log', async () => {
    const s = await school()
    const card = await issueChildCard(t.db, { orgId: s.org.id, childId: s.child.id })
    expect(await loginWithCardToken(t.db, card.token, origin())).toMatchObject({ ok: true }) // nothing recorded yet: allowed

    await recordAuthorisation(t.db, { orgId: s.org.id, classId: s.cls.id, childId: s.child.id, decision: 'refused', method: 'paper_form', lang: 'fr', by: by(s.admin.id) })
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, s.child.id))).toHaveLength(0)
    expect(await childLoginBlockReason(t.db, s.child.id)).toBe('authorisation_refused')
    expect(await loginWithCardToken(t.db, card.token, origin())).toMatchObject({ ok: false, reason: 'refused' })
    expect(await loginWithClassCode(t.db, { classCode: s.cls.loginCode, childId: s.child.id, code: card.code, origin: origin() })).toMatchObject({ ok: false, reason: 'refused' })
    // …and the username/password login of older pupils.
    const username = `zoe${n++}`
    await setChildUsernamePassword(t.db, { orgId: s.org.id, childId: s.child.id, username, password: 'tournesol-bleu-42', actorId: s.admin.id, origin: origin() })
    expect(await loginWithPassword(t.db, username, 'tournesol-bleu-42', origin())).toMatchObject({ ok: false })

    await recordAuthorisation(t.db, { orgId: s.org.id, classId: s.cls.id, childId: s.child.id, decision: 'obtained', method: 'email', lang: 'fr', by: by(s.admin.id) })
    expect(await loginWithCardToken(t.db, card.token, origin())).toMatchObject({ ok: true })
    expect(await loginWithPassword(t.db, username, 'tournesol-bleu-42', origin())).toMatchObject({ ok: true })
    await expect(recordAuthorisation(t.db, { orgId: s.org.id, classId: s.cls.id, childId: s.child.id, decision: 'obtained', method: 'email', lang: 'fr', by: by(s.admin.id) })).rejects.toMatchObject({
      code: 'families.auth.same',
    })
    await recordAuthorisation(t.db, { orgId: s.org.id, classId: s.cls.id, childId: s.child.id, decision: 'withdrawn', method: 'meeting', lang: 'fr', by: by(s.admin.id) })
    expect(await childLoginBlockReason(t.db, s.child.id)).toBe('authorisation_withdrawn')

    const log = await t.db.select().from(consentRecords).where(eq(consentRecords.subjectId, s.child.id))
    expect(log.map((r) => [r.event, r.state, r.actorId, r.onBehalfOf, (r.details as { classId: string }).classId])).toEqual([
      ['authorisation_refused', 'refused', s.admin.id, s.child.id, s.cls.id],
      ['authorisation_obtained', 'given', s.admin.id, s.child.id, s.cls.id],
      ['authorisation_withdrawn', 'withdrawn', s.admin.id, s.child.id, s.cls.id],
    ])
    // The log refuses to be rewritten.
    await expect(t.sql`update consent_records set state = 'given' where subject_id = ${s.child.id}`).rejects.toThrow()
  })

  test('"guardians informed" per class is a consent-log entry the compliance certificate counts', async () => {
    const s = await school()
    await expect(
      recordGuardiansInformed(t.db, { orgId: s.org.id, classId: s.cls.id, informedOn: '2026-09-03', channel: 'pigeon', noticeId: 'school-notice-2026-09', lang: 'fr', by: by(s.admin.id) }),
    ).rejects.toMatchObject({ code: 'families.auth.channel_required' })
    const e = await recordGuardiansInformed(t.db, {
      orgId: s.org.id,
      classId: s.cls.id,
      informedOn: '2026-09-03',
      channel: 'letter',
      noticeId: 'school-notice-2026-09',
      lang: 'fr',
      by: by(s.admin.id),
    })
    expect(e).toMatchObject({ event: 'guardians_informed', state: 'recorded', method: 'letter', documentKind: 'notice', documentVersion: 'school-notice-2026-09', actorId: s.admin.id })
    expect(e.details).toEqual({ classId: s.cls.id, informedOn: '2026-09-03' })
    await recordAuthorisation(t.db, { orgId: s.org.id, classId: s.cls.id, childId: s.child.id, decision: 'obtained', method: 'paper_form', lang: 'fr', by: by(s.admin.id) })
    const cert = await computeCertificate(t.db, { orgId: s.org.id, scope: { kind: 'class', classId: s.cls.id } })
    expect(cert.informed.map((i) => [i.channel, i.noticeVersion, i.forClass])).toEqual([['letter', 'school-notice-2026-09', true]])
    expect(cert.decisions.obtained.count).toBe(1)
  })
})

describe('link codes and guardian links', () => {
  test('a code expires after 30 days', async () => {
    clock = useFakeClock('2026-09-01T08:00:00Z')
    const s = await school()
    const g = await makeAdult(t.db)
    const { code } = await issueLinkCode(t.db, { orgId: s.org.id, childId: s.child.id, channel: 'letter', by: by(s.admin.id) })
    clock.advance(30 * DAY - MINUTE)
    expect(await inspectLinkCode(t.db, { code, userId: g.id, origin: origin() })).toMatchObject({ state: 'pending', childFirstName: 'Zoé', orgName: s.org.name, classNames: [s.cls.name] })
    clock.advance(2 * MINUTE)
    expect(await inspectLinkCode(t.db, { code, userId: g.id, origin: origin() })).toMatchObject({ state: 'expired' })
    await expect(confirmLinkCode(t.db, { code, userId: g.id, legalStatus: 'parent', acceptTerms: true, lang: 'fr', origin: origin() })).rejects.toMatchObject({
      code: 'families.code.expired',
    })
    expect(await guardianLinksFor(t.db, g.id)).toEqual([])
  })

  test('a code works once; confirming creates the link, the guardian membership and the acceptance records', async () => {
    const s = await school()
    const [first, second] = [await makeAdult(t.db), await makeAdult(t.db)]
    const { code } = await issueLinkCode(t.db, { orgId: s.org.id, childId: s.child.id, channel: 'letter', by: by(s.admin.id) })
    await expect(confirmLinkCode(t.db, { code, userId: first.id, legalStatus: 'parent', acceptTerms: false, lang: 'fr', origin: origin() })).rejects.toMatchObject({
      code: 'families.link.accept_required',
    })
    const done = await confirmLinkCode(t.db, { code: code.toLowerCase().replace(/-/g, ' '), userId: first.id, legalStatus: 'legal_guardian', acceptTerms: true, lang: 'fr', origin: origin() })
    expect(done).toMatchObject({ orgId: s.org.id, childId: s.child.id })
    expect(await guardianLinksFor(t.db, first.id)).toEqual([{ orgId: s.org.id, childId: s.child.id, canSeeRecord: true, canGiveConsent: true }])
    const [m] = await t.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, s.org.id), eq(memberships.userId, first.id)))
    expect(m!.role).toBe('guardian')
    const acc = await t.db
      .select()
      .from(consentRecords)
      .where(and(eq(consentRecords.orgId, s.org.id), eq(consentRecords.actorId, first.id)))
    expect(acc.map((r) => r.documentKind)).toEqual(['terms', 'privacy'])
    // Used: nobody else can use it.
    expect(await inspectLinkCode(t.db, { code, userId: second.id, origin: origin() })).toMatchObject({ state: 'used' })
    await expect(confirmLinkCode(t.db, { code, userId: second.id, legalStatus: 'parent', acceptTerms: true, lang: 'fr', origin: origin() })).rejects.toMatchObject({
      code: 'families.code.used',
    })
  })

  test('"this is not my child" cancels the code and alerts the school', async () => {
    const s = await school()
    const g = await makeAdult(t.db)
    const { code, row } = await issueLinkCode(t.db, { orgId: s.org.id, childId: s.child.id, channel: 'letter', by: by(s.admin.id) })
    await reportNotMyChild(t.db, { code, userId: g.id, origin: origin() })
    const [alert] = await t.db.select().from(linkAlerts).where(eq(linkAlerts.codeId, row.id))
    expect(alert).toMatchObject({ orgId: s.org.id, childId: s.child.id, reportedBy: g.id, resolvedAt: null })
    await expect(confirmLinkCode(t.db, { code, userId: g.id, legalStatus: 'parent', acceptTerms: true, lang: 'fr', origin: origin() })).rejects.toMatchObject({
      code: 'families.code.cancelled',
    })
    expect(await guardianLinksFor(t.db, g.id)).toEqual([])
  })

  test('wrong codes are throttled like logins', async () => {
    const g = await makeAdult(t.db)
    const o = origin()
    for (let i = 0; i < 5; i++) expect(await inspectLinkCode(t.db, { code: `AAAA-BBBB-CCC${i}`, userId: g.id, origin: o })).toMatchObject({ state: 'unknown' })
    expect(await inspectLinkCode(t.db, { code: 'AAAA-BBBB-CCCC', userId: g.id, origin: o })).toMatchObject({ state: 'throttled' })
    // Guessing through "confirm" is throttled too, even with the right code once blocked.
    const s = await school()
    const h = await makeAdult(t.db)
    const o2 = origin()
    for (let i = 0; i < 5; i++) {
      await expect(confirmLinkCode(t.db, { code: `AAAA-BBBB-CCD${i}`, userId: h.id, legalStatus: 'parent', acceptTerms: true, lang: 'fr', origin: o2 })).rejects.toMatchObject({
        code: 'families.code.unknown',
      })
    }
    const { code } = await issueLinkCode(t.db, { orgId: s.org.id, childId: s.child.id, channel: 'letter', by: by(s.admin.id) })
    await expect(confirmLinkCode(t.db, { code, userId: h.id, legalStatus: 'parent', acceptTerms: true, lang: 'fr', origin: o2 })).rejects.toMatchObject({
      code: 'families.code.throttled',
    })
  })

  test('at most 4 current guardians per child: the 5th is refused (code and letter), ending a link frees a place', async () => {
    const s = await school()
    const codes = []
    for (let i = 0; i < MAX_GUARDIANS_PER_CHILD + 1; i++) codes.push((await issueLinkCode(t.db, { orgId: s.org.id, childId: s.child.id, channel: 'letter', by: by(s.admin.id) })).code)
    const adults = []
    for (let i = 0; i < MAX_GUARDIANS_PER_CHILD + 1; i++) adults.push(await makeAdult(t.db))
    for (let i = 0; i < MAX_GUARDIANS_PER_CHILD; i++) {
      await confirmLinkCode(t.db, { code: codes[i]!, userId: adults[i]!.id, legalStatus: 'parent', acceptTerms: true, lang: 'fr', origin: origin() })
    }
    // A suspended link still holds its place.
    const [firstLink] = await t.db.select().from(guardianLinks).where(eq(guardianLinks.guardianId, adults[0]!.id))
    await suspendLink(t.db, { orgId: s.org.id, linkId: firstLink!.id, reason: 'Décision du juge', by: by(s.admin.id) })
    await expect(confirmLinkCode(t.db, { code: codes[4]!, userId: adults[4]!.id, legalStatus: 'parent', acceptTerms: true, lang: 'fr', origin: origin() })).rejects.toMatchObject({
      code: 'families.link.limit',
      vars: { max: 4 },
    })
    await expect(issueLinkCode(t.db, { orgId: s.org.id, childId: s.child.id, channel: 'letter', by: by(s.admin.id) })).rejects.toMatchObject({ code: 'families.link.limit' })
    // The failed confirmation left the code usable and nothing behind.
    expect(await inspectLinkCode(t.db, { code: codes[4]!, userId: adults[4]!.id, origin: origin() })).toMatchObject({ state: 'pending' })
    await endLink(t.db, { orgId: s.org.id, linkId: firstLink!.id, by: by(s.admin.id) })
    await confirmLinkCode(t.db, { code: codes[4]!, userId: adults[4]!.id, legalStatus: 'other_contact', acceptTerms: true, lang: 'fr', origin: origin() })
    // An "other contact" cannot consent for the child by default.
    expect(await guardianLinksFor(t.db, adults[4]!.id)).toEqual([{ orgId: s.org.id, childId: s.child.id, canSeeRecord: true, canGiveConsent: false }])
  })

  test('suspended, ended and not-yet-started links give no access; lifting the suspension restores it', async () => {
    const s = await school()
    const g = await makeAdult(t.db)
    const link = await createLink(t.db, { orgId: s.org.id, childId: s.child.id, guardianId: g.id, legalStatus: 'parent', by: by(s.admin.id), via: 'code' })
    expect(await guardianLinksFor(t.db, g.id)).toHaveLength(1)
    await expect(suspendLink(t.db, { orgId: s.org.id, linkId: link.id, reason: '', by: by(s.admin.id) })).rejects.toMatchObject({ code: 'families.link.reason_required' })
    await suspendLink(t.db, { orgId: s.org.id, linkId: link.id, reason: 'Ordonnance du 2 mars', by: by(s.admin.id) })
    expect(await guardianLinksFor(t.db, g.id)).toEqual([])
    await resumeLink(t.db, { orgId: s.org.id, linkId: link.id, by: by(s.admin.id) })
    expect(await guardianLinksFor(t.db, g.id)).toHaveLength(1)
    const future = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10)
    await updateLink(t.db, {
      orgId: s.org.id,
      linkId: link.id,
      legalStatus: 'parent',
      canSeeRecord: true,
      canReceiveMessages: true,
      canGiveConsent: true,
      startedOn: future,
      endsOn: null,
      by: by(s.admin.id),
    })
    expect(await guardianLinksFor(t.db, g.id)).toEqual([])
    await updateLink(t.db, {
      orgId: s.org.id,
      linkId: link.id,
      legalStatus: 'parent',
      canSeeRecord: false,
      canReceiveMessages: true,
      canGiveConsent: false,
      startedOn: '2020-01-01',
      endsOn: null,
      by: by(s.admin.id),
    })
    expect(await guardianLinksFor(t.db, g.id)).toEqual([{ orgId: s.org.id, childId: s.child.id, canSeeRecord: false, canGiveConsent: false }])
    // The guardian removes their own link; another guardian cannot.
    const stranger = await makeAdult(t.db)
    await expect(endLink(t.db, { orgId: s.org.id, linkId: link.id, self: true, by: by(stranger.id) })).rejects.toMatchObject({ code: 'error.not_found' })
    await endLink(t.db, { orgId: s.org.id, linkId: link.id, self: true, by: by(g.id) })
    expect(await guardianLinksFor(t.db, g.id)).toEqual([])
  })

  test('roster guardian invitations: sending emails one code per child; re-sending kills the old codes', async () => {
    const s = await school()
    const sibling = await makeChild(t.db, { orgId: s.org.id, classId: s.cls.id, firstName: 'Hugo' })
    const email = `parent-${n++}@example.org`
    const [inv] = await t.db
      .insert(invitations)
      .values({ orgId: s.org.id, email, role: 'guardian', tokenHash: sha256Hex(randomToken()), createdAt: new Date(), expiresAt: new Date(Date.now() + DAY), pendingDelivery: true })
      .returning()
    await t.db.insert(invitationChildren).values([
      { invitationId: inv!.id, childId: s.child.id },
      { invitationId: inv!.id, childId: sibling.id },
    ])
    await sendGuardianInvitation(t.db, { orgId: s.org.id, invitationId: inv!.id, by: by(s.admin.id), lang: 'fr' })
    const mails = await t.db.select().from(outboxMails).where(eq(outboxMails.to, email))
    expect(mails).toHaveLength(1)
    const codes = [...mails[0]!.text.matchAll(/code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/g)].map((m) => m[1]!)
    expect(codes).toHaveLength(2)
    expect(mails[0]!.text).toContain('Zoé')
    expect(mails[0]!.text).toContain('Hugo')
    const [after] = await t.db.select().from(invitations).where(eq(invitations.id, inv!.id))
    expect(after!.pendingDelivery).toBe(false)
    // Re-send: new codes, the old ones are cancelled.
    await sendGuardianInvitation(t.db, { orgId: s.org.id, invitationId: inv!.id, by: by(s.admin.id), lang: 'fr' })
    const g = await makeAdult(t.db)
    expect(await inspectLinkCode(t.db, { code: codes[0]!, userId: g.id, origin: origin() })).toMatchObject({ state: 'cancelled' })
    const [latest] = await t.db.select().from(outboxMails).where(eq(outboxMails.to, email)).orderBy(desc(outboxMails.createdAt)).limit(1)
    const fresh = [...latest!.text.matchAll(/code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/g)].map((m) => m[1]!)
    await confirmLinkCode(t.db, { code: fresh[0]!, userId: g.id, legalStatus: 'parent', acceptTerms: true, lang: 'fr', origin: origin() })
    const [accepted] = await t.db.select().from(invitations).where(eq(invitations.id, inv!.id))
    expect(accepted!.acceptedBy).toBe(g.id)
  })

  test('link letters: one page per code, with the child, the class, the school and a usable code', async () => {
    const s = await school()
    const pdf = await printLinkLetters(t.db, { orgId: s.org.id, classId: s.cls.id, childIds: [s.child.id], copies: 2, lang: 'fr', by: by(s.admin.id) })
    expect(pdf.count).toBe(2)
    const text = (await extractPdfText(pdf.bytes!)).join('\n')
    expect(text).toContain('Zoé')
    expect(text).toContain(s.cls.name)
    expect(text).toContain(s.org.name)
    const codes = [...text.matchAll(/([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/g)].map((m) => m[1]!)
    expect(new Set(codes).size).toBe(2)
    const g = await makeAdult(t.db)
    expect(await inspectLinkCode(t.db, { code: codes[0]!, userId: g.id, origin: origin() })).toMatchObject({ state: 'pending' })
  })
})

test('a guardian session survives but loses the child on the next request after a suspension', async () => {
  const s = await school()
  const g = await makeAdult(t.db)
  const link = await createLink(t.db, { orgId: s.org.id, childId: s.child.id, guardianId: g.id, legalStatus: 'parent', by: by(s.admin.id), via: 'code' })
  const { token } = await createSession(t.db, g.id, { kind: 'adult' })
  const { loadPrincipal } = await import('~/permissions/principal.server')
  expect((await loadPrincipal(t.db, { id: g.id, kind: 'adult' })).linkedChildren.map((l) => l.childId)).toEqual([s.child.id])
  await suspendLink(t.db, { orgId: s.org.id, linkId: link.id, reason: 'Décision de justice', by: by(s.admin.id) })
  expect((await loadPrincipal(t.db, { id: g.id, kind: 'adult' })).linkedChildren).toEqual([])
  expect(token).toBeTruthy()
})

test('the second guardian without an account signs up from the emailed link and lands in the family space', async () => {
  const route = await import('~/routes/link_.family.$token')
  const { org, parent } = await family()
  await addFamilyChild(t.db, { orgId: org.id, firstName: 'Rose', lastName: 'P', birthDate: bornYearsAgo(3), by: by(parent.id) })
  const email = `second-${n++}@example.org`
  const { token } = await inviteFamilyGuardian(t.db, { orgId: org.id, email, by: by(parent.id), lang: 'fr' })
  const req = (fields?: Record<string, string>) =>
    new Request(`http://localhost/link/family/${token}`, {
      method: fields ? 'POST' : 'GET',
      headers: { 'user-agent': 'vitest', 'x-carnet-remote-addr': '10.1.1.1', ...(fields ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: fields ? new URLSearchParams(fields) : undefined,
    })
  const page = (await route.loader({ request: req(), params: { token }, context: {} })) as { state: string; childNames: string[]; email: string }
  expect(page).toMatchObject({ state: 'pending', email, childNames: ['Rose'] })
  // The box unticked: refused with a message on the box.
  const noBox = (await route.action({ request: req({ intent: 'signup', firstName: 'Sam', lastName: 'P', password: 'jardin potager tomates' }), params: { token }, context: {} })) as {
    error: Record<string, string[]>
  }
  expect(noBox.error.acceptTerms?.[0]).toBeTruthy()
  const done = (await route.action({
    request: req({ intent: 'signup', firstName: 'Sam', lastName: 'P', password: 'jardin potager tomates', acceptTerms: 'on' }),
    params: { token },
    context: {},
  })) as Response
  expect(done.status).toBe(302)
  expect(done.headers.get('location')).toBe(`/org/${org.id}/family`)
  expect(done.headers.get('set-cookie')).toMatch(/carnet_session=/)
})

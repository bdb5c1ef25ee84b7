// Names enter Carnet through sign-up, staff and family invitations, guardian accounts, family
// child profiles, the roster import and rights requests: everywhere they are normalised by one
// function (app/names.ts) — no direction overrides, no zero-width characters — and a name longer
// than 100 characters is refused with a clear message instead of being stored.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { eq, like } from 'drizzle-orm'
import { users } from '../../drizzle/schema'
import { signUp } from '~/auth/signup.server'
import { signupSchema } from '~/auth/signup.schema'
import { t as translate } from '~/i18n'
import { addFamilyChild, inviteFamilyGuardian, signUpFromFamilyInvitation } from '~/models/families/family.server'
import { signUpGuardian } from '~/models/families/guardian-account.server'
import { createImport } from '~/models/roster-import/imports.server'
import { inviteStaff, signUpFromInvitation } from '~/models/staff/invitations.server'
import { publicRequestSchema } from '~/privacy/rights-requests/intake.server'
import { startTestServer } from '../helpers/app-server'
import { dropTestDatabase, useTestDatabase } from '../helpers/db'
import { makeAdult, makeOrg } from '../helpers/factories'

let t: Awaited<ReturnType<typeof useTestDatabase>>
let app: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  t = await useTestDatabase()
  app = await startTestServer()
})
afterAll(async () => {
  await app.stop()
  await dropTestDatabase(t.name)
})

const origin = { ip: '198.51.100.30', userAgent: 'test' }
const PASSWORD = 'quatre-mots-bien-choisis'
const LONG = 'A'.repeat(10_000)
/** "Zoé" wrapped in a right-to-left override, a zero-width space and a byte-order mark. */
const SPOOF = '\u202EZo\u200Bé\u202C\uFEFF'
let n = 0
const email = () => `nom-${Date.now()}-${++n}@example.org`

async function userByEmail(address: string) {
  const [u] = await t.db.select().from(users).where(eq(users.email, address))
  return u
}

describe('sign-up', () => {
  test('over HTTP: a 10,000-character first name is refused with a message, nothing is created, no 500', async () => {
    const address = email()
    const res = await fetch(`${app.url}/signup.data`, {
      method: 'POST',
      headers: { origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ orgKind: 'school', orgName: 'École des Lilas', firstName: LONG, lastName: 'Martin', email: address, password: PASSWORD, acceptTerms: 'on' }),
    })
    expect(res.status).toBeLessThan(500)
    expect(await res.text()).toContain('Ce nom est trop long : 100 caractères au plus.')
    expect(await userByEmail(address)).toBeUndefined()
  })

  test('the schema and the model both normalise; the model refuses what the schema would', async () => {
    const parsed = signupSchema.parse({ orgKind: 'school', orgName: 'École\u2066 du Parc', firstName: SPOOF, lastName: 'Martin\u200D', email: email(), password: PASSWORD, acceptTerms: 'on' })
    expect([parsed.orgName, parsed.firstName, parsed.lastName]).toEqual(['École du Parc', 'Zoé', 'Martin'])
    const { user, org } = await signUp(t.db, { ...parsed, lang: 'fr', origin })
    expect([user.firstName, user.lastName, org.name]).toEqual(['Zoé', 'Martin', 'École du Parc'])
    await expect(signUp(t.db, { ...parsed, email: email(), lastName: LONG, lang: 'fr', origin })).rejects.toMatchObject({ code: 'names.too_long', vars: { max: 100 } })
  })
})

describe('invitations and guardian accounts', () => {
  test('staff invitation sign-up', async () => {
    const org = await makeOrg(t.db)
    const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
    const by = { actorId: admin.id, ...origin }
    const first = await inviteStaff(t.db, { orgId: org.id, email: email(), role: 'teacher', by, lang: 'fr' })
    await expect(signUpFromInvitation(t.db, { token: first.token, firstName: LONG, lastName: 'Prof', password: PASSWORD, lang: 'fr', origin })).rejects.toMatchObject({ code: 'names.too_long' })
    const { user } = await signUpFromInvitation(t.db, { token: first.token, firstName: SPOOF, lastName: 'Prof\u2067', password: PASSWORD, lang: 'fr', origin })
    expect([user.firstName, user.lastName]).toEqual(['Zoé', 'Prof'])
  })

  test('a guardian account (link code) and a second parent invited to a family', async () => {
    await expect(signUpGuardian(t.db, { firstName: 'Léa', lastName: LONG, email: email(), password: PASSWORD, lang: 'fr', origin })).rejects.toMatchObject({ code: 'names.too_long' })
    const guardian = await signUpGuardian(t.db, { firstName: SPOOF, lastName: 'Roux', email: email(), password: PASSWORD, lang: 'fr', origin })
    expect(guardian.firstName).toBe('Zoé')

    const family = await makeOrg(t.db, 'family')
    const parent = await makeAdult(t.db, { orgId: family.id, role: 'admin' })
    const invited = email()
    const inv = await inviteFamilyGuardian(t.db, { orgId: family.id, email: invited, by: { actorId: parent.id, ...origin }, lang: 'fr' })
    await expect(signUpFromFamilyInvitation(t.db, { token: inv.token, firstName: LONG, lastName: 'Roux', password: PASSWORD, lang: 'fr', origin })).rejects.toMatchObject({ code: 'names.too_long' })
    const { user } = await signUpFromFamilyInvitation(t.db, { token: inv.token, firstName: 'Marc\u200B', lastName: '\u202DRoux', password: PASSWORD, lang: 'fr', origin })
    expect([user.firstName, user.lastName]).toEqual(['Marc', 'Roux'])
  })

  test("a family's child profile", async () => {
    const family = await makeOrg(t.db, 'family')
    const parent = await makeAdult(t.db, { orgId: family.id, role: 'admin' })
    const by = { actorId: parent.id, ...origin }
    const child = { orgId: family.id, birthDate: '2018-05-10', by }
    await expect(addFamilyChild(t.db, { ...child, firstName: LONG, lastName: 'Roux' })).rejects.toMatchObject({ code: 'names.too_long' })
    const added = await addFamilyChild(t.db, { ...child, firstName: SPOOF, lastName: 'Roux\uFEFF' })
    expect([added.firstName, added.lastName]).toEqual(['Zoé', 'Roux'])
  })
})

describe('roster import', () => {
  test('a 10,000-character name is a rejected line with its reason; overrides and zero-width characters are dropped', async () => {
    const org = await makeOrg(t.db)
    const admin = await makeAdult(t.db, { orgId: org.id, role: 'admin' })
    const lines = ['Nom;Prénom;Date de naissance;Classe', `${LONG};Jade;02/02/2019;CP A`, `Roux;${SPOOF};03/03/2019;CP A`, `Petit;Tom;04/04/2019;${'C'.repeat(61)}`]
    const files = [{ name: 'eleves.csv', bytes: Buffer.from(lines.join('\r\n'), 'utf8') }]
    const created = await createImport(t.db, { orgId: org.id, actorId: admin.id, files, schoolYear: '2026-2027' })
    expect(created.plan!.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'name_too_long'],
      [4, 'name_too_long'],
    ])
    expect(created.plan!.children.create.map((c) => [c.firstName, c.lastName])).toEqual([['Zoé', 'Roux']])
    expect(await t.db.select().from(users).where(like(users.lastName, 'AAAA%'))).toEqual([])
  })
})

describe('rights requests', () => {
  test('the requester and the subject are normalised and capped', () => {
    const base = { orgId: crypto.randomUUID(), kind: 'access', relation: 'guardian', requesterEmail: 'parent@example.org', subjectLastName: 'Roux' }
    const ok = publicRequestSchema.parse({ ...base, requesterName: '\u202EMarc Roux', subjectFirstName: SPOOF })
    expect([ok.requesterName, ok.subjectFirstName]).toEqual(['Marc Roux', 'Zoé'])
    expect(publicRequestSchema.safeParse({ ...base, requesterName: LONG }).success).toBe(false)
    expect(publicRequestSchema.safeParse({ ...base, requesterName: 'Marc', subjectFirstName: LONG }).success).toBe(false)
  })

  test('the message says what to do, in both languages', () => {
    expect(translate('fr', 'names.too_long', { max: 100 })).toBe('Ce nom est trop long : 100 caractères au plus.')
    expect(translate('en', 'names.too_long', { max: 100 })).toBe('This name is too long: 100 characters at most.')
  })
})

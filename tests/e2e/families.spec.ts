// Families, as people use them: a parent on a phone signs a family up, adds children up to the
// plan's seats, gives consent for a 9-year-old who then logs in; a school prints a link letter,
// one parent links to the child, another says "not my child" (the school sees the alert), and
// the school suspends the first link, which stops working on the parent's next request.
import fs from 'node:fs'
import type { Browser, Page, TestInfo } from '@playwright/test'
import { expect, expectAccessible, loginAs, test } from './fixtures'
import { extractPdfText } from '../../app/documents/pdf/extract-text'

const PHONE = { width: 390, height: 844 }

function bornYearsAgo(years: number) {
  const d = new Date()
  d.setUTCFullYear(d.getUTCFullYear() - years)
  d.setUTCDate(d.getUTCDate() - 30)
  return d.toISOString().slice(0, 10)
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true })
}

async function phone(browser: Browser, testInfo: TestInfo, ip: string) {
  const ctx = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    locale: 'fr-FR',
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    extraHTTPHeaders: { 'X-Forwarded-For': ip },
  })
  return { ctx, page: await ctx.newPage() }
}

test('a parent signs a family up, adds 3 children, is refused a 4th, gives consent for a 9-year-old who then logs in', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000)
  await page.setViewportSize(PHONE)
  const email = `parent.${Date.now()}@exemple.fr`
  await page.goto('/signup')
  await page.getByLabel('Famille', { exact: true }).check()
  await page.getByLabel("Nom de l'établissement ou de la famille").fill('Famille Durand')
  await page.getByLabel('Prénom').fill('Camille')
  await page.getByLabel('Nom', { exact: true }).fill('Durand')
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByLabel('Mot de passe', { exact: true }).fill('goûter vélo cerf-volant')
  await page.getByLabel(/J'accepte les conditions/).check()
  await page.getByRole('button', { name: 'Créer mon espace' }).click()
  await expect(page).toHaveURL(/\/home\?welcome=1/)

  await page.getByRole('link', { name: 'Espace famille' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Famille Durand' })).toBeVisible()
  await expect(page.getByText('0 enfant sur 3 avec la formule Famille.')).toBeVisible()
  await expectAccessible(page)
  await shot(page, testInfo, 'family-1-empty-phone')

  const add = async (firstName: string, birthDate: string) => {
    await page.getByLabel('Prénom').fill(firstName)
    await page.getByLabel('Nom', { exact: true }).fill('Durand')
    await page.getByLabel('Date de naissance').fill(birthDate)
    await page.getByRole('button', { name: 'Ajouter l’enfant' }).click()
  }
  await add('Emma', bornYearsAgo(9))
  await expect(page.getByText('Emma a été ajouté(e).')).toBeVisible()
  await add('Lucas', bornYearsAgo(6))
  await expect(page.getByText('Lucas a été ajouté(e).')).toBeVisible()
  await add('Chloé', bornYearsAgo(12))
  await expect(page.getByText('Chloé a été ajouté(e).')).toBeVisible()
  await expect(page.getByText('3 enfants sur 3 avec la formule Famille.')).toBeVisible()

  // The 4th: a clear refusal, and nothing created.
  await add('Nathan', bornYearsAgo(4))
  await expect(page.getByRole('alert').filter({ hasText: 'Votre formule Famille permet 3 enfants, et ils sont tous déjà inscrits.' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Nathan Durand' })).toHaveCount(0)
  await shot(page, testInfo, 'family-2-full-phone')

  // Emma is 9: her login is blocked until a parent consents.
  const emma = page.locator('article').filter({ has: page.getByRole('heading', { name: 'Emma Durand' }) })
  await expect(emma.getByText('Connexion bloquée : consentement parental à donner')).toBeVisible()
  const consentBox = emma.getByLabel(/je consens à ce que Emma utilise Carnet/)
  await expect(consentBox).not.toBeChecked()

  // Her card, on the parent's phone: the QR code and the link for the child's tablet.
  await emma.getByRole('button', { name: 'Carte de connexion : Emma' }).click()
  await expect(emma.getByRole('img', { name: 'QR code de connexion : Emma' })).toBeVisible()
  const cardHref = (await emma.getByTestId('card-link').getAttribute('href'))!
  expect(cardHref).toMatch(/\/card\/[a-z0-9]+$/)
  await expectAccessible(page)
  await shot(page, testInfo, 'family-3-card-phone')

  const tablet = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'fr-FR', viewport: { width: 768, height: 1024 }, extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.71' } })
  const child = await tablet.newPage()
  await child.goto(new URL(cardHref).pathname)
  await expect(child.getByText('Tu ne peux pas te connecter pour le moment.')).toBeVisible()

  // Without ticking the box: a clear message, no consent.
  await emma.getByRole('button', { name: 'Donner mon consentement pour Emma' }).click()
  await expect(page.getByText('Cochez la case pour donner votre consentement.')).toBeVisible()
  await page
    .locator('article')
    .filter({ has: page.getByRole('heading', { name: 'Emma Durand' }) })
    .getByLabel(/je consens à ce que Emma utilise Carnet/)
    .check()
  await page.getByRole('button', { name: 'Donner mon consentement pour Emma' }).click()
  await expect(page.getByText('Consentement enregistré. L’enfant peut maintenant se connecter.')).toBeVisible()
  await expect(emma.getByText(/Consentement parental donné le/)).toBeVisible()
  await expect(emma.getByText('Peut se connecter')).toBeVisible()

  // The child logs in with the card.
  await child.goto(new URL(cardHref).pathname)
  await expect(child).toHaveURL(/\/me$/)
  await expect(child.getByRole('heading', { name: 'Bonjour Emma !' })).toBeVisible()
  await tablet.close()

  // The parent's child switcher lists the three children.
  await page.goto('/children')
  for (const name of ['Emma Durand', 'Lucas Durand', 'Chloé Durand']) await expect(page.getByText(name)).toBeVisible()
})

test('the school prints a link letter; a parent links with the code; another says "not my child"; the admin suspends the first link', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000)
  // The school administrator opens the families page of CM1 A and prints two letters for Łukasz.
  await loginAs(page, 'admin')
  await page.goto('/home')
  const orgHref = (await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
  await page.goto(`${orgHref}/classes`)
  await page.getByRole('link', { name: 'CM1 A' }).first().click()
  await page.getByRole('link', { name: 'Familles de la classe' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Familles — CM1 A' })).toBeVisible()
  const classFamiliesUrl = new URL(page.url()).pathname
  await expectAccessible(page)
  await shot(page, testInfo, 'school-1-class-families')
  const lukasz = page.locator('article').filter({ has: page.getByRole('heading', { name: /Łukasz Nowak/ }) })
  await lukasz.getByLabel('Exemplaires').selectOption('2')
  const [download] = await Promise.all([page.waitForEvent('download'), lukasz.getByRole('button', { name: 'Imprimer une lettre de liaison pour Łukasz' }).click()])
  const text = (await extractPdfText(new Uint8Array(fs.readFileSync((await download.path())!)))).join('\n')
  expect(text).toContain('Łukasz Nowak')
  expect(text).toContain('CM1 A')
  expect(text).toContain('École Jules Ferry')
  const codes = [...new Set([...text.matchAll(/\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b/g)].map((m) => m[1]!))]
  expect(codes).toHaveLength(2)

  // Parent 1, on their phone: creates an account from /link, types the code, confirms.
  const p1 = await phone(browser, testInfo, '198.51.100.21')
  await p1.page.goto('/link')
  await expect(p1.page.getByRole('heading', { level: 1, name: 'Lier mon enfant' })).toBeVisible()
  await p1.page.getByLabel('Prénom').fill('Anna')
  await p1.page.getByLabel('Nom', { exact: true }).fill('Kowalska')
  await p1.page.getByLabel('Adresse e-mail').fill(`anna.${Date.now()}@exemple.pl`)
  await p1.page.getByLabel('Mot de passe', { exact: true }).fill('pierogi tramwaj wisła 7')
  await p1.page.getByRole('button', { name: 'Créer mon compte et continuer' }).click()
  await p1.page.getByLabel('Code de liaison').fill(codes[0]!.toLowerCase())
  await p1.page.getByRole('button', { name: /Vérifier le code/ }).click()
  await expect(p1.page.getByRole('heading', { name: 'Est-ce bien votre enfant ?' })).toBeVisible()
  await expect(p1.page.getByText('Łukasz', { exact: true })).toBeVisible()
  await expect(p1.page.getByText('CM1 A', { exact: true })).toBeVisible()
  await expect(p1.page.getByText('École Jules Ferry', { exact: true })).toBeVisible()
  await expect(p1.page.getByText('Nowak')).toHaveCount(0) // first name only before confirming
  await shot(p1.page, testInfo, 'parent-1-confirm-phone')
  await p1.page.getByLabel(/J’accepte les conditions d’utilisation/).check()
  await p1.page.getByRole('button', { name: 'Oui, c’est mon enfant : lier Łukasz' }).click()
  await expect(p1.page).toHaveURL(/\/children\/[0-9a-f-]{36}\?linked=1$/)
  await expect(p1.page.getByRole('heading', { level: 1, name: 'Łukasz Nowak' })).toBeVisible()
  await expect(p1.page.getByText('Classe CM1 A')).toBeVisible()
  await expect(p1.page.getByText('Enseignant(e)s : Karim Benali')).toBeVisible()
  const childPath = new URL(p1.page.url()).pathname
  await shot(p1.page, testInfo, 'parent-1-child-phone')

  // Parent 2 (the other letter): "this is not my child".
  const p2 = await phone(browser, testInfo, '198.51.100.22')
  await p2.page.goto(`/link?code=${codes[1]}`)
  await p2.page.getByLabel('Prénom').fill('Marc')
  await p2.page.getByLabel('Nom', { exact: true }).fill('Lefèvre')
  await p2.page.getByLabel('Adresse e-mail').fill(`marc.${Date.now()}@exemple.fr`)
  await p2.page.getByLabel('Mot de passe', { exact: true }).fill('baguette pluie parapluie 3')
  await p2.page.getByRole('button', { name: 'Créer mon compte et continuer' }).click()
  await expect(p2.page.getByRole('heading', { name: 'Est-ce bien votre enfant ?' })).toBeVisible()
  await p2.page.getByRole('button', { name: 'Ce n’est pas mon enfant' }).click()
  await expect(p2.page.getByText('Merci. Le code est annulé et l’école est prévenue.')).toBeVisible()
  // The code is dead.
  await p2.page.goto(`/link?code=${codes[1]}`)
  await expect(p2.page.getByText('Ce code a été annulé.', { exact: false })).toBeVisible()
  await p2.ctx.close()

  // The school sees the alert on the class page and on the class's families page.
  await page.goto(classFamiliesUrl.replace(/\/guardians$/, ''))
  await expect(page.getByText('1 alerte', { exact: true })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Familles (1 alerte)' })).toBeVisible()
  await page.goto(classFamiliesUrl)
  await expect(page.getByRole('heading', { name: 'Alertes « ce n’est pas mon enfant » (1)' })).toBeVisible()
  await expect(page.getByText(/Łukasz Nowak : un code \(lettre de liaison\) a été signalé/)).toBeVisible()

  // The admin suspends Anna's link (e.g. a court decision).
  const row = page.locator('article').filter({ has: page.getByRole('heading', { name: /Łukasz Nowak/ }) })
  await expect(row.getByText('1 responsable lié')).toBeVisible()
  await row.getByText('Gérer le lien : Anna Kowalska').click()
  await row.getByLabel('Raison').fill('Ordonnance du juge aux affaires familiales')
  await row.getByRole('button', { name: 'Suspendre maintenant' }).click()
  await expect(page.getByText('Lien suspendu : la personne n’a plus accès à l’enfant dès sa prochaine action.')).toBeVisible()
  await shot(page, testInfo, 'school-2-suspended')

  // Anna's next request: refused.
  const res = await p1.page.request.get(childPath)
  expect(res.status()).toBe(403)
  await p1.page.reload()
  await expect(p1.page.getByRole('heading', { name: 'Accès refusé' })).toBeVisible()
  await p1.page.goto('/children')
  await expect(p1.page.getByText('Aucun enfant lié à votre compte pour l’instant.')).toBeVisible()
  await p1.ctx.close()
})

test('the demo parent switches between the family child and the school child, and sees no one else', async ({ page }, testInfo) => {
  await page.setViewportSize(PHONE)
  await loginAs(page, 'parent')
  await page.goto('/children')
  await expect(page.getByRole('link', { name: /Léo Martin/ })).toBeVisible()
  await expect(page.getByRole('link', { name: /Zoé Müller/ })).toBeVisible()
  await page.getByRole('link', { name: /Zoé Müller/ }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Zoé Müller' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Changer d’enfant' })).toBeVisible()
  await expectAccessible(page)
  await shot(page, testInfo, 'demo-parent-switcher-phone')
  await page.getByRole('navigation', { name: 'Changer d’enfant' }).getByRole('link', { name: 'Léo' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Léo Martin' })).toBeVisible()
  // A classmate of Zoé is out of reach.
  const other = await page.request.get('/children/00000000-0000-4000-8000-000000000000')
  expect(other.status()).toBe(403)
})

test('the teacher records that families were informed and a refused authorisation: the child cannot log in, the teacher sees why', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000)
  await loginAs(page, 'teacher')
  await page.goto('/home')
  const orgHref = (await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
  await page.goto(`${orgHref}/classes`)
  await page.getByRole('link', { name: 'CM1 A' }).first().click()
  await expect(page).toHaveURL(/\/classes\/[0-9a-f-]{36}$/)
  const classPath = new URL(page.url()).pathname
  await page.getByRole('link', { name: 'Information et autorisations' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Information et autorisations — CM1 A' })).toBeVisible()
  await page.getByLabel('Moyen').selectOption('letter')
  await page.getByRole('button', { name: 'Enregistrer que les familles ont été informées' }).click()
  await expect(page.getByText('Information des familles enregistrée dans le registre des consentements.')).toBeVisible()
  await expect(page.getByText(/Courrier remis aux familles · notice school-notice-2026-09 · enregistré par Karim Benali/)).toBeVisible()

  const omer = page.locator('article').filter({ has: page.getByRole('heading', { name: /Ömer Yılmaz/ }) })
  await omer.getByLabel('Décision', { exact: true }).selectOption('refused')
  await omer.getByRole('button', { name: 'Enregistrer la décision pour Ömer' }).click()
  await expect(omer.getByText('Refus enregistré : l’enfant ne peut plus se connecter.')).toBeVisible()
  await expect(omer.getByText('Connexion bloquée : autorisation refusée')).toBeVisible()
  await expectAccessible(page)
  await shot(page, testInfo, 'teacher-authorisations')

  // The class page says why Ömer cannot log in.
  await page.goto(classPath)
  const families = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Familles et autorisations' }) })
  await expect(families.getByRole('listitem').filter({ hasText: 'Ömer Yılmaz' }).getByText('Connexion bloquée : autorisation refusée')).toBeVisible()

  // A new card for Ömer, then the class tablet: the right code is refused.
  await families.getByRole('link', { name: 'Ömer Yılmaz' }).click()
  await expect(page.getByText('Connexion bloquée : autorisation refusée')).toBeVisible()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Générer une nouvelle carte/ }).click()])
  const lines = (await extractPdfText(new Uint8Array(fs.readFileSync((await download.path())!))))
    .join('\n')
    .split('\n')
    .map((l) => l.trim())
  const code = lines.slice(lines.indexOf('Ömer') + 1).find((l) => /^[A-Z2-9]{6}$/.test(l))!
  const tablet = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'fr-FR', extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.72' } })
  const child = await tablet.newPage()
  await child.goto('/child-login?class=JFCM1A')
  await child.getByRole('button', { name: 'Ömer Y.' }).click()
  await child.getByLabel('Ton code (il est sur ta carte)').fill(code)
  await child.getByRole('button', { name: /Entrer/ }).click()
  await expect(child.getByText('Tu ne peux pas te connecter pour le moment. Demande à ton enseignant.')).toBeVisible()
  await tablet.close()
})

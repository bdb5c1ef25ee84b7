// The children's login journey: the teacher prints the class's login cards, a child logs in
// with the class code, their name and the code on their card (in a second browser: the class
// tablet), sees only their own space, and the teacher ends that session from the child's page.
import fs from 'node:fs'
import { expect, expectAccessible, loginAs, test } from './fixtures'
import { extractPdfText } from '../../app/documents/pdf/extract-text'

const OTHER_CHILDREN = ['Łukasz', 'Ömer', 'Ioana-Maria', 'Nguyễn', 'Müller']

/** The short code printed on a child's card: the first code-shaped line after the name. */
function codeFor(text: string, firstName: string) {
  const lines = text.split('\n').map((l) => l.trim())
  const at = lines.indexOf(firstName)
  expect(at, `${firstName} is on a card`).toBeGreaterThanOrEqual(0)
  const code = lines.slice(at + 1).find((l) => /^[A-Z2-9]{6}$/.test(l))
  if (!code) throw new Error(`no code after ${firstName}`)
  return code
}

test('teacher prints cards → child logs in with the code → sees only their space → teacher ends the session', async ({ page, browser }, testInfo) => {
  // The teacher opens the class page from the school's list of classes.
  await loginAs(page, 'teacher')
  await page.goto('/home')
  const orgHref = await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href')
  expect(orgHref).toMatch(/^\/org\/[0-9a-f-]{36}$/)
  await page.goto(`${orgHref}/classes`)
  await page.getByRole('link', { name: 'CM1 A' }).first().click()
  await expect(page).toHaveURL(/\/org\/[0-9a-f-]{36}\/classes\/[0-9a-f-]{36}$/)
  const classUrl = new URL(page.url()).pathname

  // Printing re-issues every card: the PDF holds the new codes.
  const print = page.getByRole('button', { name: /Imprimer les cartes \(les anciennes/ })
  const [classDownload] = await Promise.all([page.waitForEvent('download'), print.click()])
  const pdf = new Uint8Array(fs.readFileSync((await classDownload.path())!))
  const text = (await extractPdfText(pdf)).join('\n')
  expect(text).toContain('CM1 A')
  const code = codeFor(text, 'Zoé')

  // The class tablet: another browser, another address.
  const tablet = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    locale: 'fr-FR',
    viewport: { width: 768, height: 1024 },
    extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.31' },
  })
  const child = await tablet.newPage()
  await child.goto('/child-login')
  await expect(child.getByRole('heading', { name: 'Bonjour ! Quel est le code de ta classe ?' })).toBeVisible()
  await expectAccessible(child)
  await child.screenshot({ path: testInfo.outputPath('child-login-1-tablet.png'), fullPage: true })

  // A mistyped class code gets a short, kind answer.
  await child.getByLabel('Code de la classe').fill('JFCM9Z')
  await child.getByRole('button', { name: /Continuer/ }).click()
  await expect(child.getByText('Ce code de classe ne marche pas. Demande à ton enseignant.')).toBeVisible()

  await child.getByLabel('Code de la classe').fill('jfcm1a')
  await child.getByRole('button', { name: /Continuer/ }).click()
  await expect(child.getByRole('heading', { name: 'Touche ton prénom' })).toBeVisible()
  // First names and an initial only: no last name on the shared screen.
  await expect(child.getByRole('button', { name: 'Zoé M.' })).toBeVisible()
  await expect(child.getByText('Müller')).toHaveCount(0)
  await expectAccessible(child)
  await child.screenshot({ path: testInfo.outputPath('child-login-2-tablet.png'), fullPage: true })
  const zoeId = await child.getByRole('button', { name: 'Zoé M.' }).getAttribute('value')
  await child.getByRole('button', { name: 'Zoé M.' }).click()

  await expect(child.getByRole('heading', { name: 'Bonjour Zoé M. ! Tape ton code' })).toBeVisible()
  await child.getByLabel('Ton code (il est sur ta carte)').fill('AAAAAA')
  await child.getByRole('button', { name: /Entrer/ }).click()
  await expect(child.getByText('Ce code ne marche pas. Demande à ton enseignant.')).toBeVisible()
  await expectAccessible(child)
  await child.screenshot({ path: testInfo.outputPath('child-login-3-tablet.png'), fullPage: true })
  await child.getByLabel('Ton code (il est sur ta carte)').fill(code.toLowerCase())
  await child.getByRole('button', { name: /Entrer/ }).click()

  await expect(child).toHaveURL(/\/me$/)
  await expect(child.getByRole('heading', { name: 'Bonjour Zoé !' })).toBeVisible()
  await expect(child.getByText('Ta classe : CM1 A')).toBeVisible()
  await expect(child.getByRole('heading', { name: 'Mes activités' })).toBeVisible()
  const body = await child.locator('body').innerText()
  for (const name of OTHER_CHILDREN) expect(body, `no trace of ${name} in Zoé's space`).not.toContain(name)
  await expectAccessible(child)
  await child.screenshot({ path: testInfo.outputPath('me-tablet.png'), fullPage: true })
  await child.setViewportSize({ width: 390, height: 844 })
  await child.screenshot({ path: testInfo.outputPath('me-phone.png'), fullPage: true })

  // The teacher opens Zoé's page (from the class page), sees the tablet's session and ends it.
  await page.goto(classUrl)
  const zoeLink = page.getByRole('link', { name: 'Zoé', exact: true })
  if (await zoeLink.isVisible()) await zoeLink.click()
  else await page.goto(`${orgHref}/children/${zoeId}`)
  await expect(page).toHaveURL(new RegExp(`/children/${zoeId}$`))
  await expect(page.getByRole('heading', { name: 'Zoé Müller' })).toBeVisible()
  const sessions = page.getByRole('region', { name: 'Sessions ouvertes' })
  await expect(sessions.getByRole('row')).toHaveCount(2) // header + the tablet
  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('child-page-teacher.png'), fullPage: true })
  await sessions.getByRole('button', { name: 'Fermer la session' }).click()
  await expect(page.getByText('Session fermée')).toBeVisible()
  await expect(page.getByText('Aucune session ouverte.')).toBeVisible()

  // The child's next navigation lands on the child login page.
  await child.reload()
  await expect(child).toHaveURL(/\/child-login$/)
  await expect(child.getByRole('heading', { name: 'Bonjour ! Quel est le code de ta classe ?' })).toBeVisible()
  await child.screenshot({ path: testInfo.outputPath('child-login-1-phone.png'), fullPage: true })

  // A lost card: the teacher generates a new one for Zoé; the old code stops working at once.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Générer une nouvelle carte/ }).click()])
  const newCode = codeFor((await extractPdfText(new Uint8Array(fs.readFileSync((await download.path())!)))).join('\n'), 'Zoé')
  expect(newCode).not.toBe(code)
  await child.goto(`/child-login?class=JFCM1A&child=${zoeId}`)
  await child.getByLabel('Ton code (il est sur ta carte)').fill(code)
  await child.getByRole('button', { name: /Entrer/ }).click()
  await expect(child.getByText('Ce code ne marche pas. Demande à ton enseignant.')).toBeVisible()
  await child.getByLabel('Ton code (il est sur ta carte)').fill(newCode)
  await child.getByRole('button', { name: /Entrer/ }).click()
  await expect(child.getByRole('heading', { name: 'Bonjour Zoé !' })).toBeVisible()
  await tablet.close()
})

// A valid QR link is covered by tests/integration/child-login.test.ts (the token is only inside
// the QR code, never printed as text); here, what a child sees when a card no longer works.
test('an old or unknown card link is kindly refused and points to the class code', async ({ browser }, testInfo) => {
  const phone = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    locale: 'fr-FR',
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.32' },
  })
  const child = await phone.newPage()
  await child.goto('/card/not-a-card')
  await expect(child.getByText('Cette carte ne marche plus. Demande une nouvelle carte à ton enseignant.')).toBeVisible()
  await expectAccessible(child)
  await child.screenshot({ path: testInfo.outputPath('card-invalid-phone.png'), fullPage: true })
  await child.getByRole('link', { name: /code de la classe/ }).click()
  await expect(child).toHaveURL(/\/child-login$/)
  await phone.close()
})

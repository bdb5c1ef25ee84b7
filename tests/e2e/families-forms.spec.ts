// The families' pages on the UI kit and the one form pattern (docs/ui-and-forms.md), as a
// parent on a 375 px phone and a school administrator use them: each passes axe, a wrong entry
// comes back on its own field (in the browser, or from the server for what only it knows), and
// nothing is changed by a refused form.
import type { Page } from '@playwright/test'
import { expect, expectAccessible, loginAs, test } from './fixtures'

const PHONE = { width: 375, height: 740 }

/** The error is on the field: aria-invalid, and read with it (aria-describedby). */
async function expectFieldError(page: Page, field: ReturnType<Page['getByLabel']>, message: string) {
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ')
  const texts = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()))
  expect(texts).toContain(message)
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 'no sideways scrolling on a phone').toBeLessThanOrEqual(0)
}

test('the family space on a phone: a wrong address and a missing first name are said on their fields', async ({ page }) => {
  test.setTimeout(150_000)
  await page.setViewportSize(PHONE)
  await loginAs(page, 'parent')
  await page.goto('/home')
  await page.getByRole('link', { name: 'Espace famille', exact: true }).first().click()
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  await expectAccessible(page)
  await noSidewaysScroll(page)

  // Checked in the browser: the schema's message, on the field.
  const email = page.getByLabel('Adresse e-mail')
  await email.fill('parent@exemple')
  await page.getByRole('button', { name: 'Envoyer l’invitation' }).click()
  await expect(page.getByText('Adresse e-mail invalide : vérifiez-la (exemple : prenom.nom@exemple.fr).')).toBeVisible()
  await expectFieldError(page, email, 'Adresse e-mail invalide : vérifiez-la (exemple : prenom.nom@exemple.fr).')

  // Known only to the server: the parent is already in the family space — said on the same field.
  await email.fill('parent@demo.carnet.fr')
  await page.getByRole('button', { name: 'Envoyer l’invitation' }).click()
  await expect(page.getByText('parent@demo.carnet.fr fait déjà partie de l’espace famille.')).toBeVisible()
  await expectFieldError(page, email, 'parent@demo.carnet.fr fait déjà partie de l’espace famille.')

  await page.getByRole('button', { name: 'Ajouter l’enfant' }).click()
  await expect(page.getByText('Indiquez le prénom de l’enfant.')).toBeVisible()
  await expectFieldError(page, page.getByLabel('Prénom'), 'Indiquez le prénom de l’enfant.')
  await expectAccessible(page)
  await noSidewaysScroll(page)
})

test('a guardian’s child page on a phone: ending one’s link wants the box ticked', async ({ page }) => {
  test.setTimeout(150_000)
  await page.setViewportSize(PHONE)
  await loginAs(page, 'parent')
  await page.goto('/children')
  await expectAccessible(page)
  await page.getByRole('link', { name: /Zoé Müller/ }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Zoé Müller' })).toBeVisible()
  await noSidewaysScroll(page)
  await page.getByText('Mon lien avec cet enfant').click()
  await page.getByRole('button', { name: 'Supprimer mon lien' }).click()
  await expect(page.getByText('Cochez la case pour confirmer.')).toBeVisible()
  await expectFieldError(page, page.getByLabel(/Je ne veux plus être lié\(e\) à Zoé/), 'Cochez la case pour confirmer.')
  await expectAccessible(page)
  // Nothing was removed.
  await page.reload()
  await expect(page.getByRole('heading', { level: 1, name: 'Zoé Müller' })).toBeVisible()
})

test('linking with a code that matches no letter: said on the code field', async ({ page }) => {
  test.setTimeout(150_000)
  await page.setViewportSize(PHONE)
  await loginAs(page, 'parent')
  await page.goto('/link')
  await page.getByLabel('Code de liaison').fill('ZZZZ-ZZZZ-ZZZZ')
  await page.getByRole('button', { name: /Vérifier le code/ }).click()
  const message = 'Ce code ne correspond à aucune lettre. Vérifiez-le (12 caractères) ou demandez-en un nouveau à l’école.'
  await expect(page.getByText(message)).toBeVisible()
  await expectFieldError(page, page.getByLabel('Code de liaison'), message)
  await expectAccessible(page)
  await noSidewaysScroll(page)
})

test('the school: families at a glance, and a child’s username refused on its field', async ({ page }) => {
  test.setTimeout(150_000)
  await loginAs(page, 'admin')
  await page.goto('/home')
  const orgHref = (await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
  await page.goto(`${orgHref}/guardians`)
  await expect(page.getByRole('heading', { level: 1, name: /^Familles — / })).toBeVisible()
  await expect(page.getByRole('row', { name: /CM1 A/ })).toBeVisible()
  await expectAccessible(page)

  await page.goto(`${orgHref}/classes`)
  await page.getByRole('link', { name: 'CM1 A' }).first().click()
  await page.getByRole('row', { name: /Ömer/ }).getByRole('link', { name: 'Ömer' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Ömer Yılmaz' })).toBeVisible()
  await expectAccessible(page)
  const username = page.getByLabel('Identifiant', { exact: true })
  await username.fill('Pas Valide!')
  await page.getByLabel('Nouveau mot de passe').fill('lune soleil étoile 42')
  await page.getByRole('button', { name: 'Enregistrer l’identifiant et le mot de passe' }).click()
  const message = 'Identifiant invalide : 3 à 32 caractères, lettres minuscules sans accent, chiffres, point, tiret ou tiret bas.'
  await expect(page.getByText(message)).toBeVisible()
  await expectFieldError(page, username, message)
  await expectAccessible(page)
})

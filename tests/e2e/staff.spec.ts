// Staff onboarding: the administrator invites a teacher by email; the teacher opens the
// emailed link in their own browser, creates an account, ticks the Terms/Privacy box and
// lands in the school; the administrator sees them in the access review, marks it reviewed,
// and gives them a class.
import type { Page, TestInfo } from '@playwright/test'
import { expect, expectAccessible, linkFromMailbox, loginAs, test } from './fixtures'

const INVITEE = 'nouvelle.enseignante@demo.carnet.fr'

/** Desktop and phone-width screenshots of the current page, kept with the test results. */
async function shots(page: Page, testInfo: TestInfo, name: string) {
  const size = page.viewportSize() ?? { width: 1280, height: 720 }
  await page.screenshot({ path: testInfo.outputPath(`${name}-desktop.png`), fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: testInfo.outputPath(`${name}-phone.png`), fullPage: true })
  await page.setViewportSize(size)
}

test('admin invites a teacher → the teacher joins through the link → access review → class assignment', async ({ page, browser }, testInfo) => {
  await loginAs(page, 'admin')
  await page.goto('/home')
  const orgHref = (await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
  expect(orgHref).toMatch(/^\/org\/[0-9a-f-]{36}$/)

  // The school's home: the figures an administrator needs.
  await page.goto(orgHref)
  await expect(page.getByRole('heading', { level: 1, name: 'École Jules Ferry' })).toBeVisible()
  await expect(page.getByText("Aucune revue des accès n'a encore été enregistrée.")).toBeVisible()
  await expectAccessible(page)
  await shots(page, testInfo, 'org-home-admin')

  // Invite a teacher.
  await page.getByRole('link', { name: 'Invitations du personnel' }).click()
  await expect(page).toHaveURL(`${orgHref}/invitations`)
  await page.getByLabel('Adresse e-mail').fill(INVITEE)
  await page.getByRole('radio', { name: /^Enseignant/ }).check()
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click()
  await expect(page.getByText(`Invitation envoyée à ${INVITEE}.`)).toBeVisible()
  const row = page.locator(`tr[data-email="${INVITEE}"]`)
  await expect(row.getByText('En attente')).toBeVisible()
  // The same invitation twice is refused, with the reason on the field.
  await page.getByLabel('Adresse e-mail').fill(INVITEE)
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click()
  await expect(page.getByText(/a déjà une invitation en attente pour le rôle « Enseignant »/)).toBeVisible()
  await expectAccessible(page)
  await shots(page, testInfo, 'invitations')

  const link = await linkFromMailbox(page, INVITEE, /Invitation à rejoindre École Jules Ferry/)
  expect(link).toMatch(/\/invitation\/[a-z0-9]+$/)

  // The invited teacher, in their own browser.
  const other = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'fr-FR' })
  const invitee = await other.newPage()
  await invitee.goto(new URL(link).pathname)
  await expect(invitee.getByRole('heading', { name: 'Invitation : École Jules Ferry' })).toBeVisible()
  await expect(invitee.getByText(/rejoindre École Jules Ferry avec le rôle « Enseignant »/)).toBeVisible()
  const box = invitee.getByLabel(/J'accepte les conditions d'utilisation/)
  await expect(box).not.toBeChecked()
  await expectAccessible(invitee)
  await shots(invitee, testInfo, 'invitation-signup')
  await invitee.getByLabel('Prénom').fill('Amélie')
  await invitee.getByLabel('Nom', { exact: true }).fill('Poulain')
  await invitee.getByLabel('Mot de passe', { exact: true }).fill('cahier craie tableau récré')
  // Without the box, nothing happens but a clear message.
  await invitee.getByRole('button', { name: 'Créer mon compte et rejoindre' }).click()
  await expect(invitee.getByText("Cochez la case pour accepter les conditions d'utilisation et la politique de confidentialité.")).toBeVisible()
  await invitee.getByLabel('Mot de passe', { exact: true }).fill('cahier craie tableau récré')
  await invitee.getByLabel(/J'accepte les conditions d'utilisation/).check()
  await invitee.getByRole('button', { name: 'Créer mon compte et rejoindre' }).click()
  await expect(invitee).toHaveURL(new RegExp(`${orgHref}\\?joined=teacher$`))
  await expect(invitee.getByRole('heading', { level: 1, name: 'École Jules Ferry' })).toBeVisible()
  await expect(invitee.getByText('Bienvenue ! Vous avez rejoint École Jules Ferry avec le rôle « Enseignant ».')).toBeVisible()
  await expect(invitee.getByText("Vous n'enseignez dans aucune classe pour l'instant.")).toBeVisible()
  // The link was used: it does not work a second time.
  await invitee.goto(new URL(link).pathname)
  await expect(invitee.getByText('Cette invitation a déjà été utilisée.', { exact: false })).toBeVisible()

  // The administrator's access review shows the new member; mark it reviewed.
  await page.goto(`${orgHref}/invitations`)
  await expect(row.getByText('Acceptée')).toBeVisible()
  await page.goto(`${orgHref}/members`)
  const member = page.locator(`tr[data-email="${INVITEE}"]`)
  await expect(member.getByText('Amélie Poulain', { exact: true })).toBeVisible()
  await expect(member.getByText('Enseignant', { exact: true })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Marquer comme revu' }).click()
  await expect(page.getByText(/Revue des accès enregistrée/)).toBeVisible()
  await expect(page.getByTestId('last-review')).toContainText('Claire Dubois')
  await shots(page, testInfo, 'members')

  // Give the new teacher a class, as co-teacher of CM1 A.
  await page.goto(`${orgHref}/classes`)
  await expectAccessible(page)
  await shots(page, testInfo, 'classes')
  await page.getByRole('link', { name: 'CM1 A' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'CM1 A' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Zoé' })).toBeVisible()
  await page.getByLabel('Ajouter un enseignant').selectOption({ label: 'Amélie Poulain' })
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click()
  await expect(page.getByText("L'enseignant est ajouté à la classe.")).toBeVisible()
  await expect(page.getByRole('listitem').filter({ hasText: 'Amélie Poulain' })).toContainText('Co-enseignant')
  await expectAccessible(page)
  await shots(page, testInfo, 'class-admin')

  // The co-teacher now sees CM1 A, may edit it, but is not offered its deletion.
  await invitee.goto(orgHref)
  await invitee.getByRole('link', { name: 'CM1 A' }).click()
  await expect(invitee.getByRole('heading', { level: 1, name: 'CM1 A' })).toBeVisible()
  await expect(invitee.getByRole('heading', { name: 'Modifier la classe' })).toBeVisible()
  await expect(invitee.getByRole('heading', { name: 'Supprimer la classe' })).toHaveCount(0)
  await expectAccessible(invitee)
  await shots(invitee, testInfo, 'class-coteacher')
  await invitee.goto(orgHref)
  await shots(invitee, testInfo, 'org-home-teacher')
  await other.close()
})

test('the DPO reads the access review without recording it', async ({ page }, testInfo) => {
  await loginAs(page, 'dpo')
  await page.goto('/home')
  const orgHref = (await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
  await page.goto(orgHref)
  await page.getByRole('link', { name: 'Membres et revue des accès' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Membres et accès' })).toBeVisible()
  await expect(page.getByText('Seul un administrateur peut enregistrer la revue.', { exact: false })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Marquer comme revu' })).toHaveCount(0)
  await expectAccessible(page)
  await shots(page, testInfo, 'members-dpo')
  // Invitations are the administrators' business.
  const res = await page.request.get(`${orgHref}/invitations`)
  expect(res.status()).toBe(403)
})

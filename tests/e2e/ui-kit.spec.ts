// The pages converted to the UI kit and the one form pattern (docs/ui-and-forms.md): each passes
// axe, a wrong entry comes back on its own field (in the browser and, without JavaScript, from
// the server), filters work as a plain GET form, and an irreversible action asks first.
import type { Browser } from '@playwright/test'
import { expect, expectAccessible, loginAs, test } from './fixtures'

async function orgHrefOf(page: import('@playwright/test').Page) {
  await page.goto('/home')
  return (await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
}

/** A second browser with JavaScript off, signed in. */
async function withoutJs(browser: Browser, baseURL: string | undefined, who: string) {
  const context = await browser.newContext({ baseURL, locale: 'fr-FR', javaScriptEnabled: false })
  const page = await context.newPage()
  await loginAs(page, who)
  return { context, page }
}

test('account: a wrong current password is said on that field, nothing changes', async ({ page }) => {
  await loginAs(page, 'dpo')
  await page.goto('/account')
  await expect(page.getByRole('heading', { level: 1, name: 'Mon compte' })).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe')
  await page.getByLabel('Nouveau mot de passe').fill('quatre mots bien choisis pour e2e')
  await page.getByRole('button', { name: 'Changer de mot de passe' }).click()
  const current = page.getByLabel('Mot de passe actuel')
  await expect(page.getByText('Le mot de passe actuel est incorrect.')).toBeVisible()
  await expect(current).toHaveAttribute('aria-invalid', 'true')
  // The error is read with the field.
  const describedBy = (await current.getAttribute('aria-describedby'))!.split(' ')
  await expect(page.locator(`[id="${describedBy[0]}"]`)).toHaveText('Le mot de passe actuel est incorrect.')
  await expectAccessible(page)
})

test('invitations without JavaScript: the server puts its error on the e-mail field', async ({ browser }, testInfo) => {
  const { context, page } = await withoutJs(browser, testInfo.project.use.baseURL, 'admin')
  await page.goto(`${await orgHrefOf(page)}/invitations`)
  // An address the browser accepts but the schema does not (no domain extension).
  await page.getByLabel('Adresse e-mail').fill('quelqu.un@ecole')
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click()
  const email = page.getByLabel('Adresse e-mail')
  await expect(page.getByText("Cette adresse e-mail n'est pas valide.", { exact: false })).toBeVisible()
  await expect(email).toHaveAttribute('aria-invalid', 'true')
  await expect(email).toHaveValue('quelqu.un@ecole')
  await expect(page.locator('tr[data-email="quelqu.un@ecole"]')).toHaveCount(0)
  await context.close()
})

test('members: removing a role says what happens and needs the box ticked, with or without JavaScript', async ({ page, browser }, testInfo) => {
  await loginAs(page, 'admin')
  const orgHref = await orgHrefOf(page)
  await page.goto(`${orgHref}/members`)
  const row = page.locator('tr[data-email="dpo@demo.carnet.fr"]')
  await row.getByText('Retirer', { exact: true }).click()
  await expect(row.getByText('Ce qui va se passer :')).toBeVisible()
  await expect(row.getByText(/Retirer le rôle « DPO » de Sophie Laurent/)).toBeVisible()
  await expect(row.getByRole('checkbox', { name: 'Je comprends que cette action est définitive.' })).not.toBeChecked()
  await expectAccessible(page)
  // Without JavaScript the browser holds the unticked form back: the role stays.
  const { context, page: plain } = await withoutJs(browser, testInfo.project.use.baseURL, 'admin')
  await plain.goto(`${orgHref}/members`)
  const plainRow = plain.locator('tr[data-email="dpo@demo.carnet.fr"]')
  await plainRow.getByText('Retirer', { exact: true }).click()
  await plainRow.getByRole('button', { name: 'Retirer le rôle DPO' }).click()
  await plain.goto(`${orgHref}/members`)
  await expect(plain.locator('tr[data-email="dpo@demo.carnet.fr"]').getByText('DPO', { exact: true })).toBeVisible()
  await context.close()
})

test('audit log: the filter bar is a GET form that works without JavaScript; the table scrolls in a named region', async ({ page, browser }, testInfo) => {
  await loginAs(page, 'dpo')
  const orgHref = await orgHrefOf(page)
  await page.goto(`${orgHref}/dpo/audit`)
  await expect(page.getByRole('heading', { level: 1, name: "Journal d'audit" })).toBeVisible()
  await expect(page.getByRole('region', { name: "Journal d'audit" })).toHaveAttribute('tabindex', '0')
  await expectAccessible(page)

  const { context, page: plain } = await withoutJs(browser, testInfo.project.use.baseURL, 'dpo')
  await plain.goto(`${orgHref}/dpo/audit`)
  // Actions are chosen by their words ("Connexion"), never typed as codes.
  await plain.getByLabel('Action').selectOption({ label: 'Connexion' })
  await plain.getByRole('button', { name: 'Appliquer' }).click()
  await expect(plain).toHaveURL(/[?&]action=auth\.login/)
  await expect(plain.getByLabel('Action')).toHaveValue('auth.login')
  const table = plain.getByRole('region', { name: "Journal d'audit" })
  const actions = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action') ?? ''))
  expect(actions.length).toBeGreaterThan(0)
  const actionCell = table.locator('tbody tr[data-action="auth.login"]').first().getByRole('cell').nth(2)
  await expect(actionCell).toContainText('Connexion')
  await expect(actionCell).not.toContainText('auth.login')
  // The action filter is a prefix ("auth." finds every sign-in event): earlier journeys may have left auth.login_failed.
  expect(actions.filter((a) => !a.startsWith('auth.login'))).toEqual([])
  expect(actions).toContain('auth.login')
  await plain.getByRole('link', { name: 'Réinitialiser' }).click()
  await expect(plain).toHaveURL(/\/dpo\/audit$/)
  await context.close()
})

test('support access and the operator’s sub-processor register: errors on their fields; both pages pass axe', async ({ page, browser }, testInfo) => {
  await loginAs(page, 'admin')
  await page.goto(`${await orgHrefOf(page)}/support`)
  await expect(page.getByRole('heading', { level: 1, name: 'Accès support de la plateforme' })).toBeVisible()
  // An access opened by an earlier journey is ended first, so the form to open one shows.
  const end = page.getByRole('button', { name: 'Fermer maintenant' })
  if (await end.isVisible()) await end.click()
  await page.getByLabel('Raison (ce que le support doit examiner)').fill('bug')
  await page.getByLabel(/Durée en heures/).fill('500')
  await page.getByRole('button', { name: "Ouvrir l'accès" }).click()
  await expect(page.getByText('Indiquez la raison de l’accès (au moins 5 caractères).')).toBeVisible()
  await expect(page.getByText('La durée doit être comprise entre 1 et 72 heures.')).toBeVisible()
  await expect(page.getByLabel('Raison (ce que le support doit examiner)')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText(/Accès support ouvert jusqu'au/)).toHaveCount(0)
  await expectAccessible(page)

  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'fr-FR' })
  const operator = await context.newPage()
  await loginAs(operator, 'operateur@demo.carnet.fr')
  await operator.goto('/operator/subprocessors')
  await expect(operator.getByRole('region', { name: 'Registre en vigueur' }).getByRole('rowheader', { name: 'OVH' })).toBeVisible()
  await operator.getByRole('button', { name: 'Annoncer à toutes les organisations' }).click()
  await expect(operator.getByLabel('Nom', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(operator.getByText('Ce champ est obligatoire.').first()).toBeVisible()
  await expectAccessible(operator)
  await context.close()
})

test('deleting a child’s account: what happens, the cancel window, and a typed word; a wrong word deletes nothing', async ({ page }) => {
  await loginAs(page, 'parent')
  await page.goto('/account/delete')
  const link = page.getByRole('link', { name: /^Supprimer le compte de / }).first()
  const name = ((await link.textContent()) ?? '').replace('Supprimer le compte de ', '')
  await link.click()
  await expect(page.getByRole('heading', { level: 1, name: `Supprimer le compte de ${name}` })).toBeVisible()
  await expect(page.getByText('Ce qui va se passer :')).toBeVisible()
  await expect(page.getByText(/délai d'annulation/)).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel('Confirmation (SUPPRIMER)').fill('supprime')
  await page.getByRole('button', { name: 'Demander la suppression' }).click()
  await expect(page.getByText('Tapez SUPPRIMER pour confirmer : rien n’a été supprimé.')).toBeVisible()
  await expect(page.getByLabel('Confirmation (SUPPRIMER)')).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page)
  await page.reload()
  await expect(page.getByText('Une suppression est déjà en cours pour ce compte.')).toHaveCount(0)
})

test('consent log: the DPO sees the signing key, downloads a signed checkpoint and checks it back', async ({ page }, testInfo) => {
  await loginAs(page, 'dpo')
  const orgHref = await orgHrefOf(page)
  await page.goto(`${orgHref}/dpo/consent-log`)
  await expect(page.getByRole('heading', { level: 1, name: 'Journal des consentements et autorisations' })).toBeVisible()
  const key = page.getByRole('region', { name: 'Clé publique de signature' })
  await expect(key.getByText(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/)).toBeVisible()
  await expect(key.getByText('-----BEGIN PUBLIC KEY-----', { exact: false })).toBeVisible()
  await page.getByRole('button', { name: 'Signer un point de contrôle maintenant' }).click()
  await expect(page.getByText(/Point de contrôle signé à l'entrée n° \d+|Rien à signer/)).toBeVisible()
  await expectAccessible(page)
  // The school's copy, then checked back.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByRole('link', { name: /^JSON \(n° \d+\)$/ })
      .first()
      .click(),
  ])
  const file = testInfo.outputPath('checkpoint.json')
  await download.saveAs(file)
  await page.getByLabel('Vérifier un point de contrôle que vous conservez (fichier JSON)').setInputFiles(file)
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click()
  await expect(page.getByText(/Point de contrôle valide : signé par Carnet le .*n'a pas changé/)).toBeVisible()
  await expectAccessible(page)
})

test('consent log without JavaScript: a file that is not a checkpoint is said so, by the server', async ({ browser }, testInfo) => {
  const { context, page: plain } = await withoutJs(browser, testInfo.project.use.baseURL, 'dpo')
  await plain.goto(`${await orgHrefOf(plain)}/dpo/consent-log`)
  await plain.getByLabel('Vérifier un point de contrôle que vous conservez (fichier JSON)').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') })
  await plain.getByRole('button', { name: 'Vérifier le fichier' }).click()
  await expect(plain.getByText("Ce fichier n'est pas un point de contrôle Carnet.")).toBeVisible()
  await context.close()
})

test('compliance certificate page: on the kit, names the signing key’s fingerprint, passes axe', async ({ page }) => {
  await loginAs(page, 'dpo')
  await page.goto(`${await orgHrefOf(page)}/dpo/certificate`)
  await expect(page.getByRole('heading', { level: 1, name: /Attestation de conformité/ })).toBeVisible()
  await expect(page.getByText(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/)).toBeVisible()
  await expect(page.getByRole('link', { name: "Télécharger l'attestation (PDF)" })).toBeVisible()
  await expectAccessible(page)
})

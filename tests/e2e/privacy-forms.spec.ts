// The privacy and account pages on the UI kit and the one form pattern (issue 11): a wrong
// entry comes back on its own field — checked in the browser with JavaScript, by the server
// without it — nothing is recorded, and each page passes axe. Nothing here deletes demo data.
import type { Browser, Page } from '@playwright/test'
import { expect, expectAccessible, loginAs, pickSchool, test } from './fixtures'

// Two browsers and the dev mailbox per test: generous under load.
test.describe.configure({ timeout: 240_000 })

async function orgHrefOf(page: Page) {
  await page.goto('/home')
  return (await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
}

/** A second browser with JavaScript off (signed in when `who` is given). */
async function withoutJs(browser: Browser, baseURL: string | undefined, who?: string) {
  const context = await browser.newContext({ baseURL, locale: 'fr-FR', javaScriptEnabled: false })
  const page = await context.newPage()
  if (who) await loginAs(page, who)
  return { context, page }
}

/** The public form, filled; `email` decides whether it is accepted. */
async function fillPublicForm(page: Page, email: string) {
  await page.goto('/rights-request')
  await pickSchool(page, 'Jules Ferry', /École Jules Ferry/)
  await page.getByLabel('Votre demande').selectOption('rectification')
  await page.getByLabel('Vous êtes').selectOption('guardian')
  await page.getByLabel('Prénom', { exact: true }).fill('Zoé')
  await page.getByLabel('Nom', { exact: true }).fill('Müller')
  await page.getByLabel('Vos prénom et nom').fill('Julie Müller')
  await page.getByLabel('Votre adresse e-mail').fill(email)
  await page.getByRole('button', { name: 'Envoyer la demande' }).click()
}

async function codeFor(page: Page, to: string) {
  await page.goto('/dev/mailbox')
  const mail = page
    .locator(`article.mail[data-to="${to}"]`)
    .filter({ hasText: /Confirmez votre demande/ })
    .first()
  await expect(mail).toBeVisible()
  const text = (await mail.locator('pre').textContent()) ?? ''
  return /(?:code de confirmation|confirmation code)\s*:\s*(\d{6})\b/i.exec(text)![1]!
}

test('rights request: a wrong address and a wrong code are said on their fields, with and without JavaScript; the DPO’s forms too', async ({ page, browser }, testInfo) => {
  const email = `parent.forms.${Date.now()}@example.org`
  // Without JavaScript: the server refuses an address without a domain extension, on that field.
  const plain = await withoutJs(browser, testInfo.project.use.baseURL)
  await fillPublicForm(plain.page, 'julie@ecole')
  const plainEmail = plain.page.getByLabel('Votre adresse e-mail')
  await expect(plain.page.getByText('Adresse e-mail invalide : vérifiez-la')).toBeVisible()
  await expect(plainEmail).toHaveAttribute('aria-invalid', 'true')
  await expect(plainEmail).toHaveValue('julie@ecole')
  await expect(plain.page.getByLabel('Vos prénom et nom')).toHaveValue('Julie Müller')

  // With JavaScript: the same message, from the same schema, before anything is sent.
  await fillPublicForm(page, 'julie@ecole')
  await expect(page.getByText('Adresse e-mail invalide : vérifiez-la')).toBeVisible()
  await expect(page.getByLabel('Votre adresse e-mail')).toHaveAttribute('aria-invalid', 'true')
  await expect(page).toHaveURL(/\/rights-request(\?school=[^/]*)?$/) // the search stays in the address
  await expectAccessible(page)

  // A good address: on to the code. A wrong code is said on the code field (server only), without JavaScript…
  await page.getByLabel('Votre adresse e-mail').fill(email)
  await page.getByRole('button', { name: 'Envoyer la demande' }).click()
  await expect(page.getByRole('heading', { name: 'Confirmez votre demande' })).toBeVisible()
  const verifyUrl = page.url()
  const code = await codeFor(page, email)
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
  await plain.page.goto(verifyUrl)
  await plain.page.getByLabel('Code reçu par e-mail').fill(wrong)
  await plain.page.getByRole('button', { name: 'Confirmer' }).click()
  await expect(plain.page.getByText(/Code incorrect/)).toBeVisible()
  await expect(plain.page.getByLabel('Code reçu par e-mail')).toHaveAttribute('aria-invalid', 'true')
  await plain.context.close()
  // …and with it.
  await page.goto(verifyUrl)
  await page.getByLabel('Code reçu par e-mail').fill(wrong)
  await page.getByRole('button', { name: 'Confirmer' }).click()
  await expect(page.getByText(/Code incorrect/)).toBeVisible()
  await expect(page.getByLabel('Code reçu par e-mail')).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page)
  await page.getByLabel('Code reçu par e-mail').fill(code)
  await page.getByRole('button', { name: 'Confirmer' }).click()
  await expect(page.getByRole('heading', { name: 'Demande enregistrée' })).toBeVisible()
  const reference = (await page.locator('dd strong').first().textContent())!

  // The DPO's page for the request: a reason too short for an extension is said on its field; nothing is extended.
  const dpoCtx = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'fr-FR' })
  const dpo = await dpoCtx.newPage()
  await loginAs(dpo, 'dpo')
  await dpo.goto(`${await orgHrefOf(dpo)}/dpo/requests`)
  await dpo.getByRole('link', { name: reference }).click()
  await expect(dpo.getByRole('heading', { level: 1, name: new RegExp(reference) })).toBeVisible()
  await expectAccessible(dpo)
  await dpo.getByLabel('Motif (envoyé au demandeur)').fill('Trop tôt')
  await dpo.getByRole('button', { name: 'Prolonger et informer le demandeur' }).click()
  await expect(dpo.getByText('Donnez un motif (10 caractères au moins) : il est envoyé au demandeur.')).toBeVisible()
  await expect(dpo.getByLabel('Motif (envoyé au demandeur)')).toHaveAttribute('aria-invalid', 'true')
  await expect(dpo.getByText('Délai prolongé ; le demandeur en est informé.')).toHaveCount(0)
  // A note is added and shows in the history.
  await dpo.getByLabel('Note', { exact: true }).fill('Appel au demandeur (e2e)')
  await dpo.getByRole('button', { name: 'Ajouter la note' }).click()
  await expect(dpo.getByText('Note ajoutée.')).toBeVisible()
  await expect(dpo.getByText('Appel au demandeur (e2e)')).toBeVisible()
  await expectAccessible(dpo)
  await dpoCtx.close()
})

test('operator: a breach with no organization ticked is refused on that choice, with and without JavaScript; the request log says a wrong address on its field', async ({
  page,
  browser,
}, testInfo) => {
  const fill = async (p: Page) => {
    await p.goto('/operator/breaches')
    await p.getByLabel('Nature de la violation').fill('Essai sans organisation (e2e)')
    await p.getByLabel('Détectée le').fill('2026-01-05T08:30')
    await p.getByLabel('Catégories de personnes concernées').fill('Élèves')
    await p.getByLabel("Catégories d'enregistrements").fill('Noms')
    await p.getByLabel('Conséquences probables').fill('Aucune')
    await p.getByLabel('Mesures prises ou envisagées').fill('Aucune')
    await p.getByRole('button', { name: 'Enregistrer et notifier les organisations' }).click()
  }
  await loginAs(page, 'operateur@demo.carnet.fr')
  await fill(page)
  await expect(page.getByText('Cochez au moins une organisation concernée.')).toBeVisible()
  await expect(page.getByText(/Violation BRE-\d{4}-\d{4} enregistrée/)).toHaveCount(0)
  await expectAccessible(page)

  const plain = await withoutJs(browser, testInfo.project.use.baseURL, 'operateur@demo.carnet.fr')
  await fill(plain.page)
  await expect(plain.page.getByText('Cochez au moins une organisation concernée.')).toBeVisible()
  await expect(plain.page.getByLabel('Nature de la violation')).toHaveValue('Essai sans organisation (e2e)')
  await plain.page.goto('/operator/breaches')
  await expect(plain.page.getByText('Essai sans organisation (e2e)')).toHaveCount(0)
  await plain.context.close()

  await page.goto('/operator/requests')
  await expect(page.getByRole('heading', { level: 1, name: 'Demandes de droits reçues par la plateforme' })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Enregistrer une demande reçue par courriel ou courrier' }).click()
  await page.getByLabel('Organisation concernée').selectOption({ label: 'École Jules Ferry (Établissement scolaire)' })
  await page.getByLabel('Reçue par').selectOption('post')
  await page.getByLabel('Votre demande').selectOption('access')
  await page.getByLabel('Le demandeur est').selectOption('self')
  await page.getByLabel('Nom du demandeur').fill('Marc Roux')
  await page.getByLabel('E-mail du demandeur').fill('marc@roux')
  await page.getByRole('button', { name: 'Enregistrer et transmettre' }).click()
  await expect(page.getByText('Adresse e-mail invalide : vérifiez-la')).toBeVisible()
  await expect(page.getByLabel('E-mail du demandeur')).toHaveAttribute('aria-invalid', 'true')
  await expect(page).toHaveURL(/\/operator\/requests\/new$/)
  await expectAccessible(page)
})

test('admin: a network too wide is refused on its field, with and without JavaScript; the privacy page asks for the typed word', async ({ page, browser }, testInfo) => {
  await loginAs(page, 'admin')
  const orgHref = await orgHrefOf(page)
  await page.goto(`${orgHref}/networks`)
  await expect(page.getByRole('heading', { level: 1, name: 'Réseaux de l’établissement' })).toBeVisible()
  await page.getByLabel('Nom', { exact: true }).fill('Tout Internet (e2e)')
  await page.getByLabel('Adresse ou réseau').fill('10.0.0.0/8')
  await page.getByRole('button', { name: 'Déclarer ce réseau' }).click()
  await expect(page.getByText('Ce réseau est trop large')).toBeVisible()
  await expect(page.getByLabel('Adresse ou réseau')).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page)

  const plain = await withoutJs(browser, testInfo.project.use.baseURL, 'admin')
  await plain.page.goto(`${orgHref}/networks`)
  await plain.page.getByLabel('Nom', { exact: true }).fill('Tout Internet (e2e)')
  await plain.page.getByLabel('Adresse ou réseau').fill('pas une adresse')
  await plain.page.getByRole('button', { name: 'Déclarer ce réseau' }).click()
  await expect(plain.page.getByText('Adresse ou réseau illisible.')).toBeVisible()
  await expect(plain.page.getByLabel('Adresse ou réseau')).toHaveAttribute('aria-invalid', 'true')
  await expect(plain.page.getByLabel('Adresse ou réseau')).toHaveValue('pas une adresse')
  await expect(plain.page.getByText('Aucun réseau déclaré')).toBeVisible()
  await plain.context.close()

  // The organization's deletion says what happens and wants the word: a wrong one deletes nothing.
  await page.goto(`${orgHref}/privacy`)
  await expect(page.getByRole('heading', { level: 1, name: 'Confidentialité et conservation' })).toBeVisible()
  await expect(page.getByText('Ce qui va se passer :')).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel('Confirmation (SUPPRIMER)').fill('supprime')
  await page.getByRole('button', { name: "Supprimer l'organisation" }).click()
  await expect(page.getByText('Tapez SUPPRIMER pour confirmer : rien n’a été supprimé.')).toBeVisible()
  await expect(page.getByLabel('Confirmation (SUPPRIMER)')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText("Suppression de l'organisation demandée")).toHaveCount(0)
})

// Post-mortem directives in the browser (issue 13 §5): a notary sends a post-mortem request
// through the public form; the school's DPO records the directive (a disclosure to the
// appointed person), verifies that person, and carries it out — without JavaScript the server
// refuses the execution until the box is ticked — and the history shows each step. The page
// passes axe. Nothing here deletes demo data (a disclosure, not an erasure).
import { expect, expectAccessible, loginAs, pickSchool, test } from './fixtures'

test.describe.configure({ timeout: 240_000 })

test('a post-mortem request: record the directive, verify the appointed person, carry it out (confirmed, also without JavaScript)', async ({ page, browser }, testInfo) => {
  const email = `notaire.${Date.now()}@example.org`
  await page.goto('/rights-request')
  await pickSchool(page, 'Jules Ferry', /École Jules Ferry/)
  await page.getByLabel('Votre demande').selectOption('post_mortem')
  await page.getByLabel('Vous êtes').selectOption('representative')
  await page.getByLabel('Prénom', { exact: true }).fill('Zoé')
  await page.getByLabel('Nom', { exact: true }).fill('Müller')
  await page.getByLabel('Vos prénom et nom').fill('Maître Dubreuil')
  await page.getByLabel('Votre adresse e-mail').fill(email)
  await page.getByRole('button', { name: 'Envoyer la demande' }).click()
  await expect(page.getByRole('heading', { name: 'Confirmez votre demande' })).toBeVisible()
  const verifyUrl = page.url()
  await page.goto('/dev/mailbox')
  const mail = page
    .locator(`article.mail[data-to="${email}"]`)
    .filter({ hasText: /Confirmez votre demande/ })
    .first()
  const code = /(?:code de confirmation|confirmation code)\s*:\s*(\d{6})\b/i.exec((await mail.locator('pre').textContent()) ?? '')![1]!
  await page.goto(verifyUrl)
  await page.getByLabel('Code reçu par e-mail').fill(code)
  await page.getByRole('button', { name: 'Confirmer' }).click()
  await expect(page.getByRole('heading', { name: 'Demande enregistrée' })).toBeVisible()
  const reference = (await page.locator('dd strong').first().textContent())!

  const dpoCtx = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'fr-FR' })
  const dpo = await dpoCtx.newPage()
  await loginAs(dpo, 'dpo')
  await dpo.goto('/home')
  const orgHref = (await dpo.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
  await dpo.goto(`${orgHref}/dpo/requests`)
  await dpo.getByRole('link', { name: reference }).click()
  const section = dpo.getByRole('region', { name: 'Directives après le décès' })
  await expect(section).toBeVisible()
  await expectAccessible(dpo)

  // 1. The directive and the appointed person.
  await section.getByLabel('Communiquer les données à la personne désignée').check()
  await section.getByLabel('Personne désignée : nom et prénom').fill('Claire Müller')
  await section.getByLabel('Personne désignée : e-mail, téléphone ou adresse').fill('claire.muller@example.org')
  await section.getByRole('button', { name: 'Enregistrer la directive' }).click()
  await expect(dpo.getByText('Directive enregistrée.')).toBeVisible()
  // Nothing can be carried out before the check.
  await expect(section.getByRole('button', { name: 'Exécuter la directive' })).toHaveCount(0)

  // 2. The appointed person checked.
  await section.getByLabel('Comment la personne a été vérifiée').selectOption('id_document')
  await section.getByLabel('Pièces vues (facultatif)').fill('Acte de décès, pièce d’identité')
  await section.getByRole('button', { name: 'Enregistrer la vérification' }).click()
  await expect(dpo.getByText('Vérification de la personne désignée enregistrée.')).toBeVisible()
  await expect(section.getByText(/Vérifiée le .* \(Pièce d'identité/)).toBeVisible()

  // 3. Without JavaScript: it says what will happen; the browser holds the unticked form back (the server refuses it too: tests/integration/post-mortem.test.ts)…
  const plainCtx = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'fr-FR', javaScriptEnabled: false })
  const plain = await plainCtx.newPage()
  await loginAs(plain, 'dpo')
  await plain.goto(dpo.url())
  const region = () => plain.getByRole('region', { name: 'Directives après le décès' })
  await expect(region().getByText(/La communication des données à Claire Müller est inscrite comme faite/)).toBeVisible()
  await expect(region().getByText('Aucun délai d’annulation pour cette étape.')).toBeVisible()
  await region()
    .getByLabel(/Ce qui a été fait/)
    .fill('Copie papier du livret remise en main propre le 2 décembre.')
  await region().getByRole('button', { name: 'Exécuter la directive' }).click()
  await plain.goto(dpo.url())
  await expect(region().getByRole('button', { name: 'Exécuter la directive' })).toBeVisible()
  // …and carries it out once ticked.
  await region()
    .getByLabel(/Ce qui a été fait/)
    .fill('Copie papier du livret remise en main propre le 2 décembre.')
  await region().getByLabel('Je comprends que cette action est définitive.').check()
  await region().getByRole('button', { name: 'Exécuter la directive' }).click()
  await expect(plain.getByText('Directive exécutée (inscrite à l’historique).')).toBeVisible()
  await plainCtx.close()

  // The history has each step.
  await dpo.reload()
  const history = dpo.getByRole('region', { name: 'Historique' })
  for (const step of ['Directive post mortem enregistrée', 'Personne désignée vérifiée', 'Directive post mortem exécutée']) await expect(history.getByText(step)).toBeVisible()
  await expectAccessible(dpo)
  await dpoCtx.close()
})

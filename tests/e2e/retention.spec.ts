// Issue 7 in the browser, without deleting any demo data the other journeys use: the operator
// records a breach, the school's DPO sees it in the navigation, its 72-hour clock, records the
// CNIL notification and downloads the PDF; a sub-processor change is announced and the DPO
// objects, which the operator sees; the admin opens a support access; the registers render.
import { expect, expectAccessible, loginAs, test } from './fixtures'

test.describe.configure({ timeout: 120_000 })

test('breach → DPO clock, CNIL step and PDF; sub-processor objection; support access; records', async ({ page, browser }) => {
  // 1. The operator records a breach affecting the demo school.
  await loginAs(page, 'operateur@demo.carnet.fr')
  await page.goto('/operator/breaches')
  await page.getByLabel('Nature de la violation').fill('Sauvegarde exposée par erreur (e2e)')
  await page.getByLabel('Détectée le').fill('2026-01-05T08:30')
  await page.getByLabel('Catégories de personnes concernées').fill('Élèves')
  await page.getByLabel('Nombre approximatif de personnes').fill('25')
  await page.getByLabel("Catégories d'enregistrements").fill('Noms, résultats')
  await page.getByLabel('Conséquences probables').fill('Divulgation de résultats scolaires')
  await page.getByLabel('Mesures prises ou envisagées').fill('Accès retiré, clés changées')
  await page.getByRole('checkbox', { name: /École Jules Ferry/ }).check()
  await page.getByRole('button', { name: 'Enregistrer et notifier les organisations' }).click()
  await expect(page.getByText(/Violation BRE-\d{4}-\d{4} enregistrée/)).toBeVisible()
  await expectAccessible(page)

  // 2. The operator announces a new sub-processor.
  await page.goto('/operator/subprocessors')
  await page.getByLabel('Nom', { exact: true }).fill('Hébergeur de secours (e2e)')
  await page.getByLabel('SIRET').fill('12345678900011')
  await page.getByLabel('Activité sous-traitée').fill('Sauvegardes externalisées')
  await page.getByLabel('Description du changement').fill('Copie des sauvegardes sur un second site en France.')
  await page.getByRole('button', { name: 'Annoncer à toutes les organisations' }).click()
  await expect(page.getByText(/Changement annoncé à \d+ organisations/)).toBeVisible()

  // 3. The school's DPO: the new breach is flagged in the navigation; its clock runs.
  const dpoCtx = await browser.newContext()
  const dpo = await dpoCtx.newPage()
  await loginAs(dpo, 'dpo')
  await dpo.getByRole('link', { name: /Violations de données \(1 nouvelle/ }).click()
  await dpo
    .getByRole('link', { name: /BRE-\d{4}-\d{4}/ })
    .first()
    .click()
  await expect(dpo.getByRole('heading', { name: /Violation de données BRE-/ })).toBeVisible()
  await expect(dpo.getByRole('status').filter({ hasText: /Reste 7\d h/ })).toBeVisible()
  await expectAccessible(dpo)
  const now = new Date(Date.now() - 5 * 60_000)
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(now)
    .replace(' ', 'T')
  await dpo.getByLabel('CNIL notifiée le').fill(local)
  await dpo.getByLabel('Référence de la notification à la CNIL').fill('CNIL-E2E-1')
  await dpo.getByLabel('Personnes concernées informées').selectOption('not_required')
  await dpo.getByRole('button', { name: 'Enregistrer' }).click()
  await expect(dpo.getByText('notifiée dans les 72 h')).toBeVisible()
  const download = dpo.waitForEvent('download')
  await dpo.getByRole('link', { name: 'Télécharger la notification (PDF)' }).click()
  expect((await download).suggestedFilename()).toMatch(/^BRE-\d{4}-\d{4}-notification\.pdf$/)

  // 4. The DPO objects to the sub-processor change (consent log).
  await dpo.goto(dpo.url().replace(/\/breaches\/.*$/, '/subprocessors'))
  await expect(dpo.getByRole('cell', { name: 'OVH' })).toBeVisible()
  // It says what will happen and that it cannot be withdrawn, and wants the box ticked.
  const objection = dpo.locator('form.confirm-form', { has: dpo.getByRole('button', { name: "M'opposer à ce changement" }) }).first()
  await expect(objection.getByText(/inscrite au journal des consentements/)).toBeVisible()
  await expect(objection.getByText(/l'opposition ne peut pas être annulée/)).toBeVisible()
  await objection.getByLabel('Je comprends que cette action est définitive.').check()
  await objection.getByRole('button', { name: "M'opposer à ce changement" }).click()
  await expect(dpo.getByText('Opposition enregistrée (journal des consentements).')).toBeVisible()
  await expectAccessible(dpo)

  // 5. The operator sees the objection.
  await page.goto('/operator/subprocessors')
  await expect(page.getByText(/École Jules Ferry/).first()).toBeVisible()
  await expect(page.locator('.badge.bad', { hasText: 'Opposition' }).first()).toBeVisible()

  // 6. The admin opens a support access for 2 hours; the operator then sees it listed.
  const adminCtx = await browser.newContext()
  const admin = await adminCtx.newPage()
  await loginAs(admin, 'admin')
  await admin.getByRole('link', { name: 'Confidentialité et conservation' }).click()
  await expectAccessible(admin)
  await admin.getByRole('link', { name: 'Accès support' }).click()
  await admin.getByLabel('Raison (ce que le support doit examiner)').fill('Import du fichier élèves bloqué (e2e)')
  await admin.getByLabel(/Durée en heures/).fill('2')
  await admin.getByRole('button', { name: "Ouvrir l'accès" }).click()
  await expect(admin.getByText(/Accès support ouvert jusqu'au/).first()).toBeVisible()
  await page.goto('/operator/support')
  await page.getByRole('link', { name: 'École Jules Ferry' }).click()
  await expect(page.getByRole('heading', { name: /Données de l'organisation/ })).toBeVisible()
  await expect(page.getByText(/Zoé Müller/)).toBeVisible()

  // 7. The records of processing and the backups page render.
  await admin.getByRole('link', { name: 'Confidentialité et conservation' }).click()
  await admin.getByRole('link', { name: 'Registre des traitements' }).click()
  await expect(admin.getByRole('heading', { name: 'Fourniture du service pédagogique' })).toBeVisible()
  // Art. 30(1)(g): the security measures, one heading per area, with the values Carnet applies.
  const security = admin.getByRole('region', { name: 'Mesures de sécurité techniques et organisationnelles (art. 30.1.g du RGPD)' })
  for (const area of ['Mots de passe et secrets', 'Chiffrement en transit', 'Contrôle d’accès', 'Journaux', 'Sauvegardes', 'Effacement'])
    await expect(security.getByRole('heading', { name: area, exact: true })).toBeVisible()
  await expect(security.getByText(/Argon2id \(19 Mio de mémoire, 2 passes/)).toBeVisible()
  await expectAccessible(admin)
  await admin.goBack()
  await admin.getByRole('link', { name: 'Sauvegardes' }).first().click()
  await expect(admin.getByRole('heading', { name: 'Calendrier (annexe D)' })).toBeVisible()
  await expectAccessible(admin)
  await dpoCtx.close()
  await adminCtx.close()
})

test('an adult deletes their own account: confirmation by email address, signed out, login refused', async ({ page }) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.91' })
  const email = `suppression.${Date.now()}@ecole-e2e.fr`
  await page.goto('/signup')
  await page.getByLabel("Nom de l'établissement ou de la famille").fill('École Éphémère')
  await page.getByLabel('Prénom').fill('Inès')
  await page.getByLabel('Nom', { exact: true }).fill('Passagère')
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByLabel('Mot de passe').fill('trois-pommes-vertes-au-soleil')
  await page.getByLabel(/J'accepte les conditions/).check()
  await page.getByRole('button', { name: 'Créer mon espace' }).click()
  await expect(page.getByRole('heading', { name: 'Bonjour Inès' })).toBeVisible()

  await page.goto('/account')
  await page.getByRole('link', { name: 'Supprimer mon compte' }).click()
  await expect(page.getByRole('heading', { name: 'Supprimer mon compte' })).toBeVisible()
  await expectAccessible(page)
  // A wrong address deletes nothing and says so on the field.
  await page.getByLabel('Pour confirmer, tapez votre adresse email').fill('autre@ecole-e2e.fr')
  await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click()
  await expect(page.getByText("Ce n'est pas l'adresse de votre compte : rien n'a été supprimé.")).toBeVisible()
  await page.getByLabel('Pour confirmer, tapez votre adresse email').fill(email)
  await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click()
  await expect(page).toHaveURL(/\/login/)

  // Signed out, and the account is gone (erased by the workers within seconds): login refused.
  await page.goto('/account')
  await expect(page).toHaveURL(/\/login/)
  await page.getByLabel(/Adresse e-mail/).fill(email)
  await page.getByLabel(/^Mot de passe$/).fill('trois-pommes-vertes-au-soleil')
  await page.getByRole('button', { name: /Se connecter/ }).click()
  await expect(page).toHaveURL(/\/login/)
  await expect(page.getByRole('alert')).toBeVisible()
})

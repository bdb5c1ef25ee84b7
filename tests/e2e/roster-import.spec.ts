// The onboarding path: the demo school's admin imports a French-Excel CSV (semicolons, BOM,
// accents) with two bad rows, reads the dry run, confirms without fixing anything, and finds
// the good children created and the bad lines listed.
import { fileURLToPath } from 'node:url'
import { expect, expectAccessible, loginAs, test } from './fixtures'

const FIXTURE = fileURLToPath(new URL('../../app/models/roster/fixtures/eleves-excel-fr.csv', import.meta.url))

test('admin imports a French Excel roster: dry run with line numbers, confirm, result', async ({ page }, testInfo) => {
  await loginAs(page, 'admin')
  await page.goto('/home')
  await page.getByRole('link', { name: 'Importer des élèves' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Importer des élèves' })).toBeVisible()
  await expect(page.getByText('École Jules Ferry').first()).toBeVisible()

  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('roster-upload.png'), fullPage: true })
  await page.getByLabel('Fichier (CSV ou zip OneRoster)').setInputFiles(FIXTURE)
  await page.getByRole('button', { name: 'Analyser le fichier' }).click()

  // The dry run: nothing written yet, what was detected, the two bad lines with their reason.
  await expect(page.getByRole('heading', { name: 'Simulation de l’import' })).toBeVisible()
  await expect(page.getByTestId('detected')).toContainText('UTF-8 avec BOM')
  await expect(page.getByTestId('detected')).toContainText('point-virgule')
  const rejected = page.getByTestId('rejected')
  await expect(rejected.locator('tbody tr')).toHaveCount(2)
  await expect(rejected.locator('tbody tr').nth(0)).toContainText('5')
  await expect(rejected.locator('tbody tr').nth(0)).toContainText('La date de naissance est illisible')
  await expect(rejected.locator('tbody tr').nth(1)).toContainText('8')
  await expect(rejected.locator('tbody tr').nth(1)).toContainText('Aucune classe n’est indiquée')
  const toCreate = page.getByTestId('to-create')
  await expect(toCreate.locator('tbody tr')).toHaveCount(4)
  for (const name of ['Zoé', 'Seán Patrick', 'Chloé', 'Noémie']) await expect(toCreate).toContainText(name)
  // Siblings Zoé and Noémie share an email: one invitation covering both.
  await expect(page.getByTestId('guardians').getByRole('row', { name: /parent\.dupont@exemple\.fr/ })).toContainText('2')
  // The demo class's children are not in the file: listed to archive, nothing ticked.
  const missing = page.getByTestId('missing')
  await expect(missing.getByRole('checkbox')).toHaveCount(5)
  await expect(missing.getByRole('checkbox', { checked: true })).toHaveCount(0)
  await expect(missing).toContainText('Müller Zoé')
  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('roster-dry-run.png'), fullPage: true })

  await page.getByRole('button', { name: 'Confirmer l’import' }).click()

  await expect(page.getByRole('heading', { name: 'Import terminé' })).toBeVisible()
  await expect(page.getByRole('status')).toContainText('4 enfants créés')
  const created = page.getByTestId('created')
  for (const name of ['Dupont', "O'Brien", 'Lefèvre', "D'Almeida"]) await expect(created).toContainText(name)
  await expect(created).toContainText('CP A')
  await expect(created).toContainText('CE1 B')
  const notImported = page.getByTestId('rejected')
  await expect(notImported.locator('tbody tr')).toHaveCount(2)
  await expect(notImported).toContainText('La date de naissance est illisible')
  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('roster-result.png'), fullPage: true })

  // Importing the same file again: everything is unchanged, nothing to create.
  await page.getByRole('link', { name: 'Importer un autre fichier' }).click()
  await expect(page.getByRole('table').first()).toContainText('terminé')
  await page.getByLabel('Fichier (CSV ou zip OneRoster)').setInputFiles(FIXTURE)
  await page.getByRole('button', { name: 'Analyser le fichier' }).click()
  await expect(page.getByRole('heading', { name: 'Simulation de l’import' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Enfants à créer (0)' })).toBeVisible()
  await expect(page.getByText('Enfants inchangés (4)')).toBeVisible()
  await page.getByRole('button', { name: 'Abandonner cet import' }).click()
  await expect(page.getByRole('button', { name: 'Analyser le fichier' })).toBeVisible()
})

test('unknown headers lead to the column-mapping step', async ({ page }, testInfo) => {
  await loginAs(page, 'admin')
  await page.goto('/home')
  await page.getByRole('link', { name: 'Importer des élèves' }).first().click()
  const csv = 'Eleve_Nom,Eleve_Prenom,Ne le,Division\nMartin,Inès,12/03/2017,CE2 C\n'
  await page.getByLabel('Fichier (CSV ou zip OneRoster)').setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: 'Analyser le fichier' }).click()

  await expect(page.getByRole('heading', { name: 'Correspondance des colonnes' })).toBeVisible()
  await expect(page.getByRole('alert')).toContainText('Prénom, Nom, Date de naissance, Classe')
  await page.getByLabel('Nom (obligatoire)', { exact: true }).selectOption('Eleve_Nom')
  await page.getByLabel('Prénom (obligatoire)').selectOption('Eleve_Prenom')
  await page.getByLabel('Date de naissance (obligatoire)').selectOption('Ne le')
  await page.getByLabel('Classe (obligatoire)').selectOption('Division')
  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('roster-mapping.png'), fullPage: true })
  await page.getByRole('button', { name: 'Appliquer et analyser' }).click()

  await expect(page.getByRole('heading', { name: 'Simulation de l’import' })).toBeVisible()
  await expect(page.getByTestId('detected')).toContainText('virgule')
  await expect(page.getByTestId('to-create')).toContainText('Inès')
  await expect(page.getByTestId('to-create')).toContainText('CE2 C')
  await page.getByRole('button', { name: 'Abandonner cet import' }).click()
  await expect(page.getByRole('button', { name: 'Analyser le fichier' })).toBeVisible()
})

test('a big file is committed in the background with a progress bar', async ({ page }, testInfo) => {
  test.setTimeout(120_000)
  const lines = ['Nom;Prénom;Date de naissance;Classe;Identifiant;Email responsable 1']
  for (let i = 0; i < 1500; i++) lines.push(`Grand-${i};Élève;${String(1 + (i % 28)).padStart(2, '0')}/05/2016;CE2 ${1 + (i % 30)};BIG${i};famille${i}@example.fr`)
  await loginAs(page, 'admin')
  await page.goto('/home')
  await page.getByRole('link', { name: 'Importer des élèves' }).first().click()
  await page.getByLabel('Fichier (CSV ou zip OneRoster)').setInputFiles({ name: 'gros.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) })
  await page.getByRole('button', { name: 'Analyser le fichier' }).click()
  await expect(page.getByRole('heading', { name: 'Enfants à créer (1500)' })).toBeVisible()
  await expect(page.getByText('… et 1300 de plus.').first()).toBeVisible()
  await page.getByRole('button', { name: 'Confirmer l’import' }).click()
  // The page answers at once (running, with its progress bar) or after a fast job (done).
  await expect(page.getByRole('heading', { name: /Import en cours|Import terminé/ })).toBeVisible()
  if (await page.getByRole('heading', { name: 'Import en cours' }).isVisible()) {
    await expect(page.getByRole('progressbar')).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('roster-running.png') })
    await expectAccessible(page)
  }
  await expect(page.getByRole('heading', { name: 'Import terminé' })).toBeVisible({ timeout: 60_000 })
  await expect(page.getByRole('status')).toContainText('1500 enfants créés')
})

test('a child erased after a request is flagged on the next import and comes back only as a ticked new enrolment', async ({ page }, testInfo) => {
  test.setTimeout(240_000)
  const file = {
    name: 'retour.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Nom;Prénom;Date de naissance;Classe;Identifiant\nEffacée;Clara;07/07/2019;CP E;E2E-ERASED\nGardée;Lina;08/08/2019;CP E;E2E-KEPT\n'),
  }
  await loginAs(page, 'admin')
  await page.goto('/home')
  await page.getByRole('link', { name: 'Importer des élèves' }).first().click()
  await expect(page).toHaveURL(/\/org\/[^/]+\/import/)
  const orgId = /\/org\/([^/]+)\/import/.exec(page.url())![1]!
  const upload = async () => {
    await page.goto(`/org/${orgId}/import`)
    await page.getByLabel('Fichier (CSV ou zip OneRoster)').setInputFiles(file)
    await page.getByRole('button', { name: 'Analyser le fichier' }).click()
    await expect(page.getByRole('heading', { name: 'Simulation de l’import' })).toBeVisible()
  }
  await upload()
  await page.getByRole('button', { name: 'Confirmer l’import' }).click()
  await expect(page.getByRole('status')).toContainText('2 enfants créés')

  // The admin deletes Clara's account (her parents asked): erased by the workers within seconds.
  await page.goto(`/org/${orgId}/privacy`)
  const claraId = await page.locator('#member-pick option', { hasText: 'Clara' }).getAttribute('value')
  await page.goto(`/org/${orgId}/members/${claraId}/delete`)
  await page.getByLabel('Confirmation (SUPPRIMER)').fill('SUPPRIMER')
  await page.getByRole('button', { name: 'Demander la suppression' }).click()

  // The same file again: Clara's row is flagged with the erasure date (once the erasure is done).
  const erased = page.getByTestId('erased')
  await expect(async () => {
    await upload()
    await expect(erased).toContainText('à la suite d’une demande — non recréé', { timeout: 1000 })
  }).toPass({ timeout: 90_000 })
  await expect(page.getByRole('heading', { name: 'Enfants effacés à la suite d’une demande (1)' })).toBeVisible()
  await expect(erased).toContainText('Effacée')
  await expect(erased).toContainText(/effacé le \d{1,2} [^ ]+ \d{4} à la suite d’une demande — non recréé/)
  await expect(page.getByTestId('to-create')).not.toContainText('Clara')
  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('roster-erased-dry-run.png'), fullPage: true })

  // Confirmed without ticking: not re-created.
  await page.getByRole('button', { name: 'Confirmer l’import' }).click()
  await expect(page.getByRole('heading', { name: 'Import terminé' })).toBeVisible()
  await expect(page.getByRole('status')).toContainText('0 enfant créé')
  await expect(page.getByRole('status')).toContainText('1 enfant effacé à la suite d’une demande non recréé')

  // Clara really comes back: the admin ticks "c'est une nouvelle inscription" for her row.
  await upload()
  await erased.getByRole('checkbox', { name: 'c’est une nouvelle inscription' }).check()
  await page.getByRole('button', { name: 'Confirmer l’import' }).click()
  await expect(page.getByRole('heading', { name: 'Import terminé' })).toBeVisible()
  await expect(page.getByRole('status')).toContainText('1 enfant créé')
  await expect(page.getByRole('status')).toContainText('1 recréé comme nouvelle inscription')
})

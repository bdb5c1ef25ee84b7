// The DPO journey of issue 6: a parent files an access request for their child on the public
// form, confirms it with the emailed code, the platform (workers inside `npm start`) forwards it
// to the school, the school's DPO sees it, checks identity, builds the access package — which
// the test opens — hands it to the parent through an emailed link (issue 13 §5), whose summary
// speaks in categories and names no table, and the consent log verifies intact.
import fs from 'node:fs'
import unzipper from 'unzipper'
import { extractPdfText } from '../../app/documents/pdf/extract-text'
import { expect, expectAccessible, linkFromMailbox, loginAs, pickSchool, test } from './fixtures'

test.describe.configure({ timeout: 120_000 })

/** The newest dev-mailbox message to `to` whose subject matches, as text. */
async function mailText(page: import('@playwright/test').Page, to: string, subject: RegExp) {
  await page.goto('/dev/mailbox')
  const mail = page.locator(`article.mail[data-to="${to}"]`).filter({ hasText: subject }).first()
  await expect(mail).toBeVisible()
  return (await mail.locator('pre').textContent()) ?? ''
}

test('a parent’s access request: public form, emailed code, forwarded, DPO builds the package; consent log intact', async ({ page, browser }) => {
  const parentEmail = `parent.e2e.${Date.now()}@example.org`

  // 1. The public form, no account.
  await page.goto('/rights-request')
  await expect(page.getByRole('heading', { name: 'Exercer vos droits sur vos données' })).toBeVisible()
  await expectAccessible(page)
  await pickSchool(page, 'Jules Ferry', /École Jules Ferry/)
  await page.getByLabel('Votre demande').selectOption('access')
  await page.getByLabel('Vous êtes').selectOption('guardian')
  await page.getByLabel('Prénom', { exact: true }).fill('Zoé')
  await page.getByLabel('Nom', { exact: true }).fill('Müller')
  await page.getByLabel('Date de naissance').fill('2017-03-14')
  await page.getByLabel('Vos prénom et nom').fill('Julie Müller')
  await page.getByLabel('Votre adresse e-mail').fill(parentEmail)
  await page.getByRole('button', { name: 'Envoyer la demande' }).click()
  await expect(page.getByRole('heading', { name: 'Confirmez votre demande' })).toBeVisible()
  const verifyUrl = page.url()
  await expectAccessible(page)

  // 2. The code from the mail.
  const code = /\b(\d{6})\b/.exec(await mailText(page, parentEmail, /Confirmez votre demande/))?.[1]
  expect(code).toBeTruthy()
  await page.goto(verifyUrl)
  await page.getByLabel('Code reçu par e-mail').fill(code!)
  await page.getByRole('button', { name: 'Confirmer' }).click()
  await expect(page.getByRole('heading', { name: 'Demande enregistrée' })).toBeVisible()
  const reference = (await page.locator('dd strong').first().textContent())!
  expect(reference).toMatch(/^DSR-\d{4}-\w{6}$/)

  // 3. Forwarded by the workers: the receipt reaches the parent, well within a minute.
  await expect
    .poll(
      async () => (
        await page.goto('/dev/mailbox'),
        await page
          .locator(`article.mail[data-to="${parentEmail}"]`)
          .filter({ hasText: /Accusé de réception/ })
          .count()
      ),
      { timeout: 60_000, intervals: [500, 1000] },
    )
    .toBe(1)
  const receipt = await mailText(page, parentEmail, /Accusé de réception/)
  expect(receipt).toContain(reference)
  expect(receipt).toContain('École Jules Ferry')
  await page.goto(verifyUrl)
  await expect(page.getByText('au plus tard le')).toHaveCount(0) // a forwarding date, not a deadline

  // 4. The school's DPO sees it, new, in the list.
  const dpo = await browser.newContext()
  const dpoPage = await dpo.newPage()
  await loginAs(dpoPage, 'dpo')
  await dpoPage.getByRole('link', { name: 'Demandes de droits (RGPD)' }).click()
  await expect(dpoPage.getByRole('heading', { name: 'Demandes de droits' })).toBeVisible()
  const row = dpoPage.getByRole('row').filter({ hasText: reference })
  await expect(row).toContainText('Accès')
  await expect(row).toContainText('nouveau')
  await expect(row).toContainText('Zoé Müller')
  await expectAccessible(dpoPage)
  await row.getByRole('link', { name: reference }).click()
  await expect(dpoPage.getByRole('heading', { name: new RegExp(reference) })).toBeVisible()
  await expect(dpoPage.getByText('dans les 48 h')).toBeVisible()

  // 5. Identity check recorded, then the package.
  await dpoPage.getByLabel('Comment avez-vous vérifié ?').selectOption('id_document')
  await dpoPage.getByRole('button', { name: 'Enregistrer la vérification' }).click()
  await expect(dpoPage.getByText('Vérification de l’identité enregistrée.')).toBeVisible()
  await expectAccessible(dpoPage)
  const [download] = await Promise.all([dpoPage.waitForEvent('download'), dpoPage.getByRole('button', { name: 'Générer et télécharger le dossier' }).click()])
  expect(download.suggestedFilename()).toBe(`${reference}-acces.zip`)
  const zip = await unzipper.Open.buffer(fs.readFileSync((await download.path())!))
  const read = async (name: string) => (await zip.files.find((f) => f.path === name)!.buffer()).toString('utf8')
  const child = JSON.parse(await read('data/users.json'))
  expect(child).toEqual([expect.objectContaining({ first_name: 'Zoé', last_name: 'Müller', birth_date: '2017-03-14', kind: 'child' })])
  expect(JSON.parse(await read('data/enrolments.json'))).toHaveLength(1)
  const art15 = await read('ARTICLE-15-information.txt')
  expect(art15).toContain("Informations au titre de l'article 15 du RGPD")
  expect(art15).toContain('Finalités du traitement')
  expect(art15).toContain('CNIL')
  expect(zip.files.map((f) => f.path)).toEqual(expect.arrayContaining(['summary.pdf', 'manifest.json', 'README.txt']))

  // 6. Handed to the parent inside Carnet: a confirmed release, an emailed link, the download.
  await dpoPage.getByLabel('Je confirme la remise du dossier à ce demandeur, dont l’identité a été vérifiée.').check()
  await dpoPage.getByRole('button', { name: 'Envoyer le lien au demandeur' }).click()
  await expect(dpoPage.getByText('Lien de téléchargement envoyé au demandeur.')).toBeVisible()
  await expect(dpoPage.getByText(/3 téléchargements restants sur 3/)).toBeVisible()
  const packageLink = await linkFromMailbox(page, parentEmail, /Vos données personnelles/)
  expect(packageLink).toMatch(/\/rights-request\/package\/[a-z0-9]+$/)
  await page.goto(packageLink)
  await expect(page.getByRole('heading', { name: 'Vos données personnelles' })).toBeVisible()
  await expect(page.getByText('Il reste 3 téléchargements.')).toBeVisible()
  await expectAccessible(page)
  const [got] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le dossier' }).click()])
  expect(got.suggestedFilename()).toBe(`${reference}-acces.zip`)
  const parentZip = await unzipper.Open.buffer(fs.readFileSync((await got.path())!))
  const pdf = (await extractPdfText(new Uint8Array(await parentZip.files.find((f) => f.path === 'summary.pdf')!.buffer()))).join('\n')
  for (const category of ['Données détenues, par catégorie', 'Identité', 'Vie scolaire', 'Messages et demandes']) expect(pdf).toContain(category)
  expect(pdf).not.toContain('Activité en tant que membre du personnel')
  for (const table of ['users', 'enrolments', 'memberships', 'outbox_mails', 'erasure_tombstones', 'rights_requests', 'sessions', 'consent_records'])
    expect(pdf).not.toMatch(new RegExp(`\\b${table}\\b`, 'i'))
  await page.reload()
  await expect(page.getByText('Il reste 2 téléchargements.')).toBeVisible()

  // 7. The consent log verifies intact.
  await dpoPage.getByRole('link', { name: 'Journal des consentements' }).click()
  await dpoPage.getByRole('button', { name: 'Vérifier la chaîne' }).click()
  await expect(dpoPage.getByText('Chaîne intacte.')).toBeVisible()
  await expectAccessible(dpoPage)
  await dpo.close()
})

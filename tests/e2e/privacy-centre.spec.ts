// Issue 13 §5, the privacy centre, in French: a parent finds "Exercer mes droits" from the login
// page, searches their school (a few letters of the town; a family space is never offered),
// submits a request, confirms it with the emailed code, follows the status link of the receipt
// and sees where the request stands; the school's DPO releases the access package and the parent
// downloads it from that same status page — its summary PDF names no database table. A signed-in
// parent finds "Mes demandes" from their account, and the privacy policy links to the centre.
import fs from 'node:fs'
import unzipper from 'unzipper'
import { extractPdfText } from '../../app/documents/pdf/extract-text'
import { CLASSIFICATION } from '../../app/compliance/classification'
import type { Browser, Page } from '@playwright/test'
import { expect, expectAccessible, linkFromMailbox, loginAs, test } from './fixtures'

// Table names a parent must never meet in the summary: every table of the classification, but
// for the few that are also plain French words ("classes", "sessions", "notifications").
const TABLE_NAMES = Object.keys(CLASSIFICATION).filter((n) => !['classes', 'sessions', 'notifications'].includes(n))

test.describe.configure({ timeout: 180_000 })

/**
 * The whole journey, in French: the login page's "Exercer mes droits", the school searched, the
 * request and its code, the status link of the receipt, the DPO's release, the download from the
 * status page, whose summary PDF names no database table. Returns the status link.
 */
async function journey(page: Page, browser: Browser) {
  const email = `parent.centre.${Date.now()}@example.org`

  // 1. The login page links to the privacy centre, in the page and in the footer of every page.
  await page.goto('/login')
  await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Exercer mes droits' })).toBeVisible()
  await page.getByRole('main').getByRole('link', { name: 'Exercer mes droits' }).click()
  await expect(page.getByRole('heading', { name: 'Vos données, vos droits', level: 1 })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Faire une demande (sans compte)' }).click()
  await expect(page.getByRole('heading', { name: 'Exercer vos droits sur vos données' })).toBeVisible()

  // 2. No list of schools in the page: it is searched. Too short, a family space, then the town.
  await expect(page.getByRole('radio')).toHaveCount(0)
  await expect(page.getByRole('option', { name: 'École Jules Ferry' })).toHaveCount(0)
  const search = page.getByRole('searchbox', { name: 'Rechercher votre établissement' })
  await search.fill('Ly')
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click()
  await expect(page.getByText('Saisissez au moins 3 lettres ou chiffres.')).toBeVisible()
  await search.fill('Famille Martin')
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click()
  await expect(page.getByText('Aucun établissement ne correspond à « Famille Martin »')).toBeVisible()
  await expect(page.getByRole('radio')).toHaveCount(0)
  // With JavaScript the results follow the typing (no click).
  await search.fill('lyon')
  const school = page.getByRole('radio', { name: /École Jules Ferry/ })
  await expect(school).toBeVisible()
  await expect(page.getByText('Lyon · 0691234A')).toBeVisible()
  await expectAccessible(page)

  // 3. The request, then the emailed code.
  await school.check()
  await page.getByLabel('Votre demande').selectOption('access')
  await page.getByLabel('Vous êtes').selectOption('guardian')
  await page.getByLabel('Prénom', { exact: true }).fill('Zoé')
  await page.getByLabel('Nom', { exact: true }).fill('Müller')
  await page.getByLabel('Vos prénom et nom').fill('Julie Müller')
  await page.getByLabel('Votre adresse e-mail').fill(email)
  await page.getByRole('button', { name: 'Envoyer la demande' }).click()
  await expect(page.getByRole('heading', { name: 'Confirmez votre demande' })).toBeVisible()
  const verifyUrl = page.url()
  await page.goto('/dev/mailbox')
  const codeMail = page.locator(`article.mail[data-to="${email}"]`).filter({ hasText: /Confirmez votre demande/ })
  const code = /code de confirmation\s*:\s*(\d{6})/.exec((await codeMail.locator('pre').textContent()) ?? '')?.[1]
  expect(code).toBeTruthy()
  await page.goto(verifyUrl)
  await page.getByLabel('Code reçu par e-mail').fill(code!)
  await page.getByRole('button', { name: 'Confirmer' }).click()
  await expect(page.getByRole('heading', { name: 'Demande enregistrée' })).toBeVisible()
  const reference = (await page.locator('dd strong').first().textContent())!

  // 4. The receipt (sent when the workers forward the request) carries the status link.
  await expect
    .poll(
      async () => (
        await page.goto('/dev/mailbox'),
        await page
          .locator(`article.mail[data-to="${email}"]`)
          .filter({ hasText: /Accusé de réception/ })
          .count()
      ),
      {
        timeout: 60_000,
        intervals: [500, 1000],
      },
    )
    .toBe(1)
  const statusLink = await linkFromMailbox(page, email, /Accusé de réception/)
  expect(statusLink).toMatch(/\/rights-request\/status\/[A-Za-z0-9_-]{43}$/)

  // 5. The status page, without signing in.
  await page.goto(statusLink)
  await expect(page.getByRole('heading', { name: `Votre demande ${reference}`, level: 1 })).toBeVisible()
  await expect(page.getByText("transmise à l'établissement", { exact: true })).toBeVisible()
  await expect(page.getByText('Accès aux données (obtenir une copie)')).toBeVisible()
  await expect(page.getByText('École Jules Ferry', { exact: true })).toBeVisible()
  await expect(page.getByText('Réponse due le')).toBeVisible()
  await expect(page.getByText("École Jules Ferry n'a pas encore répondu.")).toBeVisible()
  await expect(page.getByText('Zoé')).toHaveCount(0)
  await expectAccessible(page)

  // 6. The school's DPO checks the requester's identity and releases the package…
  const dpo = await browser.newContext()
  const dpoPage = await dpo.newPage()
  await loginAs(dpoPage, 'dpo')
  await dpoPage.getByRole('link', { name: 'Demandes de droits (RGPD)' }).click()
  await dpoPage.getByRole('row').filter({ hasText: reference }).getByRole('link', { name: reference }).click()
  await dpoPage.getByLabel('Comment avez-vous vérifié ?').selectOption('id_document')
  await dpoPage.getByRole('button', { name: 'Enregistrer la vérification' }).click()
  await expect(dpoPage.getByText('Vérification de l’identité enregistrée.')).toBeVisible()
  await dpoPage.getByLabel('Je confirme la remise du dossier à ce demandeur').check()
  await dpoPage.getByRole('button', { name: 'Envoyer le lien au demandeur' }).click()
  await expect(dpoPage.getByText('Lien de téléchargement envoyé au demandeur.')).toBeVisible()
  await dpo.close()

  // …and the parent downloads it from the status page.
  await page.goto(statusLink)
  await expect(page.getByRole('heading', { name: 'Vos données sont prêtes' })).toBeVisible()
  await expect(page.getByText(/peut être téléchargé jusqu’au .* \(3 téléchargements restants\)/)).toBeVisible()
  await expectAccessible(page)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le dossier' }).click()])
  expect(download.suggestedFilename()).toBe(`${reference}-acces.zip`)
  const zip = await unzipper.Open.buffer(fs.readFileSync((await download.path())!))
  const summary = zip.files.find((f) => f.path === 'summary.pdf')
  expect(summary).toBeTruthy()
  const pdf = (await extractPdfText(new Uint8Array(await summary!.buffer()))).join('\n')
  expect(pdf).toContain('Zoé')
  expect(
    TABLE_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(pdf)),
    'table names in the summary PDF',
  ).toEqual([])
  expect(zip.files.map((f) => f.path)).toEqual(expect.arrayContaining(['manifest.json', 'README.txt']))
  return { statusLink }
}

test('a parent exercises their rights from the login page and follows the request through the status link, then downloads the package the DPO released', async ({ page, browser, consoleErrors }) => {
  const { statusLink } = await journey(page, browser)
  await page.goto(statusLink)
  await expect(page.getByText(/\(2 téléchargements restants\)/)).toBeVisible()

  // 7. A link that opens nothing says so, in French.
  await page.goto('/rights-request/status/ce-lien-n-existe-pas')
  await expect(page.getByRole('heading', { name: 'Lien de suivi inconnu' })).toBeVisible()
  await expect(page.getByText("Ce lien de suivi n'ouvre aucune demande.")).toBeVisible()
  // That page answers 404, which the browser logs: expected here, and only here.
  expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)'])
  consoleErrors.length = 0
})

test('signed in: "Mes demandes" from the account page and the centre; the privacy policy links to the centre', async ({ page }) => {
  await page.goto('/legal/privacy')
  await expect(page.getByRole('main').getByRole('link', { name: 'Exercer mes droits' })).toBeVisible()
  await loginAs(page, 'parent')
  await page.goto('/account')
  await expect(page.getByRole('main').getByRole('link', { name: 'Exercer mes droits' })).toBeVisible()
  await page.getByRole('main').getByRole('link', { name: 'Mes demandes' }).click()
  await expect(page.getByRole('heading', { name: 'Mes demandes', level: 1 })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('contentinfo').getByRole('link', { name: 'Exercer mes droits' }).click()
  await expect(page.getByRole('link', { name: 'Faire une demande depuis mon compte' })).toBeVisible()
  await expect(page.getByRole('main').getByRole('link', { name: 'Mes demandes' })).toBeVisible()
})

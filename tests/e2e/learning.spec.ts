// The learning record journey on the demo's CM1 A: the teacher creates a quiz, Zoé takes it
// on the class tablet (another browser), the teacher sees her score in the class grid, records
// observations and publishes the quiz and one observation; Zoé's parent sees exactly what was
// published (and downloads the PDF); the teacher downloads the class ZIP, which the test opens:
// manifest hashes, the CSV, and Zoé's PDF with her accented name.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import unzipper from 'unzipper'
import { expect, expectAccessible, loginAs, test } from './fixtures'
import { extractPdfText } from '../../app/documents/pdf/extract-text'

const QUIZ = 'Quiz e2e : les animaux'
const PUBLISHED_NOTE = 'Lecture fluide et expressive (e2e)'
const HIDDEN_NOTE = 'Observation non publiée (e2e)'

/** The short code printed on a child's card: the first code-shaped line after the name. */
function codeFor(text: string, firstName: string) {
  const lines = text.split('\n').map((l) => l.trim())
  const at = lines.indexOf(firstName)
  expect(at, `${firstName} is on a card`).toBeGreaterThanOrEqual(0)
  const code = lines.slice(at + 1).find((l) => /^[A-Z2-9]{6}$/.test(l))
  if (!code) throw new Error(`no code after ${firstName}`)
  return code
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

test('quiz → child answers on a tablet → grid → observations → publish → guardian sees only what was published → class ZIP', async ({ page, browser }, testInfo) => {
  test.setTimeout(360_000)
  // The teacher opens CM1 A and prints the login cards (the PDF holds Zoé's new code).
  await loginAs(page, 'teacher')
  await page.goto('/home')
  const orgHref = (await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href'))!
  await page.goto(`${orgHref}/classes`)
  await page.getByRole('link', { name: 'CM1 A' }).first().click()
  await expect(page).toHaveURL(/\/classes\/[0-9a-f-]{36}$/)
  const classUrl = new URL(page.url()).pathname
  const [cards] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Imprimer les cartes \(les anciennes/ }).click()])
  const code = codeFor((await extractPdfText(new Uint8Array(fs.readFileSync((await cards.path())!)))).join('\n'), 'Zoé')

  // The class grid, then a new quiz for the whole class.
  await page.getByRole('link', { name: /Suivi des apprentissages/ }).click()
  await expect(page.getByRole('heading', { name: 'Suivi des apprentissages — CM1 A' })).toBeVisible()
  const gridUrl = new URL(page.url()).pathname
  await page.getByRole('link', { name: 'Nouvelle activité' }).click()
  await page.getByLabel('Titre').fill(QUIZ)
  await page.getByLabel('Consigne (facultatif)').fill('Touche la bonne réponse.')
  await page.getByRole('checkbox', { name: /Comprendre un texte littéraire/ }).check()
  await page.locator('#q0-text').fill('Combien de pattes a un chat ?')
  await page.getByLabel('Question 1, réponse 1').fill('Quatre')
  await page.getByLabel('Question 1, réponse 2').fill('Deux')
  await page.getByLabel('Question 1 : la réponse 1 est la bonne').check()
  await page.locator('#q1-text').fill('Quel animal vole ?')
  await page.getByLabel('Question 2, réponse 1').fill('Le chien')
  await page.getByLabel('Question 2, réponse 2').fill('L’oiseau')
  await page.getByLabel('Question 2 : la réponse 2 est la bonne').check()
  await page.screenshot({ path: testInfo.outputPath('learning-0-new-quiz.png'), fullPage: true })
  await page.getByRole('button', { name: 'Créer l’activité' }).click()
  await expect(page.getByText('Activité créée. Les élèves la trouvent dans leur espace.')).toBeVisible()
  await expect(page.getByRole('heading', { name: QUIZ })).toBeVisible()
  await expectAccessible(page)
  const activityUrl = new URL(page.url()).pathname

  // The class tablet: Zoé logs in with her card and takes the quiz.
  const tablet = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    locale: 'fr-FR',
    viewport: { width: 768, height: 1024 },
    hasTouch: true,
    extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.41' },
  })
  const child = await tablet.newPage()
  await child.goto('/child-login')
  await child.getByLabel('Code de la classe').fill('JFCM1A')
  await child.getByRole('button', { name: /Continuer/ }).click()
  await child.getByRole('button', { name: 'Zoé M.' }).click()
  await child.getByLabel('Ton code (il est sur ta carte)').fill(code)
  await child.getByRole('button', { name: /Entrer/ }).click()
  await expect(child).toHaveURL(/\/me$/)
  const todo = child.getByRole('link', { name: new RegExp(`${QUIZ}.*À faire`) })
  await expect(todo).toBeVisible()
  await child.screenshot({ path: testInfo.outputPath('learning-1-me-tablet.png'), fullPage: true })
  await todo.click()
  await expect(child.getByRole('heading', { name: QUIZ })).toBeVisible()
  await expect(child.getByText('Question 1 sur 2')).toBeVisible()
  await expect(child.getByText('Question 2 sur 2')).toBeHidden() // one question at a time
  await expect(child.getByRole('button', { name: /Suivant/ })).toBeDisabled() // until an answer is chosen
  await expectAccessible(child)
  await child.screenshot({ path: testInfo.outputPath('learning-2-quiz-tablet.png'), fullPage: true })
  await child.locator('label').filter({ hasText: 'Quatre' }).click()
  await expect(child.getByRole('radio', { name: 'Quatre' })).toBeChecked()
  await child.getByRole('button', { name: /Suivant/ }).click()
  await expect(child.getByText('Question 2 sur 2')).toBeVisible()
  await child.locator('label').filter({ hasText: 'L’oiseau' }).click()
  await child.screenshot({ path: testInfo.outputPath('learning-3-quiz-q2-tablet.png'), fullPage: true })
  await child.getByRole('button', { name: /J’ai fini/ }).click()
  await expect(child.getByRole('heading', { name: 'Bravo Zoé !' })).toBeVisible()
  await expect(child.getByText('Tu as 2 bonnes réponses sur 2.')).toBeVisible()
  await expectAccessible(child)
  await child.screenshot({ path: testInfo.outputPath('learning-4-quiz-done-tablet.png'), fullPage: true })
  await child.getByRole('link', { name: 'Retour à mon espace' }).click()
  await expect(child.getByRole('link', { name: new RegExp(`${QUIZ}.*Fait : 2 sur 2`) })).toBeVisible()
  await child.getByRole('link', { name: 'Voir mes progrès' }).click()
  await expect(child.getByRole('heading', { name: 'Mes progrès, Zoé' })).toBeVisible()
  await expect(child.getByRole('link', { name: new RegExp(`${QUIZ}.*Fait : 2 sur 2`) })).toBeVisible()
  await expectAccessible(child)
  await tablet.close()

  // The teacher sees Zoé's score in the grid.
  await page.goto(gridUrl)
  const zoeRow = page.getByRole('row', { name: /Zoé Müller/ })
  await expect(zoeRow).toContainText('2/2')
  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('learning-5-grid.png'), fullPage: true })
  // The table comes once, as HTML: not a second time as data for hydration. Hydrated, the page
  // keeps it; without JavaScript it is the same table.
  const body = await (await page.request.get(gridUrl)).text()
  expect(body.split('Zoé Müller').length - 1).toBe(1)
  await page.waitForLoadState('networkidle')
  await expect(zoeRow).toContainText('2/2')
  const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() })
  const plain = await noJs.newPage()
  await plain.goto(gridUrl)
  await expect(plain.getByRole('row', { name: /Zoé Müller/ })).toContainText('2/2')
  await noJs.close()
  const recordHref = (await zoeRow.getByRole('link', { name: 'Zoé Müller' }).getAttribute('href'))!
  const zoeId = recordHref.split('/children/')[1]!.split('/')[0]!

  // Observations: one to publish, one that stays with the school.
  const observe = async (skill: string, level: string, note: string) => {
    await page.goto(gridUrl)
    await page.getByRole('link', { name: 'Observer' }).click()
    await page.getByLabel('Compétence observée').selectOption({ label: skill })
    await page.getByLabel('Niveau de Zoé Müller').selectOption({ label: level })
    await page.getByLabel('Remarque pour Zoé Müller').fill(note)
    await page.getByRole('button', { name: 'Enregistrer les observations' }).click()
    await expect(page.getByText('1 observation enregistrée.')).toBeVisible()
  }
  await observe('Lire avec fluidité (C3-FR-LIRE-1)', 'Acquis', PUBLISHED_NOTE)
  await expectAccessible(page)
  await observe('Parler en prenant en compte son auditoire (C3-FR-ORAL-1)', 'En cours', HIDDEN_NOTE)

  // Publish the quiz in bulk from the grid, and the first observation from Zoé's record.
  await page.goto(gridUrl)
  await page
    .getByRole('region', { name: 'Publier aux familles' })
    .getByRole('checkbox', { name: new RegExp(QUIZ) })
    .check()
  await page.getByRole('button', { name: 'Publier les activités cochées' }).click()
  await expect(page.getByText(/Publié : \d+ résultats?,/)).toBeVisible()
  // The grid was revalidated in the browser (packed cells, table rebuilt there): the quiz shows as published.
  await expect(page.getByRole('columnheader', { name: new RegExp(QUIZ) })).toContainText('Visible par les familles')
  await page.goto(recordHref)
  await expect(page.getByRole('heading', { name: 'Livret de Zoé Müller' })).toBeVisible()
  await page.getByRole('checkbox', { name: /Sélectionner : Lire avec fluidité/ }).check()
  await page.getByRole('button', { name: 'Publier la sélection' }).click()
  await expect(page.getByText('Publié : 0 résultat, 1 observation.')).toBeVisible()
  await expect(page.getByRole('row', { name: new RegExp(QUIZ) })).toContainText('Visible par les familles')
  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('learning-6-record-teacher.png'), fullPage: true })

  // Zoé's parent (linked to her by the school) sees what was published, and only that.
  // On a phone: the page must fit the screen's width (wide tables scroll inside their frame).
  const home = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  const parent = await home.newPage()
  await loginAs(parent, 'parent')
  // The way a parent gets there: their children, then Zoé's page, then her record.
  await parent.goto('/children')
  await parent.getByRole('link', { name: /Zoé Müller/ }).click()
  await parent.getByRole('link', { name: 'Voir le carnet de Zoé' }).click()
  await expect(parent).toHaveURL(new RegExp(`${recordHref}$`))
  await expect(parent.getByRole('heading', { name: 'Livret de Zoé Müller' })).toBeVisible()
  await expect(parent.getByText('Vous voyez les résultats et observations que l’école a publiés.')).toBeVisible()
  await expect(parent.getByRole('row', { name: new RegExp(QUIZ) })).toContainText('2/2')
  await expect(parent.getByText(PUBLISHED_NOTE)).toBeVisible()
  await expect(parent.getByText(HIDDEN_NOTE)).toHaveCount(0)
  await expect(parent.getByText('Lecture à voix haute')).toHaveCount(0) // the demo's unpublished activity
  await expect(parent.getByRole('button', { name: 'Publier la sélection' })).toHaveCount(0)
  expect(await parent.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 'no sideways scrolling on a phone').toBeLessThanOrEqual(0)
  await expectAccessible(parent)
  await parent.screenshot({ path: testInfo.outputPath('learning-7-record-guardian.png'), fullPage: true })
  const [parentPdf] = await Promise.all([parent.waitForEvent('download'), parent.getByRole('link', { name: 'Télécharger le livret (PDF)' }).click()])
  const parentText = (await extractPdfText(new Uint8Array(fs.readFileSync((await parentPdf.path())!)))).join('\n')
  expect(parentText).toContain('Zoé Müller')
  expect(parentText).toContain(PUBLISHED_NOTE)
  expect(parentText).not.toContain(HIDDEN_NOTE)
  // Another child's record is refused to the parent.
  await page.goto(gridUrl)
  const otherHref = (await page
    .getByRole('row', { name: /Łukasz Nowak/ })
    .getByRole('link', { name: 'Łukasz Nowak' })
    .getAttribute('href'))!
  const refused = await parent.goto(otherHref)
  expect(refused?.status()).toBe(403)
  await home.close()

  // The class ZIP, opened: every file's SHA-256 as the manifest says, the CSV, Zoé's PDF.
  const [zipDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter la classe (ZIP)' }).click()])
  expect(zipDl.suggestedFilename()).toMatch(/^carnet-CM1_A-\d{4}-\d{2}-\d{2}\.zip$/)
  const dir = await unzipper.Open.buffer(fs.readFileSync((await zipDl.path())!))
  const files = new Map<string, Buffer>()
  for (const f of dir.files) files.set(f.path, await f.buffer())
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'))
  expect(manifest.scope).toMatchObject({ kind: 'class', classes: ['CM1 A'] })
  expect(manifest.author.name).toBe('Karim Benali')
  expect(manifest.files.map((f: { name: string }) => f.name).sort()).toEqual([...files.keys()].filter((n) => n !== 'manifest.json').sort())
  for (const f of manifest.files) expect(sha256(files.get(f.name)!), f.name).toBe(f.sha256)
  const csv = files.get('results.csv')!
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const rows = csv.toString('utf8').slice(1).trim().split('\r\n')
  expect(rows[0]).toContain('type,child_id,last_name,first_name')
  const zoeQuiz = rows.find((r) => r.startsWith(`result,${zoeId},Müller,Zoé,`) && r.includes(QUIZ))
  expect(zoeQuiz, 'Zoé’s quiz result in results.csv').toBeDefined()
  expect(zoeQuiz).toMatch(/,2,2,100,/)
  expect(rows.some((r) => r.startsWith(`observation,${zoeId},`) && r.includes(PUBLISHED_NOTE))).toBe(true)
  const zoePdf = [...files.keys()].find((n) => n.startsWith('eleves/Muller_Zoe_'))!
  const zoeText = (await extractPdfText(new Uint8Array(files.get(zoePdf)!))).join('\n')
  expect(zoeText).toContain('Zoé Müller')
  expect(zoeText).toContain('École Jules Ferry')
  expect(zoeText).toContain(QUIZ)
  const others = await Promise.all([...files.keys()].filter((n) => n.endsWith('.pdf') && n !== zoePdf).map(async (n) => (await extractPdfText(new Uint8Array(files.get(n)!))).join('\n')))
  for (const name of ['Łukasz Nowak', 'Ömer Yılmaz', "Ioana-Maria O'Brien", 'Nguyễn Văn An'])
    expect(
      others.some((x) => x.includes(name)),
      name,
    ).toBe(true)
  // The activity page shows Zoé's result; the exports page lists what this teacher may export.
  await page.goto(activityUrl)
  await expect(page.getByRole('row', { name: /Zoé Müller/ })).toContainText('2/2')
  await page.screenshot({ path: testInfo.outputPath('learning-8-activity.png'), fullPage: true })
  await page.getByRole('link', { name: 'Exports des résultats' }).click() // from the navigation
  await expect(page).toHaveURL(new RegExp(`${orgHref}/exports$`))
  await expect(page.getByLabel('Classe', { exact: true })).toContainText('CM1 A')
  // The demo school has one class, which this teacher teaches: every record of the school is theirs to read.
  await expect(page.getByRole('heading', { name: 'Toute l’école' })).toBeVisible()
  await expectAccessible(page)
  await page.screenshot({ path: testInfo.outputPath('learning-9-exports.png'), fullPage: true })
  await page.goto(classUrl)
})

// What the crawl (crawl.spec.ts) cannot see from a page's markup alone: titles in the page's
// language (error pages too), Carnet's own focus ring, targets big enough to tap, a table's
// headings, and the accessibility statement in both languages.
import type { Page } from '@playwright/test'
import { expect, loginAs, test } from './fixtures'

async function schoolHref(page: Page) {
  await page.goto('/home')
  return page.evaluate(() => [...document.querySelectorAll('main a[href^="/org/"]')].map((a) => a.getAttribute('href')!).find((h) => /^\/org\/[0-9a-f-]{36}$/.test(h))!)
}

test('every page is named in its title, in the page’s language; an error page says what went wrong', async ({ browser, page }, testInfo) => {
  await page.goto('/forgot-password')
  await expect(page).toHaveTitle('Mot de passe oublié — Carnet')
  await page.goto('/accessibility')
  await expect(page).toHaveTitle('Accessibilité — Carnet')

  // Error pages in a browser of their own (the browser logs their status as a console error).
  const errors = async (locale: string, signedInAs?: string) => {
    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale, extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.88' } })
    const p = await context.newPage()
    if (signedInAs) await loginAs(p, signedInAs)
    return { context, p }
  }
  const fr = await errors('fr-FR', 'teacher')
  expect((await fr.p.goto('/no-such-page'))?.status()).toBe(404)
  await expect(fr.p).toHaveTitle('Page introuvable — Carnet')
  await expect(fr.p.getByRole('heading', { level: 1, name: 'Page introuvable' })).toBeVisible()
  expect((await fr.p.goto(`${await schoolHref(fr.p)}/dpo/audit`))?.status()).toBe(403)
  await expect(fr.p).toHaveTitle('Accès refusé — Carnet')
  await fr.context.close()

  // In English: the titles follow the page's language (no French words left in the code).
  const en = await errors('en-GB')
  await en.p.goto('/forgot-password')
  await expect(en.p.locator('html')).toHaveAttribute('lang', 'en')
  await expect(en.p).toHaveTitle('Forgotten password — Carnet')
  await en.p.goto('/accessibility')
  await expect(en.p).toHaveTitle('Accessibility — Carnet')
  expect((await en.p.goto('/legal/no-such-document'))?.status()).toBe(404)
  await expect(en.p).toHaveTitle('Page not found — Carnet')
  await en.context.close()

  // Signed in: the home, the account and its devices each say what they are.
  await loginAs(page, 'teacher')
  await page.goto('/home')
  await expect(page).toHaveTitle('Accueil — Carnet')
  await page.goto('/account')
  await expect(page).toHaveTitle('Mon compte — Carnet')
  await page.goto('/account/devices')
  await expect(page).toHaveTitle('Appareils connectés — Carnet')
})

test('the keyboard focus shows Carnet’s own ring (not the browser’s), on links and buttons alike', async ({ page }) => {
  await page.goto('/login')
  await page.keyboard.press('Tab') // the skip link
  await page.keyboard.press('Tab') // the brand link
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement
    const s = getComputedStyle(el)
    return { tag: el.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, halo: s.boxShadow }
  })
  expect(ring.tag).toBe('A')
  expect(ring.style).toBe('solid')
  expect(ring.width).toBeGreaterThanOrEqual(3)
  expect(ring.color).toBe('rgb(26, 31, 107)') // --focus: dark on white, grey, blue and red
  expect(ring.halo).toContain('rgb(255, 255, 255)') // the white halo around it
})

test('checkboxes and radios are at least 24 × 24 px: the quiz editor’s right answers, the families page’s options', async ({ page }) => {
  await loginAs(page, 'admin')
  const org = await schoolHref(page)
  await page.goto(`${org}/classes`)
  const classHref = await page.getByRole('link', { name: 'CM1 A' }).first().getAttribute('href')
  const small = async () =>
    page.evaluate(() => {
      for (const d of document.querySelectorAll('details')) d.open = true
      return [...document.querySelectorAll<HTMLInputElement>('main input[type=checkbox], main input[type=radio]')]
        .filter((i) => i.checkVisibility())
        .map((i) => ({ name: i.name || i.id, ...i.getBoundingClientRect().toJSON() }))
        .filter((r) => r.width < 24 || r.height < 24)
        .map((r) => `${r.name} ${Math.round(r.width)}×${Math.round(r.height)}`)
    })
  await page.goto(`${classHref}/activities/new`)
  await expect(page.getByLabel('Question 1 : la réponse 1 est la bonne')).toBeVisible()
  expect(await small()).toEqual([])
  await page.goto(`${classHref}/guardians`)
  await expect(page.locator('main input[type=checkbox]').first()).toBeAttached()
  expect(await small()).toEqual([])
})

test('the devices table names every column (the buttons’ column too, for screen readers)', async ({ page }) => {
  await loginAs(page, 'dpo')
  await page.goto('/account/devices')
  const headers = await page.locator('main th').evaluateAll((ths) => ths.map((th) => th.textContent?.trim() ?? ''))
  expect(headers.length).toBeGreaterThan(0)
  expect(headers.filter((h) => !h)).toEqual([])
})

test('the accessibility statement: linked from the footer, on the RGAA model, in both languages', async ({ browser, page }, testInfo) => {
  await page.goto('/login')
  await page.getByRole('contentinfo').getByRole('link', { name: 'Accessibilité : partiellement conforme' }).click()
  await expect(page).toHaveURL(/\/accessibility$/)
  await expect(page.getByRole('heading', { level: 1, name: "Déclaration d'accessibilité" })).toBeVisible()
  for (const heading of ['État de conformité', 'Résultats des tests', 'Pages auditées', 'Contenus non accessibles', "Retour d'information et contact", 'Voies de recours'])
    await expect(page.getByRole('heading', { name: heading })).toBeVisible()
  await expect(page.getByText(/partiellement conforme avec le référentiel général d'amélioration de l'accessibilité/)).toBeVisible()
  await expect(page.getByText(/Remède :/).first()).toBeVisible()
  await expect(page.getByRole('link', { name: /formulaire en ligne du Défenseur des droits/ })).toHaveAttribute('href', /defenseurdesdroits\.fr/)

  const en = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'en-GB' })
  const english = await en.newPage()
  await english.goto('/login')
  await english.getByRole('contentinfo').getByRole('link', { name: 'Accessibility: partially compliant' }).click()
  await expect(english.getByRole('heading', { level: 1, name: 'Accessibility statement' })).toBeVisible()
  for (const heading of ['Compliance status', 'Test results', 'Pages audited', 'Non-accessible content', 'Feedback and contact', 'Means of redress'])
    await expect(english.getByRole('heading', { name: heading })).toBeVisible()
  await en.close()
})

import { test as base, expect, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

export const DEMO_PASSWORD = 'carnet-demo-2026'
export const DEMO = {
  admin: 'admin@demo.carnet.fr',
  teacher: 'enseignant@demo.carnet.fr',
  dpo: 'dpo@demo.carnet.fr',
  parent: 'parent@demo.carnet.fr',
} as const

export async function loginAs(page: Page, who: keyof typeof DEMO | string, password = DEMO_PASSWORD) {
  const email = who in DEMO ? DEMO[who as keyof typeof DEMO] : who
  await page.goto('/login')
  await page.getByLabel(/Adresse e-mail|Email address/).fill(email)
  await page.getByLabel(/^(Mot de passe|Password)$/).fill(password)
  await page.getByRole('button', { name: /Se connecter|Log in/ }).click()
  await expect(page).not.toHaveURL(/\/login/)
}

/** axe-core: no serious or critical violation on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze()
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

/** Fails the test on any console error the page prints. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      page.on('pageerror', (e) => errors.push(String(e)))
      await use(errors)
      expect(errors, 'console errors').toEqual([])
    },
    { auto: true },
  ],
})
export { expect }

/** Reads the newest dev-mailbox message sent to an address and returns its first link. */
export async function linkFromMailbox(page: Page, to: string, subject: RegExp) {
  await page.goto('/dev/mailbox')
  const mail = page.locator(`article.mail[data-to="${to}"]`).filter({ hasText: subject }).first()
  await expect(mail).toBeVisible()
  const href = await mail.locator('a').first().getAttribute('href')
  if (!href) throw new Error('no link in mail')
  return href
}

/** The public rights-request form: searches the school (name, town or code) and picks it from the results. */
export async function pickSchool(page: Page, query: string, name: string | RegExp) {
  await page.getByRole('searchbox', { name: 'Rechercher votre établissement' }).fill(query)
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click()
  await page.getByRole('radio', { name }).check()
}

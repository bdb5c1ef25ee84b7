// One language per page: a page in French loads no English message (nor an English one any
// French), its first load carries only the message areas it uses, and it hydrates and switches
// language without ever showing a message key. Every script the browser receives is read.
import type { Page, Response } from '@playwright/test'
import { byArea } from '../../app/i18n/catalogue'
import { AREAS, type Area, type Lang } from '../../app/i18n/keys'
import { expect, loginAs, test } from './fixtures'

/** Messages that exist in one language only (differ from the other, long enough to be unique). */
function distinctive(lang: Lang, areas: readonly Area[] = AREAS): string[] {
  const other: Lang = lang === 'fr' ? 'en' : 'fr'
  return areas.flatMap((area) =>
    Object.entries(byArea[area][lang])
      .filter(([key, text]) => text !== byArea[area][other][key] && text.length >= 16 && !/[{}'"\\<>&]/.test(text))
      .map(([, text]) => text),
  )
}

/** A message as it may be written in a script: as is, or with non-ASCII letters escaped. */
const holds = (body: string, text: string) => body.includes(text) || body.includes(text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))

/** Every script response of the page (and the document, for the messages inline in it). */
function recordScripts(page: Page) {
  const scripts = new Map<string, Promise<string>>()
  page.on('response', (r: Response) => {
    if (r.request().resourceType() === 'script' || /\.js(\?|$)/.test(r.url())) scripts.set(new URL(r.url()).pathname, r.text())
  })
  return async () => Object.fromEntries(await Promise.all([...scripts].map(async ([url, body]) => [url, await body] as const)))
}

/** No message key shown: keys look like "login.title" or "nav.skip". */
async function expectNoKeys(page: Page) {
  const keys = AREAS.flatMap((area) => Object.keys(byArea[area].fr)).filter((k) => k.includes('.'))
  const text = await page.locator('body').innerText()
  expect(keys.filter((k) => text.includes(k))).toEqual([])
}

for (const lang of ['fr', 'en'] as const) {
  const other: Lang = lang === 'fr' ? 'en' : 'fr'

  test(`/login in ${lang}: no ${other} message in any script, first load only the areas it uses`, async ({ browser }) => {
    const context = await browser.newContext({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB', extraHTTPHeaders: { 'accept-language': lang } })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
    page.on('pageerror', (e) => errors.push(String(e)))
    const scripts = recordScripts(page)

    const response = await page.goto('/login')
    const html = (await response!.text()) ?? ''
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang === 'fr' ? 'Se connecter' : 'Log in')
    await expect(page.locator('html')).toHaveAttribute('lang', lang)

    // What the page carries inline: its language only, and only the areas /login renders.
    const inline = JSON.parse((await page.locator('#carnet-messages').textContent()) ?? '{}') as Record<string, Record<string, unknown>>
    expect(Object.keys(inline)).toEqual([lang])
    expect(Object.keys(inline[lang]).sort()).toEqual(['auth', 'common'])

    // First load: the scripts the HTML names hold no message of any area, in either language.
    const firstLoad = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1])
    expect(firstLoad.length).toBeGreaterThan(3)
    // Then the rest of the page's language arrives once the page is idle, one chunk per area.
    await expect.poll(async () => Object.keys(await scripts()).filter((u) => new RegExp(`/assets/[a-z]+\\.${lang}-`).test(u)).length, { timeout: 20_000 }).toBe(AREAS.length - 2)
    const bodies = await scripts()
    for (const url of firstLoad) {
      const body = bodies[url]
      expect(body, `${url} was loaded`).toBeDefined()
      const messages = [...distinctive('fr'), ...distinctive('en')].filter((m) => holds(body, m))
      expect(messages, `messages in the first-load script ${url}`).toEqual([])
    }
    expect(Object.keys(bodies).filter((u) => new RegExp(`\\.${other}-`).test(u))).toEqual([])

    // No script and not the document hold any message of the other language…
    const everything = Object.values(bodies).join('\n') + html
    const foreign = distinctive(other)
    expect(foreign.length).toBeGreaterThan(200)
    expect(foreign.filter((m) => holds(everything, m))).toEqual([])
    // …while every message of the page's own language is there (inline or in an area chunk).
    const own = distinctive(lang)
    expect(own.filter((m) => !holds(everything, m))).toEqual([])

    await expectNoKeys(page)
    expect(errors).toEqual([])
    await context.close()
  })
}

test('a page followed at once, and a language switched in place, never show a key', async ({ page, consoleErrors }) => {
  void consoleErrors
  const scripts = recordScripts(page)
  await page.goto('/login')
  // Before the rest of French has arrived: a client-side navigation to a page of another area.
  await page.getByRole('link', { name: 'Je suis un élève' }).click()
  await expect(page).toHaveURL(/\/child-login$/)
  await expect(page.getByRole('heading', { level: 1 })).not.toBeEmpty()
  await expectNoKeys(page)

  // English in place (the header's button, a form posted by the client): the words of the page
  // change language once English has arrived, never through keys.
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('button', { name: 'Français' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible()
  await expectNoKeys(page)
  expect(Object.keys(await scripts()).some((u) => /\/assets\/auth\.en-/.test(u))).toBe(true)
})

test("every page of a school's navigation, opened directly, hydrates with its own words", async ({ page, consoleErrors }) => {
  void consoleErrors // a hydration mismatch is a console error: the fixture fails the test on it
  test.setTimeout(300_000)
  await loginAs(page, 'admin')
  await page.goto('/home')
  const org = await page.getByRole('link', { name: 'Ouvrir' }).first().getAttribute('href')
  await page.goto(org!)
  const links = await page.locator(`a[href^="${org}"]`).evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')!))])
  expect(links.length).toBeGreaterThan(5)
  for (const href of links) {
    const response = await page.goto(href)
    expect(response?.status(), href).toBe(200)
    await page.waitForLoadState('load')
    await expect(page.getByRole('heading', { level: 1 }), href).not.toBeEmpty()
    const inline = JSON.parse((await page.locator('#carnet-messages').textContent()) ?? '{}') as Record<string, unknown>
    expect(Object.keys(inline), href).toEqual(['fr'])
    await expectNoKeys(page)
  }
})

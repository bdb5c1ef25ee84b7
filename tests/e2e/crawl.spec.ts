// Every page a person reaches from Carnet's navigation, as each demo role, on a 390 px phone:
// each link answers 200, and each page has no sideways scroll, no message key or raw code in
// its text, no English tell-tale word in the French interface, no console error, no duplicate
// id, a title of its own, and passes axe at the serious and moderate levels.
//
// One browser context per role; pages whose addresses differ only by ids are visited once
// (the first reached), so the crawl stays short. Downloads and forms are not followed.
import fs from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { byArea } from '../../app/i18n/catalogue'
import { AREAS } from '../../app/i18n/keys'
import { extractPdfText } from '../../app/documents/pdf/extract-text'
import { expect, loginAs, test } from './fixtures'

const PHONE = { width: 390, height: 844 }
const MAX_PAGES = 40

/** Where a message key may start ("nav", "dpo", "kind"…): the first word of every key. */
const KEY_AREAS = new Set(AREAS.flatMap((a) => Object.keys(byArea[a].fr)).map((k) => k.split('.')[0]!))
/** Words that give away English left in the French interface (whole words, case-insensitive). */
const ENGLISH = [
  'the',
  'and',
  'with',
  'your',
  'please',
  'submit',
  'cancel',
  'save',
  'delete',
  'download',
  'search',
  'loading',
  'error',
  'hosting',
  'storage',
  'delivery',
  'sending',
  'backup',
  'backups',
  'email delivery',
  'request',
  'requests',
  'settings',
  'password',
  'sign in',
  'log in',
  'monitoring',
]
const ENGLISH_RE = new RegExp(`(?<![\\p{L}\\d@._-])(${ENGLISH.join('|')})(?![\\p{L}\\d_-])`, 'giu')

/** Not pages: files, the session's end, the developer's mailbox, the other language's switch. */
function followable(url: URL) {
  return (
    !/\.(pdf|zip|csv|json|svg|png)$/.test(url.pathname) &&
    !/\/(export|archive|checkpoint|package|download|cards|letters|pdf|zip|logout|language)(\/|$)/.test(url.pathname) &&
    !url.pathname.startsWith('/dev/') &&
    !url.pathname.startsWith('/card/')
  )
}

/** Addresses that differ only by ids or by their query (a filter, a page of a list) are the same page. */
function pattern(url: URL) {
  return url.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id').replace(/\/\d+(?=\/|$)/g, '/:n')
}

type PageFacts = { title: string; overflow: number; ids: string[]; texts: string[]; links: { href: string; download: boolean }[]; statement: boolean }

/** What the crawl reads from a page, in one round trip. */
async function facts(page: Page): Promise<PageFacts> {
  return page.evaluate(() => {
    const seen = new Map<string, number>()
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1)
    // Visible text outside code, inputs and the other language's words (the language switch).
    const texts: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      const text = n.textContent?.trim()
      if (!el || !text || el.closest('code, pre, kbd, samp, script, style, template, textarea, [lang]:not(html), [hidden]')) continue
      if (!el.checkVisibility()) continue
      texts.push(text)
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
      if (el.closest('[lang]:not(html)')) continue
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a)?.trim()
        if (v) texts.push(v)
      }
    }
    return {
      title: document.title,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ids: [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`),
      texts,
      links: [...document.querySelectorAll('a[href]')].map((a) => ({ href: (a as HTMLAnchorElement).href, download: a.hasAttribute('download') })),
      // The accessibility statement, linked from the page's footer.
      statement: !!document.querySelector('footer a[href="/accessibility"]'),
    }
  })
}

/** A message key ("dpo.audit.title") or a stored code ("web_form") read as words. */
function keysAndCodes(texts: string[]) {
  const found = new Set<string>()
  for (const text of texts) {
    for (const m of text.matchAll(/(?<![\p{L}\d@./:-])([a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z0-9]+(?:_[a-z0-9]+)*)+)(?![\p{L}\d@/-])/gu)) if (KEY_AREAS.has(m[1]!.split('.')[0]!)) found.add(m[1]!)
    for (const m of text.matchAll(/(?<![\p{L}\d@./:-])([a-z]+(?:_[a-z]+)+)(?![\p{L}\d@/-])/gu)) found.add(m[1]!)
  }
  return [...found]
}

function englishWords(texts: string[]) {
  const found = new Set<string>()
  for (const text of texts) for (const m of text.matchAll(ENGLISH_RE)) found.add(m[1]!.toLowerCase())
  return [...found]
}

/** The first visit's findings, per page, as sentences (the test prints them all at once). */
async function crawl(context: BrowserContext, start: string[]) {
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(String(e)))
  const problems: string[] = []
  const queue = [...start]
  const patterns = new Set(start.map((s) => pattern(new URL(s, 'http://x'))))
  const linked = new Map<string, Set<string>>() // every address a page links to → the pages linking it
  const visited: string[] = []
  const failed = new Map<string, number>()
  while (queue.length && visited.length < MAX_PAGES) {
    const path = queue.shift()!
    consoleErrors.length = 0
    const response = await page.goto(path)
    const status = response?.status() ?? 0
    const at = new URL(page.url()).pathname + new URL(page.url()).search
    visited.push(at)
    if (status !== 200) {
      failed.set(path, status)
      continue
    }
    // Hydrated: the browser has run the page's scripts (console errors show by then).
    await page.waitForFunction(() => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true)
    const f = await facts(page)
    if (f.overflow > 0) problems.push(`${at}: scrolls sideways by ${f.overflow}px at 390px`)
    if (f.ids.length) problems.push(`${at}: duplicate ids ${f.ids.join(', ')}`)
    if (!f.title.trim() || f.title.trim() === 'Carnet') problems.push(`${at}: no title of its own ("${f.title}")`)
    if (!f.statement) problems.push(`${at}: no link to the accessibility statement in its footer`)
    const keys = keysAndCodes([f.title, ...f.texts])
    if (keys.length) problems.push(`${at}: codes or message keys shown: ${keys.join(', ')}`)
    const english = englishWords([f.title, ...f.texts])
    if (english.length) problems.push(`${at}: English in the French interface: ${english.join(', ')}`)
    const axe = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze()
    for (const v of axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'moderate' || v.impact === 'critical'))
      problems.push(`${at}: axe ${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    if (consoleErrors.length) problems.push(`${at}: console errors: ${consoleErrors.join(' | ')}`)
    for (const link of f.links) {
      const url = new URL(link.href)
      if (url.origin !== new URL(page.url()).origin || link.download || !followable(url)) continue
      const href = url.pathname + url.search
      linked.set(href, (linked.get(href) ?? new Set()).add(at))
      const p = pattern(url)
      if (patterns.has(p)) continue
      patterns.add(p)
      queue.push(href)
    }
    patterns.add(pattern(new URL(page.url())))
  }
  // Every address linked, visited or not, answers 200 (after its redirects) to this person;
  // a refusal or an error is reported with every page that links to it.
  const seen = new Set(visited)
  const unvisited = [...linked.keys()].filter((href) => !seen.has(href) && !failed.has(href))
  for (let i = 0; i < unvisited.length; i += 4)
    await Promise.all(
      unvisited.slice(i, i + 4).map(async (href) => {
        const r = await context.request.get(href)
        if (r.status() !== 200) failed.set(href, r.status())
      }),
    )
  for (const [href, status] of failed) problems.push(`${href} answers ${status}; linked from ${[...(linked.get(href) ?? ['the start'])].join(', ')}`)
  await page.close()
  return { problems, visited }
}

async function phone(browser: Browser, baseURL: string | undefined, ip: string) {
  return browser.newContext({ baseURL, locale: 'fr-FR', viewport: PHONE, hasTouch: true, isMobile: true, extraHTTPHeaders: { 'X-Forwarded-For': ip } })
}

const ADULTS = [
  ['admin', 'admin'],
  ['teacher', 'teacher'],
  ['dpo', 'dpo'],
  ['parent', 'parent'],
  ['operator', 'operateur@demo.carnet.fr'],
] as const

test.describe('every page reached from the navigation, at 390 px', () => {
  for (const [role, who] of ADULTS) {
    test(`as the demo ${role}`, async ({ browser }, testInfo) => {
      test.setTimeout(360_000) // generous: on a machine shared with other jobs every page is slow
      const context = await phone(browser, testInfo.project.use.baseURL, `203.0.113.${90 + ADULTS.findIndex(([r]) => r === role)}`)
      const page = await context.newPage()
      await loginAs(page, who)
      await page.close()
      const { problems, visited } = await crawl(context, ['/home', '/account'])
      testInfo.annotations.push({ type: 'pages', description: visited.join(' ') })
      expect(problems).toEqual([])
      await context.close()
    })
  }

  test('as a visitor who is not signed in', async ({ browser }, testInfo) => {
    const context = await phone(browser, testInfo.project.use.baseURL, '203.0.113.89')
    const { problems, visited } = await crawl(context, ['/', '/login', '/legal/terms', '/legal/privacy'])
    testInfo.annotations.push({ type: 'pages', description: visited.join(' ') })
    expect(problems).toEqual([])
    await context.close()
  })

  test('as a child of the demo class', async ({ browser, page }, testInfo) => {
    test.setTimeout(360_000) // generous: on a machine shared with other jobs every page is slow
    // The teacher prints the class's cards: the PDF holds Zoé's code.
    await loginAs(page, 'teacher')
    await page.goto('/home')
    const classes = await page.evaluate(() => [...document.querySelectorAll('a[href^="/org/"]')].map((a) => a.getAttribute('href')!).find((h) => /^\/org\/[0-9a-f-]{36}$/.test(h)))
    await page.goto(`${classes}/classes`)
    await page.getByRole('link', { name: 'CM1 A' }).first().click()
    const [cards] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: /Imprimer les cartes/ })
        .first()
        .click(),
    ])
    const lines = (await extractPdfText(new Uint8Array(fs.readFileSync((await cards.path())!))))
      .join('\n')
      .split('\n')
      .map((l) => l.trim())
    const code = lines.slice(lines.findIndex((l) => l.startsWith('Zoé')) + 1).find((l) => /^[A-Z2-9]{6}$/.test(l))!
    const context = await phone(browser, testInfo.project.use.baseURL, '203.0.113.99')
    const child = await context.newPage()
    await child.goto('/child-login?class=JFCM1A')
    await child.getByRole('button', { name: /^Zoé/ }).click()
    await child.getByLabel(/Ton code/).fill(code)
    await child.getByRole('button', { name: /Entrer/ }).click()
    await expect(child).toHaveURL(/\/me$/)
    await child.close()
    const { problems, visited } = await crawl(context, ['/me'])
    testInfo.annotations.push({ type: 'pages', description: visited.join(' ') })
    expect(problems).toEqual([])

    // The quiz, by keyboard: after "Next" the focus is on the next question, and the progress
    // line (a live region) says which question it is.
    const quiz = await context.newPage()
    await quiz.goto('/me')
    await quiz
      .locator('main a[href^="/me/activities/"]')
      .filter({ hasNotText: /\d+ ?(sur|\/) ?\d+/ })
      .first()
      .click()
    await expect(quiz.getByRole('status').filter({ hasText: /^Question 1 sur \d+$/ })).toBeVisible()
    await quiz.locator('.quiz-step:not([hidden]) .quiz-choice label').first().click()
    await quiz.getByRole('button', { name: /Suivant/ }).focus()
    await quiz.keyboard.press('Enter')
    const focused = quiz.locator(':focus')
    await expect(focused).toHaveAttribute('role', 'group')
    await expect(focused).toBeVisible()
    const second = await focused.evaluate((el) => document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent ?? '')
    expect(second.length).toBeGreaterThan(0)
    await expect(focused.locator('legend')).toHaveText(second)
    await expect(quiz.getByRole('status').filter({ hasText: /^Question 2 sur \d+$/ })).toBeVisible()
    await context.close()
  })
})

// One language per page, the mechanism: the server notes the areas a render uses and writes
// them in the page's language only; the browser starts from that, loads the rest of the same
// language per area, and shows words (never a key) while a language arrives.
import path from 'node:path'
import { describe, expect, test, vi } from 'vitest'
import * as browser from './catalogue.browser'
import * as server from './catalogue'
import { t } from './index'
import { AREAS } from './keys'
import { i18nCatalogue } from './vite-plugin'

const render = (fn: () => void) =>
  server.collectMessages(() => {
    fn()
    return JSON.parse(server.pageMessages()) as Record<string, Record<string, Record<string, string>>>
  })

describe('server: the messages a page render used', () => {
  test('only the areas used, whole, in the language used', () => {
    const page = render(() => {
      t('fr', 'login.title')
      t('fr', 'nav.skip')
    })
    expect(Object.keys(page)).toEqual(['fr'])
    expect(Object.keys(page.fr).sort()).toEqual(['auth', 'common'])
    expect(page.fr.auth).toEqual(server.byArea.auth.fr)
    expect(render(() => t('en', 'nav.skip'))).toEqual({ en: { common: server.byArea.common.en } })
  })

  test('outside a page render nothing is noted (mails, PDFs, loaders)', () => {
    t('fr', 'login.title')
    expect(server.pageMessages()).toBe('{}')
  })

  test('renders running at the same time do not mix', async () => {
    const one = server.collectMessages(async () => {
      t('fr', 'nav.skip')
      await new Promise((r) => setTimeout(r, 20))
      return JSON.parse(server.pageMessages())
    })
    const two = server.collectMessages(async () => {
      await new Promise((r) => setTimeout(r, 5))
      t('en', 'login.title')
      return JSON.parse(server.pageMessages())
    })
    expect(Object.keys((await one).fr)).toEqual(['common'])
    expect(Object.keys(await two)).toEqual(['en'])
    expect(Object.keys((await two).en)).toEqual(['auth'])
  })

  test('a message rendered after the page messages were written is reported', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    server.collectMessages(() => {
      t('fr', 'nav.skip')
      server.pageMessages()
      t('fr', 'login.title')
    })
    expect(error).toHaveBeenCalledWith(expect.stringContaining('login.title'))
    error.mockRestore()
  })

  test('the JSON cannot close its <script> element', () => {
    expect(render(() => t('fr', 'nav.skip'))).toBeTruthy()
    const text = server.collectMessages(() => {
      t('fr', 'nav.skip')
      return server.pageMessages()
    })
    expect(text).not.toContain('<')
  })
})

describe('browser: one language, per area', () => {
  test('the browser module offers what app/i18n/index.ts takes from the catalogue', () => {
    for (const name of ['lookup', 'known', 'pageMessages', 'subscribe', 'version'] as const) {
      expect(typeof browser[name], name).toBe('function')
      expect(typeof server[name], name).toBe('function')
    }
  })

  test('starts from the page, loads the rest of its language only, shows words meanwhile', async () => {
    const page = server.collectMessages(() => {
      t('fr', 'login.title')
      return server.pageMessages()
    })
    browser.seed(page)
    expect(browser.loaded()).toEqual({ fr: ['auth'], en: [] })
    expect(browser.lookup('fr', 'login.title')).toBe(server.byArea.auth.fr['login.title'])

    const changes = vi.fn()
    const unsubscribe = browser.subscribe(changes)
    const before = browser.version()
    // A key of an area not loaded yet: unknown until it arrives, and its arrival is announced.
    expect(browser.known('nav.skip')).toBe(false)
    expect(browser.lookup('fr', 'nav.skip')).toBeUndefined()
    await browser.loadLanguage('fr')
    expect(browser.lookup('fr', 'nav.skip')).toBe(server.byArea.common.fr['nav.skip'])
    expect(browser.known('nav.skip')).toBe(true)
    expect(browser.loaded()).toEqual({ fr: [...AREAS].sort(), en: [] })
    expect(browser.version()).toBeGreaterThan(before)
    expect(changes).toHaveBeenCalled()

    // English asked in place (a language switch): French words until English arrives, no key.
    expect(browser.lookup('en', 'login.title')).toBe(server.byArea.auth.fr['login.title'])
    await browser.loadLanguage('en')
    expect(browser.lookup('en', 'login.title')).toBe(server.byArea.auth.en['login.title'])
    unsubscribe()
  })
})

describe('client build', () => {
  const root = path.resolve(__dirname, '../..')
  const plugin = i18nCatalogue(root)
  const resolveId = plugin.resolveId as (this: unknown, source: string, importer: string | undefined, options: { ssr?: boolean }) => Promise<string | null>
  const context = { resolve: async (source: string, importer: string) => ({ id: path.resolve(path.dirname(importer), source.endsWith('.ts') ? source : `${source}.ts`) }) }
  const index = path.join(root, 'app/i18n/index.ts')

  test('the browser build takes catalogue.browser.ts for catalogue.ts; the server build keeps it', async () => {
    expect(await resolveId.call(context, './catalogue', index, {})).toBe(path.join(root, 'app/i18n/catalogue.browser.ts'))
    expect(await resolveId.call(context, './catalogue', index, { ssr: true })).toBeNull()
    expect(await resolveId.call(context, './format', index, {})).toBeNull()
  })
})

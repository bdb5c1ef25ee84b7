// The client build's side of the message split: wherever app/i18n/catalogue.ts (both languages,
// every area) is imported for the browser, catalogue.browser.ts (one language, per area, lazily)
// is used instead. The server build and the tests keep catalogue.ts. Should catalogue.ts still
// reach the browser build another way, the build fails: the split would be undone silently.
import path from 'node:path'
import type { Plugin } from 'vite'

export function i18nCatalogue(root: string): Plugin {
  const dir = path.join(root, 'app/i18n')
  const server = path.join(dir, 'catalogue.ts')
  const browser = path.join(dir, 'catalogue.browser.ts')
  return {
    name: 'carnet-i18n-catalogue',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (options?.ssr || !importer || !/catalogue/.test(source)) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      return resolved && path.normalize(resolved.id) === server ? browser : null
    },
    load(id, options) {
      if (!options?.ssr && path.normalize(id) === server) this.error(`app/i18n/catalogue.ts (every message) reached the browser build`)
      return null
    },
  }
}

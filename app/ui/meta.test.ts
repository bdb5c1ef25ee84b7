// Every page names itself in its title, in the page's language: each route module that renders a
// page takes its title from app/ui/meta.ts (a `title.*` message or the record it shows), never
// a string written in one language. The crawl (tests/e2e/crawl.spec.ts) checks the result in
// the browser; this catches a new page before it is ever opened.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { pageTitle, pageTitleFrom, titleText } from './meta'

const ROUTES = path.resolve(__dirname, '../routes')

function pageModules() {
  const files: string[] = []
  for (const entry of fs.readdirSync(ROUTES, { withFileTypes: true })) {
    const file = entry.isDirectory() ? path.join(ROUTES, entry.name, 'route.tsx') : path.join(ROUTES, entry.name)
    if (file.endsWith('.tsx') && fs.existsSync(file)) files.push(file)
  }
  // A page is a module with a component; resource routes (PDF, CSV, redirects) have none.
  return files.filter((f) => /export default function/.test(fs.readFileSync(f, 'utf8')))
}

describe('page titles', () => {
  test.each(pageModules().map((f) => path.relative(ROUTES, f)))('%s takes its title from app/ui/meta', (file) => {
    const source = fs.readFileSync(path.join(ROUTES, file), 'utf8')
    expect(source).toMatch(/export const meta = (pageTitle|pageTitleFrom<typeof loader>|withMeta)\(/)
    expect(source).not.toMatch(/title: ['"`]Carnet/)
  })

  test('a title says the page, then Carnet, in the language of the page', () => {
    const matches = (lang: string) => [{ id: 'root', data: { lang } }]
    expect(pageTitle('title.audit')({ matches: matches('fr') })).toEqual([{ title: "Journal d'audit — Carnet" }])
    expect(pageTitle('title.audit')({ matches: matches('en') })).toEqual([{ title: 'Audit log — Carnet' }])
    const byClass = pageTitleFrom<() => { klass: { name: string } }>((d, tr) => tr('title.class', { name: d.klass.name }), 'title.class_plain')
    expect(byClass({ data: { klass: { name: 'CM1 A' } }, matches: matches('en') })).toEqual([{ title: 'Class CM1 A — Carnet' }])
    // The page failed (no data): still named, by what it is.
    expect(byClass({ data: undefined, matches: matches('fr') })).toEqual([{ title: 'Classe — Carnet' }])
    expect(titleText('')).toBe('Carnet')
  })
})

// The house's floors (layout.mjs) hold in the real imports: no loop between the top-level folders
// of app/, workers/, server/, cli/…, no import from a higher floor or along a forbidden arrow,
// every source file on a floor. The same check on a small fixture tree shows it catches each.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkLayout, cycles, folderNode, loadLayout } from '../../scripts/layout-check.mjs'

const repo = path.resolve(__dirname, '../..')
const layout = await loadLayout(repo)

describe('layout of the real code', () => {
  const result = checkLayout(repo, layout)

  it('reads the whole house', () => {
    expect(result.files).toBeGreaterThan(200)
  })

  it('has no import loop between top-level folders', () => {
    expect(result.loops).toEqual([])
  })

  it('has no import loop between two files either', () => {
    expect(result.fileLoops).toEqual([])
  })

  it('has every source file on a floor of layout.mjs', () => {
    expect(result.unplaced).toEqual([])
  })

  it('has no import from a higher floor or along a forbidden arrow', () => {
    expect(result.violations.map((v) => `${v.from} → ${v.to}: ${v.why}`)).toEqual([])
  })
})

describe('the layout check on a fixture tree', () => {
  const result = checkLayout(path.join(repo, 'tests/fixtures/layout'), layout)

  it('finds the loop between two folders of one floor, with the imports that make it', () => {
    expect(result.loops).toEqual([
      {
        folders: ['app/exports', 'app/privacy'],
        imports: ['app/exports/zip.server.ts → app/privacy/requests.server.ts', 'app/privacy/requests.server.ts → app/exports/zip.server.ts'],
      },
    ])
    // Between files, a type-only import is left out (zip.server imports requests.server's type only):
    // the only file loop is the one made of values (ping ⇄ pong, in one folder).
    expect(result.fileLoops).toEqual([['app/models/ping.server.ts', 'app/models/pong.server.ts']])
  })

  it('finds the upward import and the forbidden arrow, and nothing in the clean files', () => {
    expect(result.violations.map((v) => [v.from, v.to])).toEqual([
      ['app/models/view.server.ts', 'app/ui/table.tsx'],
      ['app/routes/page.tsx', 'drizzle/schema/index.ts'],
    ])
    expect(result.violations[0].why).toBe('models imports from the higher ui floor')
    expect(result.violations[1].why).toMatch(/^app\/routes\/ ↛ drizzle\//)
  })

  it('names the file that is on no floor', () => {
    expect(result.unplaced).toEqual(['app/stray/thing.ts'])
  })
})

describe('the folder graph', () => {
  it('groups files by top-level folder, and app/ files stand alone', () => {
    expect(folderNode('app/models/families/links.server.ts')).toBe('app/models')
    expect(folderNode('app/db.server.ts')).toBe('app/db.server.ts')
    expect(folderNode('workers/jobs/erasure.server.ts')).toBe('workers')
  })

  it('reports a three-folder loop once and leaves a chain alone', () => {
    const arrow = (from: string, to: string) => ({ from, to })
    expect(cycles([arrow('a', 'b'), arrow('b', 'c'), arrow('c', 'a'), arrow('c', 'd'), arrow('d', 'd')])).toEqual([['a', 'b', 'c']])
    expect(cycles([arrow('a', 'b'), arrow('b', 'c')])).toEqual([])
  })
})

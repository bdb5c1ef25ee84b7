import { describe, expect, it } from 'vitest'
import type { ClassGrid } from '../../models/learning/grid.server'
import { gridTableHtml, gridView, packView, unpackCells, type GridView, type ViewCell } from './grid-view'

const grid: ClassGrid = {
  children: [
    { id: 'c1', firstName: '<img src=x onerror=alert(1)>', lastName: 'O\'Brien & "Co"', groupId: null, groupName: null },
    { id: 'c2', firstName: 'Zoé', lastName: 'Müller', groupId: null, groupName: null },
  ],
  groups: [],
  activities: [
    { id: 'a1', kind: 'quiz', title: 'Fractions <b>', groupId: null, createdAt: '', published: 1, releaseAt: null, skills: [{ id: 's1', code: 'C3' }], questions: 3 },
    { id: 'a2', kind: 'observation', title: 'Lecture', groupId: null, createdAt: '', published: 2, releaseAt: null, skills: [{ id: 's1', code: 'C3' }], questions: 0 },
  ],
  skills: [{ id: 's1', code: 'C3', label: 'Lire', domain: 'Français' }],
  results: { c1: { a1: [2, 3, 1] } },
  obsByActivity: { c2: { a2: [['in_progress', '2026-01-02', 0]] } },
  bySkill: { c2: { s1: { level: 'acquired', on: '2026-01-02', quizPct: 80, pub: 1 } } },
  nextChangeAt: null,
}
const opts = { caption: 'Grille', childHeader: 'Élève', kindLabel: (k: string) => k, pubLabel: (p: number) => `p${p}`, activityHref: (id: string) => `/a/${id}`, childHref: (id: string) => `/c/${id}` }

describe('grid view', () => {
  it('one cell per child and column: score band and publication state, levels, empty cells', () => {
    const v = gridView(grid, 'activities', (l) => l.toUpperCase())
    expect(v.rows.map((r) => r.cells)).toEqual([
      [['2/3', 's mid p1'], 0],
      [0, ['IN_PROGRESS', 'l in_progress p0']],
    ])
    const s = gridView(grid, 'skills', (l) => l)
    expect(s.rows[1]!.cells).toEqual([['acquired · 80 %', 'l acquired p1']])
  })

  it('escapes every name and title in the HTML table', () => {
    const html = gridTableHtml(
      gridView(grid, 'activities', (l) => l),
      opts,
    )
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; O&#39;Brien &amp; &quot;Co&quot;')
    expect(html.match(/<tr>/g)).toHaveLength(3)
    expect(html).toContain('<td class="s mid p1">2/3</td><td></td>')
    // The packed form (what the page ships) gives the same table.
    const packed = packView(gridView(grid, 'activities', (l) => l))
    expect(gridTableHtml(packed, opts)).toBe(html)
    expect(unpackCells(packed, packed.rows[0]!.cells)).toEqual([['2/3', 's mid p1'], 0])
  })

  it('packs a class of 30 × 60 into one code per cell, and past 62 distinct cells into two', () => {
    const many = (n: number): GridView => ({
      columns: Array.from({ length: 60 }, (_, i) => ({ id: `a${i}`, title: `A${i}`, kind: 'quiz' as const, pub: 0 as const })),
      rows: Array.from({ length: 30 }, (_, r) => ({
        id: `c${r}`,
        name: `C${r}`,
        cells: Array.from({ length: 60 }, (_, i): ViewCell => ((r + i) % 7 === 0 ? 0 : [`${(r * 60 + i) % n}/100`, 's hi p1'])),
      })),
    })
    for (const [distinct, width] of [
      [40, 1],
      [500, 2],
    ] as const) {
      const v = many(distinct)
      const packed = packView(v)
      expect(packed.width).toBe(width)
      expect(packed.rows[0]!.cells).toHaveLength(60 * width)
      expect(packed.rows.map((r) => unpackCells(packed, r.cells))).toEqual(v.rows.map((r) => r.cells))
      expect(gridTableHtml(packed, opts)).toBe(gridTableHtml(v, opts))
    }
  })
})

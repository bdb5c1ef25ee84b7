// The class grid page's content, cached per class (app/models/learning/grid-cache.server.ts):
// the grid read in one statement, shaped as the page shows it, packed for the browser's data and
// rendered as the table's HTML — built once per change of the class, not once per request.
import type { DbOrTx } from '../../db.server'
import { t, type Lang } from '../../i18n'
import { cachedClassGrid } from '../../models/learning/grid-cache.server'
import { classGrid, type GridFilters } from '../../models/learning/grid.server'
import { gridTableHtml, gridTableOptions, gridView, packView, type PackedView } from './grid-view'

export type GridPage = {
  /** The cells, packed: what a data request (a client navigation) ships; the browser builds the table from it. */
  packed: PackedView
  /** The table as HTML: what a document request ships, and nothing else of the cells. */
  html: string
  columns: number
  children: number
  groups: { id: string; name: string }[]
  skills: { id: string; code: string; label: string }[]
  activities: { id: string; title: string; published: 0 | 1 | 2 }[]
}

export function classGridPage(
  db: DbOrTx,
  a: { orgId: string; klass: { id: string; name: string; gridVersion: number }; filters: GridFilters; view: 'activities' | 'skills'; lang: Lang },
): Promise<GridPage> {
  const f = a.filters
  return cachedClassGrid({
    classId: a.klass.id,
    version: a.klass.gridVersion,
    variant: JSON.stringify([a.view, a.lang, f.groupId ?? null, f.skillId ?? null, f.from ?? null, f.to ?? null]),
    build: async () => {
      const grid = await classGrid(db, { orgId: a.orgId, classId: a.klass.id, filters: f, view: a.view })
      const cells = gridView(grid, a.view, (l) => t(a.lang, `learning.level.${l}`))
      const packed = packView(cells)
      const html = gridTableHtml(
        packed,
        gridTableOptions((key, vars) => t(a.lang, key, vars), { orgId: a.orgId, classId: a.klass.id, className: a.klass.name }),
      )
      return {
        value: {
          packed,
          html,
          columns: cells.columns.length,
          children: grid.children.length,
          groups: grid.groups,
          skills: grid.skills.map((s) => ({ id: s.id, code: s.code, label: s.label })),
          activities: grid.activities.map((x) => ({ id: x.id, title: x.title, published: x.published })),
        },
        validUntil: grid.nextChangeAt ? Date.parse(grid.nextChangeAt) : null,
      }
    },
  })
}

// The class grid as the page shows it: per cell a short text and its classes, then the table
// as one HTML string. Pure functions with no server imports: the page builds the same string
// on the server (SSR) and in the browser (hydration) from the compact cells, so 1,800 cells
// travel once as ~30 bytes each instead of as escaped HTML or React elements.
import type { ActivityKind, Level } from '../../../drizzle/schema'
import type { MessageKey, Vars } from '../../i18n'
import type { ClassGrid, Pub } from '../../models/learning/grid.server'

/** A rendered cell: [text, CSS classes], or 0 when empty. Kept tiny: 1,800 of them per page. */
export type ViewCell = 0 | [string, string]
export type GridView = {
  columns: { id: string; title: string; kind: ActivityKind | 'skill'; pub: Pub; hint?: string }[]
  rows: { id: string; name: string; cells: ViewCell[] }[]
}

/**
 * The grid as the page shows it, precomputed on the server: per cell a short text and its
 * classes (score band or level, publication state), so the page ships and renders ~30 bytes
 * per cell instead of ids and nested elements. `label` translates levels.
 */
export function gridView(grid: ClassGrid, view: 'activities' | 'skills', label: (level: Level) => string): GridView {
  const band = (score: number, max: number) => {
    const r = max ? score / max : 0
    return r >= 0.75 ? 'hi' : r >= 0.5 ? 'mid' : 'lo'
  }
  const levels = { not_yet: label('not_yet'), in_progress: label('in_progress'), acquired: label('acquired') }
  if (view === 'skills') {
    return {
      columns: grid.skills.map((s) => ({ id: s.id, title: s.code, kind: 'skill' as const, pub: 0 as Pub, hint: s.label })),
      rows: grid.children.map((c) => {
        const row = grid.bySkill[c.id] ?? {}
        return {
          id: c.id,
          name: `${c.firstName} ${c.lastName}`,
          cells: grid.skills.map((s): ViewCell => {
            const x = row[s.id]
            if (!x) return 0
            const text = [x.level ? levels[x.level] : null, x.quizPct != null ? `${x.quizPct} %` : null].filter(Boolean).join(' · ')
            return [text, x.level ? `l ${x.level} p${x.pub}` : `s ${x.quizPct! >= 75 ? 'hi' : x.quizPct! >= 50 ? 'mid' : 'lo'}`]
          }),
        }
      }),
    }
  }
  return {
    columns: grid.activities.map((a) => ({ id: a.id, title: a.title, kind: a.kind, pub: a.published })),
    rows: grid.children.map((c) => {
      const res = grid.results[c.id] ?? {}
      const obs = grid.obsByActivity[c.id] ?? {}
      return {
        id: c.id,
        name: `${c.firstName} ${c.lastName}`,
        cells: grid.activities.map((a): ViewCell => {
          if (a.kind === 'quiz') {
            const r = res[a.id]
            return r ? [`${r[0]}/${r[1]}`, `s ${band(r[0], r[1])} p${r[2]}`] : 0
          }
          const cells = obs[a.id]
          if (!cells?.length) return 0
          const last = cells[cells.length - 1]!
          return [cells.map((x) => levels[x[0]]).join(' / '), `l ${last[0]} p${last[2]}`]
        }),
      }
    }),
  }
}

// Packed for the page's data. A class has few distinct cells (a score and its band, a level,
// a publication state): each distinct cell goes once into `dict`, and each row is one string
// of fixed-width codes into it — 1,800 cells in a few kilobytes, one string per child for the
// serializer (turbo-stream), and each distinct cell escaped once when the table is built.
// Cell texts are generated (scores, translated level names, percentages), never typed by
// anyone, so a plain separator is safe.
const PART = '~'
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
export type PackedView = {
  columns: GridView['columns']
  /** Distinct cells, "text~classes"; index 0 is the empty cell. */
  dict: string[]
  /** Characters per cell code (base 62). */
  width: number
  rows: { id: string; name: string; cells: string }[]
}

export function packView(v: GridView): PackedView {
  const dict = ['']
  const index = new Map<string, number>([['', 0]])
  const codes = v.rows.map((r) =>
    r.cells.map((c) => {
      const key = c ? `${c[0]}${PART}${c[1]}` : ''
      let i = index.get(key)
      if (i === undefined) index.set(key, (i = dict.push(key) - 1))
      return i
    }),
  )
  let width = 1
  while (DIGITS.length ** width < dict.length) width++
  const code = (i: number) => {
    let out = ''
    for (let k = 0; k < width; k++, i = Math.floor(i / DIGITS.length)) out = DIGITS[i % DIGITS.length] + out
    return out
  }
  const table = dict.map((_, i) => code(i))
  return { columns: v.columns, dict, width, rows: v.rows.map((r, j) => ({ id: r.id, name: r.name, cells: codes[j]!.map((i) => table[i]).join('') })) }
}

/** The dictionary indexes of one packed row. */
function decodeRow(p: PackedView, cells: string): number[] {
  const out: number[] = []
  for (let at = 0; at < cells.length; at += p.width) {
    let i = 0
    for (let k = 0; k < p.width; k++) i = i * DIGITS.length + DIGITS.indexOf(cells[at + k]!)
    out.push(i)
  }
  return out
}

function dictCell(entry: string): ViewCell {
  if (!entry) return 0
  const i = entry.indexOf(PART)
  return [entry.slice(0, i), entry.slice(i + 1)]
}

export function unpackCells(p: PackedView, cells: string): ViewCell[] {
  return decodeRow(p, cells).map((i) => dictCell(p.dict[i]!))
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const SPECIAL = /[&<>"']/
export const esc = (s: string) => (SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => ESC[c]!) : s)

/**
 * The grid's table as an HTML string. 30 × 60 is 1,800 cells: built as a string it costs well
 * under a millisecond, where React elements cost tens (render, then hydration data). Every
 * text goes through `esc`; links are plain (a full page load).
 */
export function gridTableHtml(
  v: GridView | PackedView,
  o: { caption: string; childHeader: string; kindLabel: (k: ActivityKind) => string; pubLabel: (p: Pub) => string; activityHref: (id: string) => string; childHref: (id: string) => string },
): string {
  const head = v.columns
    .map((c) => {
      if (c.kind === 'skill') return `<th scope="col" title="${esc(c.hint ?? '')}">${esc(c.title)}</th>`
      const pub = c.pub ? `<span class="pub p${c.pub}" title="${esc(o.pubLabel(c.pub))}"><span class="sr-only">${esc(o.pubLabel(c.pub))}</span></span>` : ''
      return `<th scope="col"><span class="lg-kind">${esc(o.kindLabel(c.kind))}</span><a href="${esc(o.activityHref(c.id))}">${esc(c.title)}</a>${pub}</th>`
    })
    .join('')
  const td = (c: ViewCell) => (c ? `<td class="${esc(c[1])}">${esc(c[0])}</td>` : '<td></td>')
  // Packed: each distinct cell is escaped once.
  const packedTds = 'dict' in v ? v.dict.map((e) => td(dictCell(e))) : null
  const body = v.rows
    .map((r) => {
      let cells = ''
      if (typeof r.cells === 'string') for (const i of decodeRow(v as PackedView, r.cells)) cells += packedTds![i]
      else for (const c of r.cells) cells += td(c)
      return `<tr><th scope="row" class="lg-name"><a href="${esc(o.childHref(r.id))}">${esc(r.name)}</a></th>${cells}</tr>`
    })
    .join('')
  return `<table class="lg-grid" aria-label="${esc(o.caption)}"><thead><tr><th scope="col" class="lg-name">${esc(o.childHeader)}</th>${head}</tr></thead><tbody>${body}</tbody></table>`
}

/** The table's labels and links, the same on the server (the cached HTML) and in the browser. */
export function gridTableOptions(tr: (key: MessageKey, vars?: Vars) => string, a: { orgId: string; classId: string; className: string }): Parameters<typeof gridTableHtml>[1] {
  const base = `/org/${a.orgId}/classes/${a.classId}`
  return {
    caption: tr('learning.grid.table', { name: a.className }),
    childHeader: tr('learning.grid.child'),
    kindLabel: (k) => tr(`learning.kind.${k}`),
    pubLabel: (p) => tr(p === 1 ? 'learning.pub.published' : 'learning.pub.scheduled'),
    activityHref: (id) => `${base}/activities/${id}`,
    childHref: (id) => `/org/${a.orgId}/children/${id}/record`,
  }
}

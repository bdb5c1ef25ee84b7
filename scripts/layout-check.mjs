// Reads layout.mjs (the single source of the house's floors) and turns it into what the tools
// need: ESLint zones for import-x/no-restricted-paths, the folder graph of the real imports, its
// loops and its upward arrows. `node scripts/layout-check.mjs` prints the graph's violations.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** @typedef {{ floors: { name: string, folders: string[] }[], forbidden: { from: string, to: string, why: string }[], roleStringsAllowedIn: string[] }} Layout */

/** @returns {Promise<Layout>} */
export async function loadLayout(root = repoRoot) {
  return import(pathToFileURL(path.join(root, 'layout.mjs')).href)
}

const isFile = (folder) => !folder.endsWith('/')
/** Does a repo-relative path fall under a layout folder (a prefix ending in '/', or one file)? */
export const inFolder = (rel, folder) => (isFile(folder) ? rel === folder : rel.startsWith(folder))

/** The floor and the layout folder that hold a repo-relative path (longest folder wins). */
export function locate(layout, rel) {
  let best = null
  layout.floors.forEach((floor, index) => {
    for (const folder of floor.folders) if (inFolder(rel, folder) && (!best || folder.length > best.folder.length)) best = { index, floor: floor.name, folder }
  })
  return best
}

// A glob for ESLint's `files`/`ignores` and for the zones: a folder's files, or the one file.
const glob = (folder) => (isFile(folder) ? folder : `${folder}**`)

/**
 * Zones for import-x/no-restricted-paths: each floor may not import from any higher floor, plus
 * the forbidden arrows. Plain paths relative to `basePath` (a folder holds everything under it; the
 * rule refuses globs mixed with paths); one zone per pair so the message names both floors.
 */
export function boundaryZones(layout) {
  const zones = []
  layout.floors.forEach((floor, i) => {
    layout.floors.slice(i + 1).forEach((higher) => {
      zones.push({
        target: floor.folders,
        from: higher.folders,
        message: `The ${floor.name} floor may not import from the higher ${higher.name} floor (layout.mjs: a module imports from its own floor or lower ones).`,
      })
    })
  })
  for (const arrow of layout.forbidden) {
    zones.push({ target: [arrow.from], from: [arrow.to], message: `${arrow.from} ↛ ${arrow.to}: ${arrow.why} (layout.mjs forbidden).` })
  }
  return zones
}

/** Globs of the files where role names may be compared (ESLint `ignores` of the role rule). */
export const roleStringGlobs = (layout) => layout.roleStringsAllowedIn.map(glob)

/** Every source folder the layout names (top-level directories, for walking). */
export function layoutRoots(layout) {
  return [...new Set(layout.floors.flatMap((f) => f.folders.map((folder) => folder.split('/')[0])))]
}

const SOURCE = /\.(ts|tsx|mjs|js)$/
const SKIP = /(\.test\.tsx?|\.d\.ts)$/
const EXTENSIONS = ['', '.ts', '.tsx', '.mjs', '.js', '/index.ts', '/index.tsx', '/index.mjs']

function walk(root, dir, out) {
  const abs = path.join(root, dir)
  if (!fs.existsSync(abs)) return out
  if (fs.statSync(abs).isFile()) {
    if (SOURCE.test(dir) && !SKIP.test(dir)) out.push(dir)
    return out
  }
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'migrations' || e.name === 'fixtures') continue
    walk(root, path.posix.join(dir, e.name), out)
  }
  return out
}

/** Resolves an import specifier from a repo-relative file: `~/` is app/, relative paths as usual; packages → null. */
export function resolveImport(root, fromRel, spec) {
  let target
  if (spec.startsWith('~/')) target = 'app/' + spec.slice(2)
  else if (spec.startsWith('.')) target = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), spec))
  else return null
  target = target.split('?')[0]
  const hit = EXTENSIONS.map((e) => target + e).find((p) => fs.existsSync(path.join(root, p)) && fs.statSync(path.join(root, p)).isFile())
  if (hit) return hit
  // A .js specifier that names a .ts file (ESM style)
  const swapped = target.replace(/\.js$/, '.ts')
  return fs.existsSync(path.join(root, swapped)) ? swapped : target
}

/** The layout's source files (tests and migrations left out) and every import between them, repo-relative. */
export function importGraph(root, layout) {
  const files = layoutRoots(layout).flatMap((dir) => walk(root, dir, []))
  /** @type {{ from: string, to: string, typeOnly: boolean }[]} */
  const edges = []
  for (const from of files) {
    const text = fs.readFileSync(path.join(root, from), 'utf8')
    // Each import/export statement, up to its own `from '…'`: a specifier is type-only when every statement naming it is `import type`.
    const kinds = new Map()
    for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[\s\S]*?\sfrom\s+['"]([^'"]+)['"]/gm)) kinds.set(m[3], (kinds.get(m[3]) ?? true) && m[1] === 'import' && !!m[2])
    const info = ts.preProcessFile(text, true, true)
    for (const { fileName } of info.importedFiles) {
      const to = resolveImport(root, from, fileName)
      if (to) edges.push({ from, to, typeOnly: kinds.get(fileName) === true })
    }
  }
  return { files, edges }
}

/**
 * The node of a file in the folder graph: the top-level folder under app/ (app/models, app/privacy,
 * …), a file directly in app/ on its own, or the first folder of the other roots (workers, server, cli…).
 */
export function folderNode(rel) {
  const parts = rel.split('/')
  if (parts[0] === 'app') return parts.length > 2 ? `app/${parts[1]}` : rel
  return parts[0]
}

/** Loops in a directed graph: Tarjan's strongly connected components of more than one node (self-arrows don't count). */
export function cycles(edges) {
  const next = new Map()
  for (const { from, to } of edges) if (from !== to) (next.get(from) ?? next.set(from, new Set()).get(from)).add(to)
  const index = new Map(),
    low = new Map(),
    onStack = new Set(),
    stack = [],
    found = []
  let counter = 0
  const visit = (v) => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
    }
    if (low.get(v) !== index.get(v)) return
    const scc = []
    let w
    do {
      w = stack.pop()
      onStack.delete(w)
      scc.push(w)
    } while (w !== v)
    if (scc.length > 1) found.push(scc.sort())
  }
  for (const v of next.keys()) if (!index.has(v)) visit(v)
  return found
}

/** The folder graph's loops and the imports that go up a floor or along a forbidden arrow. */
export function checkLayout(root, layout) {
  const { files, edges } = importGraph(root, layout)
  const folderEdges = edges.map(({ from, to }) => ({ from: folderNode(from), to: folderNode(to) }))
  const loops = cycles(folderEdges).map((scc) => ({
    folders: scc,
    imports: edges.filter((e) => scc.includes(folderNode(e.from)) && scc.includes(folderNode(e.to)) && folderNode(e.from) !== folderNode(e.to)).map((e) => `${e.from} → ${e.to}`),
  }))
  const violations = []
  const unplaced = files.filter((f) => !locate(layout, f))
  for (const { from, to } of edges) {
    const a = locate(layout, from)
    const b = locate(layout, to)
    if (!a || !b) continue // imports of tests/ helpers (benchmarks) are outside the house
    if (b.index > a.index) violations.push({ from, to, why: `${a.floor} imports from the higher ${b.floor} floor` })
    for (const arrow of layout.forbidden) if (inFolder(from, arrow.from) && inFolder(to, arrow.to)) violations.push({ from, to, why: `${arrow.from} ↛ ${arrow.to}: ${arrow.why}` })
  }
  // Loops between single files too. A type-only import is left out here (it vanishes at build):
  // a route folder's part typing its props from its route's loader is the Remix pattern. Between
  // folders every import counts.
  const fileLoops = cycles(edges.filter((e) => !e.typeOnly))
  return { loops, fileLoops, violations, unplaced: unplaced.sort(), files: files.length }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? repoRoot)
  const result = checkLayout(root, await loadLayout(root))
  for (const loop of result.loops) console.log(`LOOP ${loop.folders.join(' ⇄ ')}\n  ${loop.imports.join('\n  ')}`)
  for (const loop of result.fileLoops) console.log(`FILE LOOP ${loop.join(' ⇄ ')}`)
  for (const v of result.violations) console.log(`UP   ${v.from} → ${v.to} (${v.why})`)
  for (const f of result.unplaced) console.log(`NO FLOOR ${f} (add its folder to layout.mjs)`)
  console.log(
    `${result.files} files: ${result.loops.length} folder loops, ${result.fileLoops.length} file loops, ${result.violations.length} upward or forbidden imports, ${result.unplaced.length} files on no floor`,
  )
  process.exitCode = result.loops.length || result.fileLoops.length || result.violations.length || result.unplaced.length ? 1 : 0
}

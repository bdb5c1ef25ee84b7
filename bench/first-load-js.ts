// First-load JavaScript of the pages a person opens first: what the browser must fetch and run
// before the page is interactive. Builds the app (or reuses one), starts it on a fresh DATA_DIR,
// asks for each page in French and in English and adds up every script the HTML names (module
// preloads, <script src>, the imports of the inline module scripts), gzipped one by one as a
// server would send them. Messages put inline in the page (the i18n <script> data) are counted
// apart, and so is the whole HTML document.
//
// Run: npx tsx bench/first-load-js.ts [--build-dir build] (without it: a fresh build in .cache/)
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { freePort } from '../server/embedded-postgres'

const PAGES = ['/login', '/child-login']
const LANGS = ['fr', 'en'] as const

const gz = (s: string | Buffer) => zlib.gzipSync(s).length
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

/** Every script a page's HTML makes the browser load before it is interactive. */
function scriptsOf(html: string): string[] {
  const urls = new Set<string>()
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0])?.[1]
    if (href) urls.add(href)
  }
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = /\bsrc="([^"]+)"/.exec(m[1])?.[1]
    if (src) urls.add(src)
    if (/type="module"/.test(m[1])) for (const i of m[2].matchAll(/\bimport\s*(?:[\w*{}\s,]+from\s*)?\(?\s*"([^"]+)"/g)) urls.add(i[1])
  }
  return [...urls]
}

/** Inline data scripts (the messages a page carries for hydration), by id. */
function inlineData(html: string): string {
  let out = ''
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) if (/type="application\/json"/.test(m[1])) out += m[2]
  return out
}

async function main() {
  const args = process.argv.slice(2)
  const given = args.includes('--build-dir') ? path.resolve(args[args.indexOf('--build-dir') + 1]) : null
  const buildDir = given ?? path.resolve('.cache', `bench-build-${process.pid}`)
  if (!given) {
    const r = spawnSync(process.execPath, ['node_modules/@remix-run/dev/dist/cli.js', 'vite:build'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CARNET_BUILD_DIR: buildDir } })
    if (r.status !== 0) throw new Error('build failed')
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-js-'))
  fs.chmodSync(tmp, 0o755)
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(tmp, 'data'), CARNET_BUILD_DIR: buildDir, PORT: String(port), CARNET_NO_WORKERS: '1', CARNET_ALLOW_NO_SMTP: '1' }
  delete env.DATABASE_URL
  delete env.REDIS_URL
  const child = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout.on('data', (d) => (log += d))
  child.stderr.on('data', (d) => (log += d))
  const base = `http://127.0.0.1:${port}`
  try {
    const deadline = Date.now() + 180_000
    for (;;) {
      if (Date.now() > deadline) throw new Error(`the server did not answer within 180 s\n${log}`)
      try {
        if ((await fetch(`${base}/healthz`)).ok) break
      } catch {}
      await new Promise((r) => setTimeout(r, 100))
    }
    const rows: string[][] = []
    for (const page of PAGES) {
      for (const lang of LANGS) {
        const res = await fetch(base + page, { headers: { 'accept-language': lang } })
        if (!res.ok) throw new Error(`${page}: ${res.status}`)
        const html = await res.text()
        let raw = 0
        let zipped = 0
        const urls = scriptsOf(html)
        for (const url of urls) {
          const body = Buffer.from(await (await fetch(new URL(url, base))).arrayBuffer())
          raw += body.length
          zipped += gz(body)
        }
        const data = inlineData(html)
        rows.push([page, lang, String(urls.length), kb(raw), kb(zipped), data ? `${kb(data.length)} / ${kb(gz(data))}` : '—', kb(gz(html))])
      }
    }
    const head = ['page', 'lang', 'scripts', 'JS raw', 'JS gzip', 'inline messages raw / gzip', 'HTML gzip']
    console.log(`| ${head.join(' | ')} |`)
    console.log(`| ${head.map(() => '---').join(' | ')} |`)
    for (const r of rows) console.log(`| ${r.join(' | ')} |`)
  } finally {
    const stopped = new Promise((r) => child.on('exit', r))
    child.kill('SIGTERM')
    await stopped
    fs.rmSync(tmp, { recursive: true, force: true })
    if (!given) fs.rmSync(buildDir, { recursive: true, force: true })
  }
}

await main()

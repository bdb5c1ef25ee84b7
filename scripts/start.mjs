// `npm start`: build the app when the sources are newer than the build, then run the server
// in this same process (so Ctrl-C reaches it directly and nothing is orphaned).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

function newest(dir) {
  let t = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs)
  }
  return t
}

const buildFile = path.resolve(process.env.CARNET_BUILD_DIR ?? 'build', 'server/index.js')
const stale = !fs.existsSync(buildFile) || fs.statSync(buildFile).mtimeMs < Math.max(newest('app'), fs.statSync('vite.config.ts').mtimeMs)
if (stale) {
  console.log('[carnet] building the app …')
  const r = spawnSync(process.execPath, ['node_modules/@remix-run/dev/dist/cli.js', 'vite:build'], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const { register } = await import('tsx/esm/api')
register()
await import('../server/main.ts')

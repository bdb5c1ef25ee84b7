// Cold `npm start` (no build yet, empty DATA_DIR: build + initdb + migrations + demo seed) to
// the first 200 response, then a warm restart (build and database present).
// Run: npx tsx bench/startup.ts
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../server/embedded-postgres'

async function timeToFirst200(env: Record<string, string>, port: number) {
  const started = performance.now()
  const child = spawn(process.execPath, ['scripts/start.mjs'], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout.on('data', (d) => (log += d))
  child.stderr.on('data', (d) => (log += d))
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/login`)
      if (r.status === 200) break
    } catch {}
    await new Promise((r) => setTimeout(r, 50))
  }
  const ms = performance.now() - started
  const stopped = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGTERM')
  await stopped
  if (Date.now() >= deadline) throw new Error(`no 200 within 180 s\n${log}`)
  return ms
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-start-'))
fs.chmodSync(tmp, 0o755)
// The build stays inside the project: Node resolves build/server/index.js as ESM through package.json.
const buildDir = path.resolve('.cache', `bench-build-${process.pid}`)
const env = { DATA_DIR: path.join(tmp, 'data'), CARNET_BUILD_DIR: buildDir, DATABASE_URL: '', REDIS_URL: '' }
delete process.env.DATABASE_URL
delete process.env.REDIS_URL
const port = await freePort()
const cold = await timeToFirst200(env, port)
const warm = await timeToFirst200(env, port)
fs.rmSync(tmp, { recursive: true, force: true })
fs.rmSync(buildDir, { recursive: true, force: true })
console.log(`cold start (build + initdb + migrate + seed) to first 200: ${(cold / 1000).toFixed(2)} s`)
console.log(`warm restart to first 200: ${(warm / 1000).toFixed(2)} s`)

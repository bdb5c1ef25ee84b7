// The platform around the pages: security headers, the cross-site form check, and that
// `npm start` stops cleanly on Ctrl-C, PostgreSQL included.
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from './fixtures'

test('every page carries the security headers', async ({ request }) => {
  const res = await request.get('/login')
  const h = res.headers()
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'")
  expect(h['content-security-policy']).toContain("default-src 'self'")
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin')
  expect(h['x-frame-options']).toBe('DENY')
  expect(h['x-content-type-options']).toBe('nosniff')
})

test('a form posted from another site is refused; the same form from Carnet is not', async ({ request }) => {
  const form = { identifier: 'admin@demo.carnet.fr', password: 'whatever-password' }
  const cross = await request.post('/login', { form, headers: { Origin: 'https://evil.example' }, maxRedirects: 0 })
  expect(cross.status()).toBe(403)
  expect(await cross.text()).toContain('elle ne vient pas de Carnet')
  const missing = await request.post('/login', { form, headers: { Origin: 'null' }, maxRedirects: 0 })
  expect(missing.status()).toBe(403)
  // A browser posting from a no-referrer page of Carnet's own sends "Origin: null" and says
  // same-origin in Sec-Fetch-Site: accepted; the same null origin from another site is not.
  const nullSameSite = await request.post('/login', { form, headers: { Origin: 'null', 'Sec-Fetch-Site': 'same-origin', 'x-forwarded-for': '203.0.113.98' }, maxRedirects: 0 })
  expect(nullSameSite.status()).not.toBe(403)
  const nullCrossSite = await request.post('/login', { form, headers: { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }, maxRedirects: 0 })
  expect(nullCrossSite.status()).toBe(403)
  const same = await request.post('/login', { form, headers: { Origin: new URL(test.info().project.use.baseURL!).origin, 'x-forwarded-for': '203.0.113.99' }, maxRedirects: 0 })
  expect(same.status()).not.toBe(403)
})

test('npm start: serves, prints the demo logins, and Ctrl-C stops everything, PostgreSQL included', async () => {
  test.setTimeout(120_000)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-lifecycle-'))
  fs.chmodSync(dir, 0o755)
  const port = 3000 + Math.floor(Math.random() * 2000) + 4000
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/login`).catch(() => null))?.status ?? 0, { timeout: 90_000 }).toBe(200)
  expect(out).toContain('admin@demo.carnet.fr')
  expect(out).toMatch(/class code JFCM1A/)
  const postgresRunning = () => {
    try {
      return (
        execFileSync('pgrep', ['-f', `${dir}/pg`])
          .toString()
          .trim().length > 0
      )
    } catch {
      return false
    }
  }
  expect(postgresRunning()).toBe(true)
  child.kill('SIGINT')
  expect(await exited).toBe(0)
  expect(out).toContain('stopped.')
  expect(out).not.toMatch(/Error|terminating connection/)
  await expect.poll(postgresRunning, { timeout: 10_000 }).toBe(false)
  fs.rmSync(dir, { recursive: true, force: true })
})

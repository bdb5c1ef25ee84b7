import { defineConfig } from '@playwright/test'
import fs from 'node:fs'

const PORT = Number(process.env.E2E_PORT ?? 3210)
// Debian's Chromium when present (CI, this machine kind); Playwright's own browser otherwise.
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p))

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: 'fr-FR',
    trace: 'retain-on-failure',
    launchOptions: chromium
      ? {
          executablePath: chromium,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        }
      : {},
  },
  webServer: {
    command: 'node scripts/e2e-server.mjs',
    url: `http://localhost:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: { PORT: String(PORT), DATA_DIR: '.data/e2e', APP_URL: `http://localhost:${PORT}`, CARNET_E2E: '1', TRUST_PROXY: '1' },
    stdout: 'pipe',
  },
})

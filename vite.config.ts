import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig, searchForWorkspaceRoot } from 'vite'
import fs from 'node:fs'
import path from 'node:path'
import { i18nCatalogue } from './app/i18n/vite-plugin'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  resolve: { alias: { '~': path.resolve(__dirname, 'app') } },
  // node_modules may be a symlink (a git worktree sharing another checkout's install): the dev
  // server must still serve files from where it really is.
  server: { port: 3000, fs: { allow: [searchForWorkspaceRoot(process.cwd()), fs.realpathSync(path.resolve(__dirname, 'node_modules'))] } },
  plugins: [
    // The browser gets one language's messages, per area (app/i18n/catalogue.browser.ts).
    i18nCatalogue(__dirname),
    !process.env.VITEST &&
      remix({
        // Benchmarks build elsewhere so they never disturb a running build/.
        buildDirectory: process.env.CARNET_BUILD_DIR ?? 'build',
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          // The whole route manifest ships as one cached asset: with ~80 routes it is small, and
          // lazy discovery re-matched every parent path of the URL on each request (ADR 011).
          v3_lazyRouteDiscovery: false,
        },
      }),
  ],
})

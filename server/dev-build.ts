// `npm run dev`: the Remix build straight from the sources through Vite (no `vite:build`), with
// Vite serving the browser's modules. Loaded once: a change to server code needs a restart.
// Also what the outage test runs as a real server process (tests/integration/database-outage).
import type { ServerBuild } from '@remix-run/node'
import type { RequestHandler } from 'express'

export async function viteDevBuild(): Promise<{ build: ServerBuild; middleware: RequestHandler; close: () => Promise<void> }> {
  const { createServer } = await import('vite')
  const vite = await createServer({
    server: { middlewareMode: true },
    appType: 'custom',
    // Server-only (native) packages have nothing to pre-bundle for the browser.
    optimizeDeps: { exclude: ['@node-rs/argon2'] },
  })
  const build = (await vite.ssrLoadModule('virtual:remix/server-build')) as ServerBuild
  return { build, middleware: vite.middlewares as unknown as RequestHandler, close: () => vite.close() }
}

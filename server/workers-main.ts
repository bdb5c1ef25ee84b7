// `npm run workers`: BullMQ workers only, for scaling out next to stateless web processes.
import { startWorkers } from '../workers/runtime.server'
import { ConfigError } from '../app/config.server'
import { boot } from './boot'
import { guardProcess } from './process-guard'

const log = (s: string) => console.log(`[carnet workers] ${s}`)
let stopping = false
// A database outage pauses the workers; it does not end the process (ADR 017).
guardProcess({ prefix: '[carnet workers]', stopping: () => stopping })

const booted = await boot({ log, service: true }).catch((e: unknown) => {
  if (!(e instanceof ConfigError)) throw e
  console.error(`[carnet workers] ${e.message}`)
  process.exit(1)
})
const workers = await startWorkers({ log: { info: (...a: unknown[]) => log(a.join(' ')), warn: console.warn, error: console.error } })
log(`running on ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'} queues; Ctrl-C to stop`)
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    if (stopping) return
    stopping = true
    booted.letGo()
    await workers.stop()
    await booted.stop()
    process.exit(0)
  })
}

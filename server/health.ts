// GET /health: for whoever is woken at 3 a.m. (the hosting provider's monitor, a load balancer):
// can this process reach its database and its job queue right now? 200 when both answer, 503
// when one does not, with which one, since when and the error's code — no personal data, no
// connection string, no message text. GET /healthz stays the bare liveness check ("the process
// answers"), which an outage never fails: restarting the process would not bring the database back.
import type { Request, Response } from 'express'
import { databaseAvailability, errorCode, getSql, reportDatabaseError, reportDatabaseUp } from '../app/db.server'
import { backendName } from '../app/queue/connection.server'
import { checkQueueBackend } from '../app/queue/job.server'

const TIMEOUT_MS = 3000

type Check = { ok: true; ms: number } | { ok: false; ms: number; error: string }

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const t0 = Date.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), TIMEOUT_MS)))])
    return { ok: true, ms: Date.now() - t0 }
  } catch (e) {
    return { ok: false, ms: Date.now() - t0, error: errorCode(e) }
  } finally {
    clearTimeout(timer)
  }
}

export async function health(_req: Request, res: Response) {
  const [database, queue] = await Promise.all([
    timed(async () => {
      try {
        await getSql()`select 1`
        reportDatabaseUp()
      } catch (e) {
        reportDatabaseError(e)
        throw e
      }
    }),
    timed(checkQueueBackend),
  ])
  const a = databaseAvailability()
  const ok = database.ok && queue.ok
  res
    .status(ok ? 200 : 503)
    .set('Cache-Control', 'no-store')
    .json({
      status: ok ? 'ok' : 'unavailable',
      database: { ...database, ...(!a.up && { awaySince: a.since.toISOString() }) },
      queue: { backend: backendName(), ...queue },
    })
}

// Work a sweep also finds is enqueued "best effort": a queue backend that does not answer (Redis
// gone, ioredis retrying forever) must not hold the page or the transaction's after-commit work.
import { randomUUID } from 'node:crypto'
import { afterAll, expect, test } from 'vitest'
import { enqueueDsrForward } from '~/privacy/rights-requests/jobs.server'
import { enqueueErasure } from '~/privacy/erasure/jobs.server'
import { enqueueMailDelivery } from '~/mail/jobs.server'
import { dsrForwardDefinition } from '~/privacy/rights-requests/jobs.server'
import { closeQueues, enqueueBestEffort } from '~/queue/job.server'
import { freePort } from '../../server/embedded-postgres'

const saved = process.env.REDIS_URL
afterAll(async () => {
  // The producers still retry their unreachable Redis: close them without waiting on it.
  await Promise.race([closeQueues(), new Promise((r) => setTimeout(r, 1_000))])
  if (saved === undefined) delete process.env.REDIS_URL
  else process.env.REDIS_URL = saved
})

test('with the queue backend unreachable, a forward, an erasure and a mail delivery are each given up within seconds, said in the log, never thrown', async () => {
  // Nothing listens there: ioredis reconnects forever and the add never answers.
  process.env.REDIS_URL = `redis://127.0.0.1:${await freePort()}`
  process.env.CARNET_QUEUE_PREFIX = `carnet-test-unreachable-${process.pid}`
  const warnings: string[] = []
  const log = { warn: (m: string) => void warnings.push(m) }
  const t0 = Date.now()
  await Promise.all([enqueueDsrForward(randomUUID(), log), enqueueErasure({ id: randomUUID(), eraseAfter: new Date() }, log), enqueueMailDelivery([randomUUID()], {}, log)])
  expect(Date.now() - t0).toBeLessThan(10_000)
  expect(warnings).toHaveLength(3)
  expect(warnings.join('\n')).toMatch(/the sweep will forward it\): no answer from the queue in 3000 ms/)
  expect(warnings.join('\n')).toMatch(/sweep will erase it/)
  expect(warnings.join('\n')).toMatch(/outbox sweep will send them/)
})

test('a payload that does not validate is a bug, not an outage: it throws', async () => {
  await expect(enqueueBestEffort(dsrForwardDefinition, { requestId: 'not-a-uuid' }, {}, () => {})).rejects.toThrow()
})

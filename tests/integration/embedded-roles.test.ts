// `npm start` with nothing configured: the embedded PostgreSQL gets Carnet's two roles, the app
// runs as the runtime one, and a DATA_DIR from before the split is handed over to the owner.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, expect, test } from 'vitest'
import { runMigrations } from '~/migrate.server'
import { getDb } from '~/db.server'
import { logProtection } from '~/compliance/log-protection.server'
import { boot } from '../../server/boot'
import { OWNER_ROLE, RUNTIME_ROLE, startEmbeddedPostgres } from '../../server/embedded-postgres'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

function dataDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-roles-'))
  fs.chmodSync(d, 0o755)
  dirs.push(d)
  return d
}

async function bootIn(dir: string) {
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL, DATABASE_OWNER_URL: process.env.DATABASE_OWNER_URL }
  process.env.DATA_DIR = dir
  delete process.env.DATABASE_URL
  delete process.env.DATABASE_OWNER_URL
  const lines: string[] = []
  const booted = await boot({ log: (s) => lines.push(s) })
  return {
    booted,
    lines,
    restore: async () => {
      await booted.stop()
      Object.assign(process.env, saved)
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]
    },
  }
}

async function owners(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const rows = await sql<{ owner: string }[]>`
      select distinct pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'audit_partitions', 'drizzle', 'bullmq') and c.relkind in ('r', 'p', 'S', 'v')`
    const [db] = await sql<{ owner: string }[]>`select pg_get_userbyid(datdba) as owner from pg_database where datname = current_database()`
    return { tables: rows.map((r) => r.owner).sort(), database: db!.owner }
  } finally {
    await sql.end()
  }
}

test('a fresh DATA_DIR: the app runs as carnet_app (no superuser, append-only logs), carnet_owner owns and migrates everything', { timeout: 120_000 }, async () => {
  const dir = dataDir()
  const b = await bootIn(dir)
  try {
    expect(new URL(b.booted.databaseUrl).username).toBe(RUNTIME_ROLE)
    expect(new URL(b.booted.ownerUrl!).username).toBe(OWNER_ROLE)
    expect(await logProtection(getDb())).toMatchObject({ protected: true, role: RUNTIME_ROLE })
    expect(b.lines.join('\n')).not.toContain('WARNING')
    expect(await owners(b.booted.ownerUrl!)).toEqual({ tables: [OWNER_ROLE], database: OWNER_ROLE })
    // The passwords are the DATA_DIR's own, readable by its owner only.
    expect(fs.statSync(path.join(dir, 'pg-roles.json')).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(path.join(dir, 'pg-roles.json'), 'utf8')).toContain(new URL(b.booted.databaseUrl).password)
  } finally {
    await b.restore()
  }
})

test('a DATA_DIR from before the two roles (everything owned by the superuser) is handed over to carnet_owner at start', { timeout: 120_000 }, async () => {
  const dir = dataDir()
  const old = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), roles: false })
  await runMigrations(old.url)
  const before = await owners(old.url)
  await old.stop()
  expect(before.tables).toEqual(['carnet'])

  const b = await bootIn(dir)
  try {
    expect(await owners(b.booted.ownerUrl!)).toEqual({ tables: [OWNER_ROLE], database: OWNER_ROLE })
    expect(await logProtection(getDb())).toMatchObject({ protected: true })
  } finally {
    await b.restore()
  }
})

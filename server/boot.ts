// Shared start-up for `npm start`, `npm run workers` and the CLI: find or start PostgreSQL,
// migrate, publish the legal documents. Returns a stop() that undoes what it started.
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { runMigrations } from '../app/migrate.server'
import { closeDb, getDb } from '../app/db.server'
import { ensureLegalDocuments } from '../app/compliance/legal-documents.server'
import { dataDir, startEmbeddedPostgres, type EmbeddedHandle } from './embedded-postgres'

export type Booted = { databaseUrl: string; embedded: boolean; stop: () => Promise<void> }

export async function boot(opts: { migrate?: boolean; log?: (s: string) => void } = {}): Promise<Booted> {
  const log = opts.log ?? (() => {})
  ensureSessionSecret()
  let pg: EmbeddedHandle | null = null
  if (!process.env.DATABASE_URL) {
    log(`Starting the embedded PostgreSQL in ${path.join(dataDir(), 'pg')} …`)
    pg = await startEmbeddedPostgres()
    process.env.DATABASE_URL = pg.url
  }
  if (opts.migrate !== false) {
    await runMigrations(process.env.DATABASE_URL!)
    await ensureLegalDocuments(getDb())
  }
  return {
    databaseUrl: process.env.DATABASE_URL!,
    embedded: !!pg,
    stop: async () => {
      await closeDb()
      await pg?.stop()
    },
  }
}

/** Outside production, keep one random secret per DATA_DIR so sessions survive restarts. */
function ensureSessionSecret() {
  if (process.env.SESSION_SECRET || process.env.NODE_ENV === 'production') return
  const file = path.join(dataDir(), 'session-secret')
  fs.mkdirSync(dataDir(), { recursive: true })
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
  process.env.SESSION_SECRET = fs.readFileSync(file, 'utf8').trim()
}

// Shared start-up for `npm start`, `npm run workers` and the CLI: find or start PostgreSQL,
// prepare the database as its owner role (migrations, BullMQ's schema, the runtime role's
// grants), publish the legal documents. The app itself then connects as the runtime role only.
// Returns a stop() that undoes what it started.
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { ConfigError, productionConfigProblems } from '../app/config.server'
import { pendingMigrations, prepareDatabase, roleOf } from '../app/migrate.server'
import { closeDb, getDb, setOwnerDatabaseUrl } from '../app/db.server'
import { ensureLegalDocuments } from '../app/compliance/legal-documents.server'
import { logProtection } from '../app/compliance/log-protection.server'
import { auditRetention } from '../app/privacy/audit/retention.server'
import { ensureSigningKeyFile, groupedFingerprint, signingKey } from '../app/compliance/signing-key.server'
import { dataDir, startEmbeddedPostgres, type EmbeddedHandle } from './embedded-postgres'

export type Booted = {
  databaseUrl: string
  ownerUrl: string | null
  embedded: boolean
  /** Call first when shutting down: an embedded PostgreSQL that exits now stays stopped. */
  letGo: () => void
  stop: () => Promise<void>
}

let ownerUrlOfProcess: string | null = null

/** The owner role's URL this process booted with (DATABASE_OWNER_URL, or the embedded cluster's). */
export function ownerDatabaseUrl(): string | null {
  return ownerUrlOfProcess
}

export async function boot(opts: { migrate?: boolean; log?: (s: string) => void; service?: boolean } = {}): Promise<Booted> {
  const log = opts.log ?? (() => {})
  // The web server and the workers check production settings before touching anything.
  if (opts.service) {
    const problems = productionConfigProblems()
    if (problems.length) throw new ConfigError(problems)
  }
  ensureSessionSecret()
  ensureSigningKey(log)
  let pg: EmbeddedHandle | null = null
  if (!process.env.DATABASE_URL && process.env.DATABASE_OWNER_URL) {
    throw new Error('DATABASE_OWNER_URL is set but DATABASE_URL is not: set both (the runtime role and the owner role of the same database).')
  }
  if (!process.env.DATABASE_URL) {
    log(`Starting the embedded PostgreSQL in ${path.join(dataDir(), 'pg')} …`)
    // A service keeps its PostgreSQL running: if it exits, it is started again (ADR 017).
    pg = await startEmbeddedPostgres({ supervise: !!opts.service })
    process.env.DATABASE_URL = pg.url
  }
  const databaseUrl = process.env.DATABASE_URL!
  const ownerUrl = process.env.DATABASE_OWNER_URL || pg?.ownerUrl || null
  ownerUrlOfProcess = ownerUrl
  setOwnerDatabaseUrl(ownerUrl)
  if (opts.migrate !== false) {
    await prepare(databaseUrl, ownerUrl)
    await ensureLegalDocuments(getDb())
    const p = await logProtection(getDb())
    if (!p.protected) {
      log(
        `WARNING: the consent and audit logs are not protected from the app's own database role (${p.problems.join('; ')}). Set DATABASE_OWNER_URL to the owner role and DATABASE_URL to a runtime role (README, "Two database roles").`,
      )
    }
  }
  return {
    databaseUrl,
    ownerUrl,
    embedded: !!pg,
    letGo: () => pg?.letGo?.(),
    stop: async () => {
      await closeDb()
      await pg?.stop()
    },
  }
}

async function prepare(databaseUrl: string, ownerUrl: string | null) {
  const settings = { queues: !process.env.REDIS_URL, auditOnlineMonths: auditRetention().onlineMonths }
  if (ownerUrl) {
    const [runtime, owner] = await Promise.all([roleOf(databaseUrl), roleOf(ownerUrl)])
    if (runtime.database !== owner.database) throw new Error(`DATABASE_URL (database ${runtime.database}) and DATABASE_OWNER_URL (database ${owner.database}) must name the same database.`)
    return prepareDatabase(ownerUrl, { ...settings, runtimeRole: runtime.name })
  }
  // No owner role given: either one role does everything (as before the split), or the owner
  // applied the migrations separately and this role may not touch the schema.
  try {
    await prepareDatabase(databaseUrl, { ...settings, runtimeRole: null })
  } catch (e) {
    if ((e as { code?: string }).code !== '42501') throw e
    if ((await pendingMigrations(databaseUrl)) > 0) {
      throw new Error('The database needs migrations that the runtime role (DATABASE_URL) may not apply: set DATABASE_OWNER_URL to the owner role, or run "npm run db:migrate" with it.')
    }
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

/**
 * The checkpoint signing key (ADR 015): CARNET_SIGNING_KEY or CARNET_SIGNING_KEY_FILE when set;
 * otherwise DATA_DIR/signing-key.pem, generated at first start (mode 0600). Every copy of the
 * app in this process (the server bundle too) then reads the same file. A bad key stops here.
 */
function ensureSigningKey(log: (s: string) => void) {
  if (!process.env.CARNET_SIGNING_KEY && !process.env.CARNET_SIGNING_KEY_FILE) {
    const file = path.join(dataDir(), 'signing-key.pem')
    if (ensureSigningKeyFile(file).created) {
      log(`Created the checkpoint signing key ${file} (Ed25519, mode 0600). Back it up apart from the database; set CARNET_SIGNING_KEY_FILE on other machines (README, "Signing key").`)
    }
    process.env.CARNET_SIGNING_KEY_FILE = file
  }
  const key = signingKey()
  log(`Consent-log checkpoints are signed with the Ed25519 key ${groupedFingerprint(key.fingerprint)} (${key.source}).`)
  if (key.readableByOthers) log(`WARNING: the checkpoint signing key ${key.source} can be read by other users of this machine: chmod 600 it (whoever reads it can sign a rewritten consent log).`)
}

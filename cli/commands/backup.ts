// `npx carnet backup` and `npx carnet restore <file>` (DESIGN §4). Registered in
// cli/commands/index.ts; the shapes match its Command type.
import path from 'node:path'
import { getDb, databaseUrl } from '../../app/db.server'
import { roleOf } from '../../app/migrate.server'
import { ownerDatabaseUrl } from '../../server/boot'
import { parseArgs, UsageError } from './args'
import { backupsDir } from '../../app/privacy/erasure/journal.server'
import { restoreBackup } from '../../app/privacy/backups/restore.server'
import { takeBackup } from '../../app/privacy/backups/schedule.server'

type Io = { out: (s: string) => void; err: (s: string) => void }

export const backupCommand = {
  summary: 'take a backup now (DATA_DIR/backups, SHA-256 and size recorded)',
  help: `Usage: npx carnet backup

Takes a backup of the application data now, into DATA_DIR/backups, with a sidecar
<file>.json holding its SHA-256 and size. It is kept like the scheduled ones: the first of a
month 6 months, the first of a week 4 weeks, the others 7 days (see the backups page).`,
  run: async (args: string[], io: Io) => {
    parseArgs(args, {})
    const b = await takeBackup(getDb())
    io.out(`Backup taken: ${path.join(backupsDir(), b.fileName)}`)
    io.out(`  kind ${b.kind}, ${b.rows} rows in ${b.tables} tables, ${b.bytes} bytes, SHA-256 ${b.sha256}`)
    io.out(`  expires ${b.expiresAt.toISOString()}`)
    return 0
  },
}

export const restoreCommand = {
  summary: 'restore a backup into an EMPTY database, then replay erasures made since',
  help: `Usage: npx carnet restore [--journal <tombstones.jsonl>] <backup file>

Restores a backup taken by "npx carnet backup" (or the daily job) into an empty database
(DATABASE_URL, or the embedded PostgreSQL of DATA_DIR): checks the SHA-256 against the
file's sidecar, creates the schema at the backup's migration level, loads the data, applies
the newer migrations, then replays every erasure recorded in the tombstone journal
(default: tombstones.jsonl beside the backup) after the backup was taken, so nobody erased
since comes back. Refuses a database that holds data; changes nothing when a check fails.`,
  migrate: false,
  run: async (args: string[], io: Io) => {
    const { flags, positional } = parseArgs(args, { journal: 'string' })
    if (positional.length !== 1) throw new UsageError('Name one backup file: npx carnet restore <file> (see the backups page or DATA_DIR/backups).')
    const file = path.resolve(positional[0]!)
    // The owner role creates the schema; the runtime role gets its grants afterwards.
    const owner = ownerDatabaseUrl() ?? databaseUrl()
    const runtimeRole = owner === databaseUrl() ? null : (await roleOf(databaseUrl())).name
    const out = await restoreBackup(owner, file, { journal: typeof flags.journal === 'string' ? path.resolve(flags.journal) : undefined, log: io.out, runtimeRole })
    io.out(`Restored ${out.rows} rows in ${out.tables} tables; ${out.replayed} erasure(s) replayed from the journal.`)
    return 0
  },
}

// The tombstone journal: every erasure is also appended, fsync'ed, to
// DATA_DIR/backups/tombstones.jsonl — beside the backups, outside the database — before its
// transaction commits. A restore loads a backup, then replays every journal entry the backup
// does not hold, so nobody erased after the backup comes back (DESIGN §3.3). Ids and times
// only, like the tombstones themselves. An entry whose transaction then failed names a
// deletion that was due anyway: replaying it erases what was to be erased.
import fs from 'node:fs'
import path from 'node:path'

export type JournalEntry = {
  id: string
  requestId: string | null
  scope: 'account' | 'membership' | 'organization'
  role?: 'self' | 'guardian' | 'admin' | 'rights_request' | 'operator' | 'contract_end'
  subjectId: string | null
  orgId: string | null
  requestedAt: string
  dueAt: string
  completedAt: string
}

export function backupsDir() {
  return path.resolve(process.env.DATA_DIR ?? '.data', 'backups')
}

export function journalPath(dir = backupsDir()) {
  return path.join(dir, 'tombstones.jsonl')
}

export function appendJournal(entry: JournalEntry, file = journalPath()) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const fd = fs.openSync(file, 'a', 0o600)
  try {
    fs.writeSync(fd, JSON.stringify(entry) + '\n')
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Entries in the order they were written; a torn last line (crash mid-write) is skipped. */
export function readJournal(file = journalPath()): JournalEntry[] {
  if (!fs.existsSync(file)) return []
  const out: JournalEntry[] = []
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue
    try {
      out.push(JSON.parse(line) as JournalEntry)
    } catch {
      // ignore a partial line
    }
  }
  return out
}

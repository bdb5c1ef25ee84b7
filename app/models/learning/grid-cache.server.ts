// The class grid's cache, in each process: what a class grid page shows (the packed cells and
// the rendered table) is kept per class and variant (view, filters, language) next to the
// class's grid version, and reused while that version is unchanged. The version lives in
// PostgreSQL (class_grid_versions), moved by triggers on every write the grid shows (the
// class_grid_versions migration), so a write by any process — or by the roster import, an erasure, the CLI — invalidates
// every process's copy. Reading it costs nothing extra: it comes with the class row the page
// reads anyway (classWithGridVersion). The cache holds data for a class, never a decision: the
// page authorizes every request before it asks for the grid.
import { and, eq, getTableColumns } from 'drizzle-orm'
import { classGridVersions, classes } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { isUuid } from './activities.server'

/** Entries (a class × a variant) kept at most; the least recently used goes first. */
const MAX_ENTRIES = 200

type Entry = { version: number; validUntil: number; value: Promise<unknown> }
const entries = new Map<string, Entry>() // insertion order = recency (re-inserted on use)
const stats = { hits: 0, misses: 0 }

/** A class row with its grid version (0 when nothing has changed since the migration). */
export async function classWithGridVersion(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  if (!isUuid(classId)) throw new NotFound('class')
  const [row] = await db
    .select({ ...getTableColumns(classes), gridVersion: classGridVersions.version })
    .from(classes)
    .leftJoin(classGridVersions, eq(classGridVersions.classId, classes.id))
    .where(and(eq(classes.id, classId), eq(classes.orgId, orgId)))
  if (!row) throw new NotFound('class')
  return { ...row, gridVersion: row.gridVersion ?? 0 }
}

/**
 * The value for this class and variant at this version: the cached one when its version is the
 * same and it has not expired (`validUntil`: a scheduled publication coming due), else `build()`'s,
 * kept for the next request. Concurrent requests on a miss share one build.
 */
export function cachedClassGrid<T>(a: { classId: string; version: number; variant: string; build: () => Promise<{ value: T; validUntil: number | null }> }): Promise<T> {
  const key = `${a.classId}|${a.variant}`
  const at = now().getTime()
  const hit = entries.get(key)
  entries.delete(key)
  if (hit && hit.version === a.version && hit.validUntil > at) {
    stats.hits++
    entries.set(key, hit)
    return hit.value as Promise<T>
  }
  stats.misses++
  const entry: Entry = { version: a.version, validUntil: Infinity, value: Promise.resolve(null) }
  entry.value = a.build().then(
    (r) => {
      if (r.validUntil !== null) entry.validUntil = r.validUntil
      return r.value
    },
    (e: unknown) => {
      if (entries.get(key) === entry) entries.delete(key)
      throw e
    },
  )
  entries.set(key, entry)
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!)
  return entry.value as Promise<T>
}

/** Hits and misses since the process started (or the last clear), for tests. */
export function classGridCacheStats() {
  return { ...stats, entries: entries.size }
}

/** Empties the cache and its counters (tests). */
export function clearClassGridCache() {
  entries.clear()
  stats.hits = 0
  stats.misses = 0
}

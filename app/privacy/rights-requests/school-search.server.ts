// The public rights-request form finds the school by search, never by a list of every school:
// a few letters of its name, its town, or the start of its official code (the UAI in France).
// Only schools are searched — a family space is a private household and is never listed.
// Against cheap enumeration: at least MIN_QUERY letters or digits, at most MAX_RESULTS answers
// (the page then asks for more precise words).
import { and, asc, eq, sql } from 'drizzle-orm'
import { organizations } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'

import { SCHOOL_SEARCH_MAX as MAX_RESULTS, SCHOOL_SEARCH_MIN as MIN_QUERY } from './constants'

// Accents folded on both sides (lower() alone folds only ASCII under a C collation).
const FROM = 'ÀÂÄÁÃÅàâäáãåÇçÉÈÊËéèêëÍÌÎÏíìîïÑñÓÒÔÖÕóòôöõÚÙÛÜúùûüÝýÿ'
const TO = 'aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooouuuuuuuuyyy'
const SPELL: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ł: 'l', ø: 'o' }

/** Lower case, no accents, only a–z, 0–9 and single spaces: the words as the search compares them. */
export function foldQuery(s: string) {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[œæßłø]/g, (c) => SPELL[c] ?? c)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

const folded = (col: typeof organizations.name | typeof organizations.city) =>
  sql`regexp_replace(replace(replace(translate(lower(coalesce(${col}, '')), ${FROM}, ${TO}), 'œ', 'oe'), 'æ', 'ae'), '[^a-z0-9]+', ' ', 'g')`

export type SchoolSearch =
  { state: 'empty' } | { state: 'too_short'; min: number } | { state: 'found'; schools: { id: string; name: string; city: string | null; officialCode: string | null }[]; more: boolean }

/** Schools whose name or town holds every word of the query, or whose official code starts with it. */
export async function searchSchools(db: DbOrTx, query: string | null | undefined): Promise<SchoolSearch> {
  const q = foldQuery((query ?? '').slice(0, 100))
  if (!q) return { state: 'empty' }
  if (q.replace(/ /g, '').length < MIN_QUERY) return { state: 'too_short', min: MIN_QUERY }
  const words = q.split(' ').slice(0, 6)
  const text = sql`(${folded(organizations.name)} || ' ' || ${folded(organizations.city)})`
  // The folded words hold only a–z, 0–9: nothing for LIKE to interpret.
  const byWords = sql.join(
    words.map((w) => sql`${text} like ${`%${w}%`}`),
    sql` and `,
  )
  const byCode = sql`lower(coalesce(${organizations.officialCode}, '')) like ${`${q.replace(/ /g, '')}%`}`
  const rows = await db
    .select({ id: organizations.id, name: organizations.name, city: organizations.city, officialCode: organizations.officialCode })
    .from(organizations)
    .where(and(eq(organizations.kind, 'school'), sql`((${byWords}) or ${byCode})`))
    .orderBy(sql`${folded(organizations.name)} like ${`${q}%`} desc`, asc(organizations.name), asc(organizations.id))
    .limit(MAX_RESULTS + 1)
  return { state: 'found', schools: rows.slice(0, MAX_RESULTS), more: rows.length > MAX_RESULTS }
}

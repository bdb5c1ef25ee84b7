// Shapes a roster import for the page and the CLI: translated reasons, changes in words,
// long lists cut to what a page can show.
import { eq } from 'drizzle-orm'
import { organizations } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { formatDate, t, tOr, type Lang } from '../../i18n'
import { decodeRosterBytes, parseCsv, REQUIRED_FIELDS, rejectReasonMessage, ROSTER_FIELDS, type RosterField } from '../roster/index.server'
import type { RosterImportRow } from './imports.server'
import type { ChildChange, ImportPayload, ImportPlan, ImportRejection, PlanChild, PlanErasedChild } from './types.server'

/** Rows shown per table; the counts always say how many there are in all. */
export const PAGE_LIMIT = 200
export const MISSING_LIMIT = 1000

export async function orgForImport(db: DbOrTx, orgId: string) {
  const [org] = await db.select({ id: organizations.id, name: organizations.name, kind: organizations.kind }).from(organizations).where(eq(organizations.id, orgId))
  if (!org) throw new NotFound('organization')
  return org
}

export function rejectionMessage(r: ImportRejection, lang: Lang) {
  return r.messageKey ? t(lang, r.messageKey) : rejectReasonMessage(r.reason, lang)
}

function changeText(c: ChildChange, lang: Lang) {
  const value = (v: string | null) => (v === null || v === '' ? t(lang, 'roster.empty_value') : c.field === 'status' ? statusValue(v, lang) : v)
  return `${t(lang, `roster.field.${c.field}`)} : ${value(c.from)} → ${value(c.to)}`
}

const statusValue = (v: string, lang: Lang) => tOr(lang, `roster.status_value.${v}`, v)

const childRow = (c: PlanChild) => ({
  line: c.line,
  childId: c.childId,
  firstName: c.firstName,
  lastName: c.lastName,
  birthDate: c.birthDate,
  className: c.className,
  groupName: c.groupName,
  guardians: c.guardians,
})

/** "erased on <date> after a request — not re-created" (or "erasure requested on <date>"), for the page and the CLI. */
export function erasedFlag(c: PlanErasedChild, lang: Lang) {
  return t(lang, c.erasure.tombstoneId ? 'roster.erased.flag' : 'roster.erased.flag_pending', { date: formatDate(lang, c.erasure.erasedAt) })
}

/** The same without "not re-created", for a row the admin re-creates. */
export function erasedWhen(c: PlanErasedChild, lang: Lang) {
  return t(lang, c.erasure.tombstoneId ? 'roster.erased.when' : 'roster.erased.when_pending', { date: formatDate(lang, c.erasure.erasedAt) })
}

/** Guardian invitations the commit sends when no erased row is ticked (those only for erased children are not). */
function guardiansShown(plan: ImportPlan) {
  const erased = new Set((plan.children.erased ?? []).map((c) => c.childId))
  if (!erased.size) return plan.guardians.create
  return plan.guardians.create.filter((g) => g.childIds.some((id) => !erased.has(id)))
}

/**
 * The first data row's value under each header, so the mapping step can show "Eleve_Nom (Martin)".
 * Only the first lines of the file are read.
 */
export function mappingSamples(payload: ImportPayload | null): Record<string, string> {
  const source = payload?.source?.[0]
  if (!source || payload.info.format !== 'generic') return {}
  try {
    const { text } = decodeRosterBytes(Buffer.from(source.base64, 'base64').subarray(0, 16 * 1024))
    const head = text.split(/\r?\n/).slice(0, 12).join('\n')
    const csv = parseCsv(head, { delimiter: payload.info.delimiter ?? undefined })
    const row = csv.rows.find((r) => r.cells.some((c) => c.trim()))
    if (!row) return {}
    return Object.fromEntries(csv.header.map((h, i) => [h, (row.cells[i] ?? '').trim().slice(0, 40)]))
  } catch {
    return {}
  }
}

export function rejectedView(rejected: ImportRejection[], lang: Lang) {
  return rejected.map((r) => ({ line: r.line, file: r.file ?? null, reason: r.reason, message: rejectionMessage(r, lang), detail: r.detail }))
}

/** Everything the report, the running and the result views need, in one serializable object. */
export function importView(row: RosterImportRow, lang: Lang) {
  const payload = row.payload
  const plan = row.plan
  const info = payload?.info ?? null
  const mapping = info?.mapping ?? null
  const cut = <T>(list: T[], n = PAGE_LIMIT) => ({ rows: list.slice(0, n), more: Math.max(0, list.length - n) })
  return {
    id: row.id,
    status: row.status,
    // The stored code is a DomainError's key, or the commit's own failure key.
    error: row.error ? tOr(lang, row.error, t(lang, 'roster.error.commit_failed')) : null,
    fileName: row.fileName,
    format: row.format,
    createdAt: row.createdAt.toISOString(),
    progress: row.progress,
    total: row.total,
    schoolYear: payload?.schoolYear ?? plan?.schoolYear ?? null,
    info: info && {
      encoding: info.encoding,
      delimiter: info.delimiter,
      canRemap: !!payload?.source?.length && info.format === 'generic',
    },
    mapping: mapping &&
      info && {
        headers: info.headers,
        selected: Object.fromEntries(ROSTER_FIELDS.map((f) => [f, mapping.fields[f] === undefined ? '' : (info.headers[mapping.fields[f]!] ?? '')])) as Record<RosterField, string>,
        missing: mapping.missing,
        samples: mappingSamples(payload),
        fields: ROSTER_FIELDS.map((f) => ({ field: f, required: REQUIRED_FIELDS.includes(f) })),
      },
    plan: plan && {
      counts: plan.counts,
      rejected: cut(rejectedView(plan.rejected, lang), 1000),
      create: cut(plan.children.create.map(childRow)),
      update: cut(plan.children.update.map((c) => ({ ...childRow(c), changes: c.changes.map((x) => changeText(x, lang)) }))),
      unchanged: cut(plan.children.unchanged.map(childRow)),
      erased: cut((plan.children.erased ?? []).map((c) => ({ ...childRow(c), flag: erasedFlag(c, lang), match: t(lang, `roster.erased.match.${c.erasure.match}`) }))),
      classesCreate: plan.classes.create.map((c) => ({ name: c.name, level: c.level })),
      classesUnchanged: plan.classes.unchanged.map((c) => ({ name: c.name, level: c.level })),
      guardiansCreate: cut(guardiansShown(plan).map((g) => ({ email: g.email, children: g.childIds.length }))),
      guardiansUnchanged: cut(plan.guardians.unchanged.map((g) => ({ email: g.email, children: g.childIds.length, added: g.addChildIds.length }))),
      teachersInvite: cut(plan.teachers.invite.map((x) => ({ name: `${x.firstName} ${x.lastName}`, email: x.email, classes: x.classNames.join(', ') }))),
      teachersUnchanged: cut(plan.teachers.unchanged.map((x) => ({ name: `${x.firstName} ${x.lastName}`, email: x.email, classes: x.classNames.join(', ') }))),
      missing: cut(plan.missing, MISSING_LIMIT),
    },
    archiveChosen: payload?.confirm?.archiveChildIds ?? [],
    result: payload?.result ?? null,
  }
}

export type ImportView = ReturnType<typeof importView>

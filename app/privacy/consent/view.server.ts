// The DPO's view of the consent and authorisation log: filters (subject, class, kind,
// period), a page of entries, and the CSV/PDF exports of the same selection.
import { and, asc, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm'
import { classes, consentRecords, CONSENT_EVENTS, enrolments, memberships, organizations, users, type ConsentEvent } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { PdfReport } from '../../documents/pdf/document.server'
import { formatDate, t, type Lang } from '../../i18n'
import { parisDayEnd, parisDayStart } from '../../compliance/calendar.server'
import { consentDocumentLabel, consentMethodLabel } from '../../compliance/consent-codes'
import { csvLine, UTF8_BOM } from '../../documents/csv.server'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID.test(s)

export type ConsentFilter = { subjectId?: string; classId?: string; event?: ConsentEvent; from?: string; to?: string }

/** Reads the filter from a URL's query string, dropping anything malformed. */
export function consentFilterFrom(params: URLSearchParams): ConsentFilter {
  const f: ConsentFilter = {}
  // A typed id (any subject: a staff member, a guardian) wins over the child picker.
  const typed = params.get('subjectId')?.trim()
  const subject = typed || params.get('subject')?.trim()
  if (isUuid(subject)) f.subjectId = subject
  const cls = params.get('class')
  if (isUuid(cls)) f.classId = cls
  const ev = params.get('event')
  if ((CONSENT_EVENTS as readonly string[]).includes(ev ?? '')) f.event = ev as ConsentEvent
  if (parisDayStart(params.get('from'))) f.from = params.get('from')!
  if (parisDayStart(params.get('to'))) f.to = params.get('to')!
  return f
}

export function filterQuery(f: ConsentFilter) {
  const q = new URLSearchParams()
  if (f.subjectId) q.set('subject', f.subjectId)
  if (f.classId) q.set('class', f.classId)
  if (f.event) q.set('event', f.event)
  if (f.from) q.set('from', f.from)
  if (f.to) q.set('to', f.to)
  return q.toString()
}

function where(orgId: string, f: ConsentFilter): SQL {
  const parts: SQL[] = [eq(consentRecords.orgId, orgId)]
  if (f.subjectId) parts.push(or(eq(consentRecords.subjectId, f.subjectId), eq(consentRecords.onBehalfOf, f.subjectId))!)
  if (f.classId) {
    // Entries about a child of the class, or recorded for the class itself (details.classId).
    const inClass = sql`${consentRecords.subjectId} in (select ${enrolments.childId} from ${enrolments} where ${enrolments.orgId} = ${orgId} and ${enrolments.classId} = ${f.classId})`
    parts.push(or(inClass, sql`${consentRecords.details}->>'classId' = ${f.classId}`)!)
  }
  if (f.event) parts.push(eq(consentRecords.event, f.event))
  const from = parisDayStart(f.from)
  const to = parisDayEnd(f.to)
  if (from) parts.push(gte(consentRecords.at, from))
  if (to) parts.push(lte(consentRecords.at, to))
  return and(...parts)!
}

export type ConsentRow = typeof consentRecords.$inferSelect

export async function queryConsentLog(db: DbOrTx, orgId: string, f: ConsentFilter, page = { limit: 100, offset: 0 }) {
  const w = where(orgId, f)
  const [{ total }] = (await db
    .select({ total: sql<number>`count(*)::int` })
    .from(consentRecords)
    .where(w)) as [{ total: number }]
  const rows = await db.select().from(consentRecords).where(w).orderBy(desc(consentRecords.seq)).limit(page.limit).offset(page.offset)
  return { total, rows }
}

/** Names of the people the shown entries point to (the page only; exports stay ids-only). */
export async function namesFor(db: DbOrTx, ids: string[]) {
  const unique = [...new Set(ids.filter(Boolean))]
  if (!unique.length) return {} as Record<string, string>
  const rows = await db.select({ id: users.id, firstName: users.firstName, lastName: users.lastName }).from(users).where(inArray(users.id, unique))
  return Object.fromEntries(rows.map((r) => [r.id, `${r.firstName} ${r.lastName}`])) as Record<string, string>
}

/** Children and classes of the organization, for the filter's pickers. */
export async function filterChoices(db: DbOrTx, orgId: string) {
  const kids = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'child')))
    .orderBy(asc(users.lastName), asc(users.firstName))
  const cls = await db.select({ id: classes.id, name: classes.name }).from(classes).where(eq(classes.orgId, orgId)).orderBy(asc(classes.name))
  return { children: kids.map((k) => ({ id: k.id, name: `${k.lastName} ${k.firstName}` })), classes: cls }
}

const CSV_HEADER = ['seq', 'at', 'event', 'state', 'subject_id', 'actor_id', 'on_behalf_of', 'document_kind', 'document_version', 'purpose', 'method', 'language', 'details', 'prev_hash', 'hash']

async function* pages(db: DbOrTx, orgId: string, f: ConsentFilter) {
  const w = where(orgId, f)
  let after = 0
  for (;;) {
    const rows = await db
      .select()
      .from(consentRecords)
      .where(and(w, sql`${consentRecords.seq} > ${after}`))
      .orderBy(asc(consentRecords.seq))
      .limit(1000)
    if (!rows.length) return
    yield rows
    after = rows[rows.length - 1]!.seq
  }
}

/** CSV export, streamed page by page: UTF-8 BOM, ids only (exactly what the chain holds). */
export function consentLogCsv(db: DbOrTx, orgId: string, f: ConsentFilter): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  const it = pages(db, orgId, f)
  let started = false
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(enc.encode(UTF8_BOM + csvLine(CSV_HEADER)))
        return
      }
      const next = await it.next()
      if (next.done) return controller.close()
      controller.enqueue(
        enc.encode(
          next.value
            .map((r) =>
              csvLine([r.seq, r.at, r.event, r.state, r.subjectId, r.actorId, r.onBehalfOf, r.documentKind, r.documentVersion, r.purpose, r.method, r.language, r.details, r.prevHash, r.hash]),
            )
            .join(''),
        ),
      )
    },
  })
}

export async function consentLogPdf(db: DbOrTx, orgId: string, f: ConsentFilter, lang: Lang) {
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId))
  const at = now()
  const report = await PdfReport.create({ title: t(lang, 'dpo.consent.pdf_title'), subtitle: `${org?.name ?? ''} · ${formatDate(lang, at, true)}`, lang, now: at })
  report.heading(t(lang, 'dpo.consent.pdf_title'))
  report.keyValue([
    [t(lang, 'dpo.consent.filter_subject'), f.subjectId ?? t(lang, 'dpo.all')],
    [t(lang, 'dpo.consent.filter_class'), f.classId ?? t(lang, 'dpo.all')],
    [t(lang, 'dpo.consent.filter_event'), f.event ? t(lang, `dpo.event.${f.event}`) : t(lang, 'dpo.all')],
    [t(lang, 'dpo.period'), `${f.from ?? '…'} → ${f.to ?? '…'}`],
  ])
  report.paragraph(t(lang, 'dpo.consent.pdf_ids_only'), { size: 8.5 })
  let n = 0
  for await (const rows of pages(db, orgId, f)) {
    n += rows.length
    report.table({
      columns: [
        { label: '#', width: 6, align: 'right' },
        { label: t(lang, 'dpo.consent.col_at'), width: 18 },
        { label: t(lang, 'dpo.consent.col_event'), width: 22 },
        { label: t(lang, 'dpo.consent.col_subject'), width: 18 },
        { label: t(lang, 'dpo.consent.col_document'), width: 16 },
        { label: t(lang, 'dpo.consent.col_method'), width: 14 },
        { label: t(lang, 'dpo.consent.col_hash'), width: 14 },
      ],
      rows: rows.map((r) => [
        String(r.seq),
        formatDate(lang, r.at, true),
        `${t(lang, `dpo.event.${r.event}`)} (${t(lang, `dpo.state.${r.state}`)})`,
        r.subjectId ? r.subjectId.slice(0, 8) : '—',
        consentDocumentLabel(lang, r.documentKind, r.documentVersion),
        consentMethodLabel(lang, r.method),
        r.hash.slice(0, 12),
      ]),
      fontSize: 7.5,
    })
  }
  if (!n) report.paragraph(t(lang, 'dpo.consent.none'))
  return { bytes: await report.finish(), count: n }
}

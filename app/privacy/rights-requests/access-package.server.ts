// The right of access / portability package (GDPR Art. 15 and 20), GENERATED FROM THE DATA
// CLASSIFICATION: every table that names a subject column contributes the subject's rows
// (scoped to the organization when the table belongs to one) as JSON and as CSV; nothing is
// listed by hand, so a table added tomorrow is in tomorrow's packages. With them: a readable
// PDF summary, the Article 15 information, a README and a manifest with each file's SHA-256.
// The readable parts (PDF, Article 15 text) speak in the categories a parent understands
// (identity, school life, learning…: TableClass.category), listing only those holding data and
// never a table name; the machine-readable part (data/, manifest.json) keeps the tables.
// Streamed with archiver, one database cursor at a time: memory stays flat whatever the size.
import { createHash } from 'node:crypto'
import { Readable, Transform } from 'node:stream'
import { ZipArchive } from 'archiver'
import { and, asc, eq, or } from 'drizzle-orm'
import { consentRecords } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import { getSql, type DbOrTx } from '../../db.server'
import { Conflict } from '../../errors.server'
import { PdfReport } from '../../documents/pdf/document.server'
import { formatDate, t, type Lang } from '../../i18n'
import { getRequest, subjectSummary } from './queries.server'
import { auditRetention } from '../audit/retention.server'
import { CLASSIFICATION, TABLE_CATEGORIES, type Category, type ColumnClass, type Purpose, type TableCategory } from '../../compliance/classification'
import { consentDocumentLabel } from '../../compliance/consent-codes'
import { csvLine, UTF8_BOM } from '../../documents/csv.server'

export type SubjectTable = { table: string; purpose: Purpose; category: TableCategory; subjectColumn: string; orgColumn: string | null; columns: [string, ColumnClass][] }

/** Tables that hold rows about a data subject, straight from the classification. */
export function subjectTables(): SubjectTable[] {
  return Object.entries(CLASSIFICATION)
    .filter(([, spec]) => spec.subjectColumn)
    .map(([table, spec]) => ({
      table,
      purpose: spec.purpose,
      // The classification test requires a category on every table with personal data.
      category: spec.category ?? 'staff_actions',
      subjectColumn: spec.subjectColumn!,
      orgColumn: spec.orgColumn,
      columns: Object.entries(spec.columns),
    }))
    .sort((a, b) => a.table.localeCompare(b.table))
}

/** Credentials are personal data but handing them out would weaken the account: their existence is shown, not their value. */
export function isSecret(column: string, c: ColumnClass) {
  return column.endsWith('_hash') || /SHA-256|HMAC/.test(c.note ?? '')
}

const REDACTED = '[redacted: security credential]'

function scoped(st: SubjectTable, subjectId: string, orgId: string) {
  const sql = getSql()
  const cols = st.columns.map(([c]) => c)
  return st.orgColumn
    ? sql`select ${sql(cols)} from ${sql(st.table)} where ${sql(st.subjectColumn)} = ${subjectId} and ${sql(st.orgColumn)} = ${orgId}`
    : sql`select ${sql(cols)} from ${sql(st.table)} where ${sql(st.subjectColumn)} = ${subjectId}`
}

async function countRows(st: SubjectTable, subjectId: string, orgId: string) {
  const sql = getSql()
  const [r] = st.orgColumn
    ? await sql`select count(*)::int as n from ${sql(st.table)} where ${sql(st.subjectColumn)} = ${subjectId} and ${sql(st.orgColumn)} = ${orgId}`
    : await sql`select count(*)::int as n from ${sql(st.table)} where ${sql(st.subjectColumn)} = ${subjectId}`
  return (r?.n as number) ?? 0
}

function clean(st: SubjectTable, row: Record<string, unknown>) {
  const out: Record<string, unknown> = {}
  for (const [c, cls] of st.columns) {
    const v = row[c]
    out[c] = v === null || v === undefined ? null : isSecret(c, cls) ? REDACTED : v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v
  }
  return out
}

async function* jsonOf(st: SubjectTable, subjectId: string, orgId: string) {
  yield '[\n'
  let first = true
  for await (const rows of scoped(st, subjectId, orgId).cursor(500)) {
    for (const row of rows) {
      yield (first ? '  ' : ',\n  ') + JSON.stringify(clean(st, row as Record<string, unknown>))
      first = false
    }
  }
  yield first ? ']\n' : '\n]\n'
}

async function* csvOf(st: SubjectTable, subjectId: string, orgId: string) {
  const cols = st.columns.map(([c]) => c)
  yield UTF8_BOM + csvLine(cols)
  for await (const rows of scoped(st, subjectId, orgId).cursor(500)) {
    yield rows.map((row) => csvLine(cols.map((c) => clean(st, row as Record<string, unknown>)[c]))).join('')
  }
}

const CATEGORY_ORDER: Exclude<Category, 'none'>[] = ['identification', 'contact', 'education', 'learning', 'connection', 'evidence']

type Counted = SubjectTable & { rows: number }

/** The summary's headings: each category holding data (in TABLE_CATEGORIES order), its record count and the kinds of data in it. */
export function categoriesWithData(tables: Counted[]) {
  return TABLE_CATEGORIES.map((category) => {
    const inIt = tables.filter((x) => x.category === category && x.rows > 0)
    const kinds = CATEGORY_ORDER.filter((k) => inIt.some((x) => x.columns.some(([, c]) => c.category === k)))
    return { category, rows: inIt.reduce((n, x) => n + x.rows, 0), kinds }
  }).filter((c) => c.rows > 0)
}

/** The Article 15(1)–(2) information, from the classification and the retention settings. */
export function article15Text(lang: Lang, a: { orgName: string; reference: string; subjectName: string; tables: Counted[]; generatedAt: Date }) {
  const withData = a.tables.filter((x) => x.rows > 0)
  const purposes = [...new Set(withData.map((x) => x.purpose))]
  const categories = categoriesWithData(a.tables)
  const r = auditRetention()
  const lines = [
    t(lang, 'dsr.art15.title'),
    t(lang, 'dsr.art15.header', { org: a.orgName, reference: a.reference, subject: a.subjectName, date: formatDate(lang, a.generatedAt, true) }),
    '',
    t(lang, 'dsr.art15.purposes'),
    ...purposes.map((p) => `  - ${t(lang, `dsr.purpose.${p}`)}`),
    '',
    t(lang, 'dsr.art15.categories'),
    ...categories.map((c) => `  - ${t(lang, `dsr.package.category.${c.category}`)} (${c.kinds.map((k) => t(lang, `dsr.category.${k}`)).join(', ')})`),
    '',
    t(lang, 'dsr.art15.recipients'),
    t(lang, 'dsr.art15.recipients_text', { org: a.orgName }),
    '',
    t(lang, 'dsr.art15.retention'),
    t(lang, 'dsr.art15.retention_text', { online: r.onlineMonths, archive: r.archiveMonths }),
    '',
    t(lang, 'dsr.art15.rights'),
    t(lang, 'dsr.art15.rights_text', { org: a.orgName }),
    '',
    t(lang, 'dsr.art15.source'),
    t(lang, 'dsr.art15.source_text', { org: a.orgName }),
    '',
    t(lang, 'dsr.art15.automated'),
    t(lang, 'dsr.art15.automated_text'),
    '',
    t(lang, 'dsr.art15.transfers'),
    t(lang, 'dsr.art15.transfers_text'),
    '',
  ]
  return lines.join('\n')
}

function hashing(name: string, into: Map<string, { sha256: string; bytes: number }>) {
  const h = createHash('sha256')
  let bytes = 0
  return new Transform({
    transform(chunk: Buffer | string, _enc, cb) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      h.update(b)
      bytes += b.length
      cb(null, b)
    },
    flush(cb) {
      into.set(name, { sha256: h.digest('hex'), bytes })
      cb()
    },
  })
}

export type AccessPackage = { stream: Readable; fileName: string; reference: string; tables: { table: string; rows: number }[] }

/**
 * Builds the package of a request whose subject is named and whose requester's identity the
 * DPO verified. The caller records the event and audit entry (the route), streams `stream`.
 */
export async function buildAccessPackage(db: DbOrTx, a: { orgId: string; requestId: string; orgName: string }): Promise<AccessPackage> {
  const req = await getRequest(db, a.orgId, a.requestId)
  if (!req.subjectId) throw new Conflict('dsr.subject.required')
  if (!req.identityVerifiedAt) throw new Conflict('dsr.identity.required')
  const subjectId = req.subjectId
  const lang = req.lang as Lang
  const subject = await subjectSummary(db, a.orgId, subjectId)
  const subjectName = subject ? `${subject.firstName} ${subject.lastName}` : subjectId
  const generatedAt = now()
  const tables = await Promise.all(subjectTables().map(async (st) => ({ ...st, rows: await countRows(st, subjectId, a.orgId) })))
  const consent = await db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, a.orgId), or(eq(consentRecords.subjectId, subjectId), eq(consentRecords.onBehalfOf, subjectId))))
    .orderBy(asc(consentRecords.seq))
    .limit(300)
  const art15 = article15Text(lang, { orgName: a.orgName, reference: req.reference, subjectName, tables, generatedAt })

  // The readable summary.
  const pdf = await PdfReport.create({ title: t(lang, 'dsr.package.pdf_title'), subtitle: `${a.orgName} · ${req.reference}`, lang, now: generatedAt })
  pdf.heading(t(lang, 'dsr.package.pdf_title'))
  pdf.keyValue([
    [t(lang, 'dsr.reference'), req.reference],
    [t(lang, 'dsr.kind'), t(lang, `dsr.kind.${req.kind}`)],
    [t(lang, 'dsr.received_at'), formatDate(lang, req.receivedAt, true)],
    [t(lang, 'dsr.package.generated'), formatDate(lang, generatedAt, true)],
  ])
  pdf.heading(t(lang, 'dsr.package.subject'), 2)
  pdf.keyValue([
    [t(lang, 'dsr.package.name'), subjectName],
    [t(lang, 'dsr.package.birth_date'), subject?.birthDate ?? '—'],
    [t(lang, 'dsr.package.email'), subject?.email ?? '—'],
    [t(lang, 'dsr.package.classes'), subject?.classes.map((c) => c.name).join(', ') || '—'],
    [t(lang, 'dsr.package.roles'), subject?.roles.map((r) => t(lang, `role.${r}`)).join(', ') || '—'],
  ])
  // What Carnet holds, by category a parent understands; only the categories holding data.
  pdf.heading(t(lang, 'dsr.package.categories'), 2)
  pdf.paragraph(t(lang, 'dsr.package.categories_intro'))
  pdf.table({
    columns: [
      { label: t(lang, 'dsr.package.col_category'), width: 24 },
      { label: t(lang, 'dsr.package.col_covers'), width: 46 },
      { label: t(lang, 'dsr.package.col_records'), width: 10, align: 'right' },
    ],
    rows: categoriesWithData(tables).map((c) => [t(lang, `dsr.package.category.${c.category}`), t(lang, `dsr.package.category_covers.${c.category}`), String(c.rows)]),
  })
  if (consent.length) {
    pdf.heading(t(lang, 'dsr.package.consent'), 2)
    pdf.table({
      columns: [
        { label: t(lang, 'dpo.consent.col_at'), width: 22 },
        { label: t(lang, 'dpo.consent.col_event'), width: 40 },
        { label: t(lang, 'dpo.consent.col_document'), width: 20 },
      ],
      rows: consent.map((c) => [
        formatDate(lang, c.at, true),
        `${t(lang, `dpo.event.${c.event}`)} (${t(lang, `dpo.state.${c.state}`)})`,
        consentDocumentLabel(lang, c.documentKind, c.documentVersion),
      ]),
    })
  }
  pdf.heading(t(lang, 'dsr.art15.title'), 2)
  for (const para of art15.split('\n\n').slice(1)) pdf.paragraph(para)
  const pdfBytes = await pdf.finish()

  const readme = t(lang, 'dsr.package.readme', { reference: req.reference, org: a.orgName, subject: subjectName, date: formatDate(lang, generatedAt, true) })
  const archive = new ZipArchive({ zlib: { level: 6 } })
  const sums = new Map<string, { sha256: string; bytes: number }>()
  const entries: [string, () => string | Buffer | AsyncIterable<string>][] = [
    ['README.txt', () => readme],
    ['ARTICLE-15-information.txt', () => art15],
    ['summary.pdf', () => Buffer.from(pdfBytes)],
    ...tables.flatMap((st): [string, () => AsyncIterable<string>][] => [
      [`data/${st.table}.json`, () => jsonOf(st, subjectId, a.orgId)],
      [`data/${st.table}.csv`, () => csvOf(st, subjectId, a.orgId)],
    ]),
  ]
  // archiver starts reading every appended stream at once: hand it one entry at a time, so only
  // one cursor is open and each file is hashed before the manifest is written.
  const appendOne = (name: string, source: string | Buffer | AsyncIterable<string>) =>
    new Promise<void>((resolve, reject) => {
      const onEntry = (e: { name: string }) => {
        if (e.name !== name) return
        archive.off('entry', onEntry)
        resolve()
      }
      archive.on('entry', onEntry)
      const tap = hashing(name, sums)
      const src = Readable.from(source as Iterable<unknown>)
      src.on('error', (err) => {
        tap.destroy(err)
        reject(err)
      })
      archive.append(src.pipe(tap), { name, date: generatedAt })
    })
  void (async () => {
    for (const [name, make] of entries) await appendOne(name, make())
    const manifest = {
      reference: req.reference,
      organization: a.orgName,
      subjectId,
      generatedAt: generatedAt.toISOString(),
      generatedFrom: 'app/compliance/classification.ts',
      tables: tables.map((x) => ({ table: x.table, category: x.category, purpose: x.purpose, subjectColumn: x.subjectColumn, rows: x.rows, files: [`data/${x.table}.json`, `data/${x.table}.csv`] })),
      files: Object.fromEntries(sums),
    }
    archive.append(JSON.stringify(manifest, null, 2) + '\n', { name: 'manifest.json', date: generatedAt })
    await archive.finalize()
  })().catch((err) => archive.destroy(err instanceof Error ? err : new Error(String(err))))
  return { stream: archive, fileName: `${req.reference}-acces.zip`, reference: req.reference, tables: tables.map((x) => ({ table: x.table, rows: x.rows })) }
}

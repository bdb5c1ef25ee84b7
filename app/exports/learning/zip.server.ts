// The learning ZIP of a class or a school (optionally one period): one PDF per child,
// results.csv (UTF-8 with BOM, one line per result or observation), results.json (per
// child) and manifest.json (scope, author, time, every file with its SHA-256). Streamed:
// children are read 200 at a time and archiver gets one entry at a time, so memory stays
// flat whatever the size of the school; the caller pipes the stream to a response or a file.
import { createHash } from 'node:crypto'
import { Readable, Transform, pipeline } from 'node:stream'
import { ZipArchive } from 'archiver'
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { classes, enrolments, users } from '../../../drizzle/schema'
import type { DbOrTx } from '../../db.server'
import { csvLine, UTF8_BOM } from '../../documents/csv.server'
import type { Lang } from '../../i18n'
import { loadObservations, loadResults, type ObservationItem, type ResultItem } from '../../models/learning/record.server'
import { childReportPdf, type ChildReportInput } from './child-report.server'
import type { PdfPool } from './pdf-pool.server'
import type { ResolvedScope } from './scope.server'

export type ZipChild = { id: string; firstName: string; lastName: string; classNames: string[] }
export type ManifestFile = { name: string; sha256: string; bytes: number }
export type Manifest = {
  format: 'carnet-learning-export/1'
  scope: { kind: 'class' | 'school'; classId: string | null; classes: string[]; from: string | null; to: string | null }
  organization: { id: string; name: string }
  author: { id: string; name: string }
  generatedAt: string
  counts: { children: number; results: number; observations: number }
  files: ManifestFile[]
}

export type ZipOptions = {
  db: DbOrTx
  orgId: string
  resolved: ResolvedScope
  author: { id: string; name: string }
  lang: Lang
  now: Date
  /** Children per database round trip. */
  chunk?: number
  onProgress?: (done: number) => void | Promise<void>
  /** Render the PDFs on worker threads (the background job); otherwise in this thread. */
  pool?: PdfPool | null
}

export const CSV_COLUMNS = ['type', 'child_id', 'last_name', 'first_name', 'class', 'activity', 'skills', 'date', 'score', 'max', 'percent', 'level', 'note', 'published_at'] as const

/** Children of the scope, `size` at a time, in id order (keyset pagination: no OFFSET). */
export async function* scopeChildren(db: DbOrTx, orgId: string, r: ResolvedScope, size = 200): AsyncGenerator<ZipChild[]> {
  if (!r.classes.length) return
  const classIds = r.classes.map((c) => c.id)
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const rows = await db
      .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, classNames: sql<string[]>`array_agg(distinct ${classes.name} order by ${classes.name})` })
      .from(enrolments)
      .innerJoin(users, eq(users.id, enrolments.childId))
      .innerJoin(classes, eq(classes.id, enrolments.classId))
      .where(and(eq(enrolments.orgId, orgId), inArray(enrolments.classId, classIds), isNull(users.deactivatedAt), gt(users.id, after)))
      .groupBy(users.id, users.firstName, users.lastName)
      .orderBy(asc(users.id))
      .limit(size)
    if (!rows.length) return
    yield rows
    if (rows.length < size) return
    after = rows[rows.length - 1]!.id
  }
}

type ChunkData = { children: ZipChild[]; results: Map<string, ResultItem[]>; observations: Map<string, ObservationItem[]> }

async function loadChunk(o: ZipOptions, children: ZipChild[]): Promise<ChunkData> {
  const classId = o.resolved.scope.kind === 'class' ? o.resolved.scope.classId! : null
  const period = { from: o.resolved.scope.from ?? null, to: o.resolved.scope.to ?? null }
  const childIds = children.map((c) => c.id)
  const [rs, os] = await Promise.all([loadResults(o.db, { orgId: o.orgId, childIds, classId, period }), loadObservations(o.db, { orgId: o.orgId, childIds, classId, period })])
  const results = new Map<string, ResultItem[]>()
  for (const r of rs) (results.get(r.childId) ?? results.set(r.childId, []).get(r.childId)!).push(r)
  const observations = new Map<string, ObservationItem[]>()
  for (const x of os) (observations.get(x.childId) ?? observations.set(x.childId, []).get(x.childId)!).push(x)
  return { children, results, observations }
}

/** The scope's data, chunk by chunk; the next chunk is read while the current one is used. */
async function* chunks(o: ZipOptions): AsyncGenerator<ChunkData> {
  const pages = scopeChildren(o.db, o.orgId, o.resolved, o.chunk ?? 200)
  const load = async () => {
    const page = await pages.next()
    return page.done ? null : loadChunk(o, page.value)
  }
  // The prefetch may fail (the database went away) while nobody awaits it yet, or after the
  // reader gave up: its rejection reaches the next `await next`, never the process.
  const prefetch = () => {
    const p = load()
    p.catch(() => {})
    return p
  }
  let next = prefetch()
  for (;;) {
    const current = await next
    if (!current) return
    next = prefetch()
    yield current
  }
}

/** ASCII file names (every unzip tool agrees on them); the id suffix keeps namesakes apart. */
export function fileSafe(s: string) {
  const folded = s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[Łł]/g, (c) => (c === 'Ł' ? 'L' : 'l'))
    .replace(/[Øø]/g, (c) => (c === 'Ø' ? 'O' : 'o'))
    .replace(/[ß]/g, 'ss')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return folded.slice(0, 60) || 'x'
}

export function childPdfName(r: ResolvedScope, c: ZipChild) {
  const base = `${fileSafe(c.lastName)}_${fileSafe(c.firstName)}_${c.id.slice(0, 8)}.pdf`
  return r.scope.kind === 'school' ? `eleves/${fileSafe(c.classNames[0] ?? 'sans-classe')}/${base}` : `eleves/${base}`
}

function hashing(name: string, into: ManifestFile[]) {
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
      into.push({ name, sha256: h.digest('hex'), bytes })
      cb()
    },
  })
}

const iso = (d: Date | null) => (d ? d.toISOString() : null)

function resultJson(r: ResultItem) {
  return {
    activityId: r.activityId,
    activity: r.title,
    classId: r.classId,
    skills: r.skillCodes,
    score: r.score,
    max: r.max,
    durationMs: r.durationMs,
    completedAt: iso(r.completedAt),
    publishedAt: iso(r.publishedAt),
  }
}
function observationJson(o: ObservationItem) {
  return {
    skill: o.skillCode,
    skillLabel: o.skillLabel,
    domain: o.domain,
    classId: o.classId,
    activityId: o.activityId,
    level: o.level,
    note: o.note,
    observedOn: o.observedOn,
    publishedAt: iso(o.publishedAt),
  }
}

export type LearningZip = { stream: Readable; done: Promise<Manifest>; fileName: string }

export function learningZipName(r: ResolvedScope, now: Date) {
  const what = r.scope.kind === 'class' ? fileSafe(r.classes[0]?.name ?? 'classe') : 'ecole'
  const period = [r.scope.from, r.scope.to].filter(Boolean).join('_')
  return `carnet-${what}${period ? `-${period}` : ''}-${now.toISOString().slice(0, 10)}.zip`
}

/** Starts building the ZIP; read `stream`, then await `done` for the manifest. */
export function learningZip(o: ZipOptions): LearningZip {
  const archive = new ZipArchive({ zlib: { level: 6 } })
  const files: ManifestFile[] = []
  const counts = { children: 0, results: 0, observations: 0 }
  const classId = o.resolved.scope.kind === 'class' ? o.resolved.scope.classId! : null
  const period = { from: o.resolved.scope.from ?? null, to: o.resolved.scope.to ?? null }

  // archiver reads every appended stream at once: hand it one entry at a time and wait until
  // it has written it, so only one file is ever in flight and each is hashed when listed.
  const appendOne = (name: string, source: Buffer | AsyncIterable<string>, store = false) =>
    new Promise<void>((resolve, reject) => {
      const onEntry = (e: { name: string }) => {
        if (e.name !== name) return
        archive.off('entry', onEntry)
        archive.off('error', onError)
        archive.off('close', onClose)
        resolve()
      }
      const onError = (err?: Error) => {
        archive.off('entry', onEntry)
        archive.off('error', onError)
        archive.off('close', onClose)
        reject(err ?? new Error('export stream closed'))
      }
      // The reader went away (a closed download): stop building.
      const onClose = () => onError()
      archive.on('entry', onEntry)
      archive.once('error', onError)
      archive.once('close', onClose)
      const tap = hashing(name, files)
      const src = Buffer.isBuffer(source) ? Readable.from([source]) : Readable.from(source)
      // pipeline, not pipe: a source that fails (the CSV's query when the database goes away)
      // destroys both ends and lands here; with pipe() the hashing stream re-threw the error
      // with no listener left, and the uncaught exception ended the whole process.
      pipeline(src, tap, (err) => {
        if (err) reject(err)
      })
      archive.append(tap, { name, date: o.now, store })
    })

  async function* csv() {
    yield UTF8_BOM + csvLine(CSV_COLUMNS)
    for await (const ch of chunks(o)) {
      let out = ''
      for (const c of ch.children) {
        const cls = c.classNames.join(', ')
        for (const r of ch.results.get(c.id) ?? []) {
          out += csvLine([
            'result',
            c.id,
            c.lastName,
            c.firstName,
            cls,
            r.title,
            r.skillCodes.join(' '),
            r.completedAt.toISOString().slice(0, 10),
            r.score,
            r.max,
            r.max ? Math.round((100 * r.score) / r.max) : '',
            '',
            '',
            iso(r.publishedAt),
          ])
        }
        for (const x of ch.observations.get(c.id) ?? []) {
          out += csvLine(['observation', c.id, c.lastName, c.firstName, cls, '', x.skillCode, x.observedOn, '', '', '', x.level, x.note, iso(x.publishedAt)])
        }
      }
      yield out
    }
  }

  async function* json() {
    yield `{\n  "format": "carnet-learning-export/1",\n  "scope": ${JSON.stringify({ ...o.resolved.scope, classes: o.resolved.classes.map((c) => c.name) })},\n  "generatedAt": ${JSON.stringify(
      o.now.toISOString(),
    )},\n  "children": [`
    let first = true
    for await (const ch of chunks(o)) {
      let out = ''
      for (const c of ch.children) {
        const rec = {
          id: c.id,
          firstName: c.firstName,
          lastName: c.lastName,
          classes: c.classNames,
          results: (ch.results.get(c.id) ?? []).map(resultJson),
          observations: (ch.observations.get(c.id) ?? []).map(observationJson),
        }
        out += (first ? '\n    ' : ',\n    ') + JSON.stringify(rec)
        first = false
      }
      yield out
    }
    yield first ? ']\n}\n' : '\n  ]\n}\n'
  }

  const done = (async (): Promise<Manifest> => {
    let n = 0
    const render = (input: ChildReportInput) => (o.pool ? o.pool.render(input) : childReportPdf(input))
    // With a pool, a few PDFs are in flight while earlier ones are written, in order.
    const depth = o.pool ? o.pool.size * 2 : 1
    const inFlight: Promise<{ name: string; bytes: Uint8Array }>[] = []
    const writeOldest = async () => {
      const { name, bytes } = await inFlight.shift()!
      // PDF streams are deflated already: stored as they are, not compressed twice.
      await appendOne(name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), true)
      n++
      await o.onProgress?.(n)
    }
    for await (const ch of chunks(o)) {
      for (const c of ch.children) {
        const results = ch.results.get(c.id) ?? []
        const observations = ch.observations.get(c.id) ?? []
        counts.children++
        counts.results += results.length
        counts.observations += observations.length
        const name = childPdfName(o.resolved, c)
        const pdf = render({
          lang: o.lang,
          now: o.now,
          orgName: o.resolved.orgName,
          child: { firstName: c.firstName, lastName: c.lastName },
          classNames: classId ? [o.resolved.classes[0]!.name] : c.classNames,
          period,
          results,
          observations,
        }).then((bytes) => ({ name, bytes }))
        pdf.catch(() => {}) // awaited in order below; avoid an unhandled rejection meanwhile
        inFlight.push(pdf)
        if (inFlight.length >= depth) await writeOldest()
      }
    }
    while (inFlight.length) await writeOldest()
    await appendOne('results.csv', csv())
    await appendOne('results.json', json())
    const manifest: Manifest = {
      format: 'carnet-learning-export/1',
      scope: { kind: o.resolved.scope.kind, classId, classes: o.resolved.classes.map((c) => c.name), from: period.from, to: period.to },
      organization: { id: o.orgId, name: o.resolved.orgName },
      author: o.author,
      generatedAt: o.now.toISOString(),
      counts,
      files: [...files],
    }
    archive.append(JSON.stringify(manifest, null, 2) + '\n', { name: 'manifest.json', date: o.now })
    await archive.finalize()
    return manifest
  })()
  done.catch((err) => archive.destroy(err instanceof Error ? err : new Error(String(err))))
  return { stream: archive, done, fileName: learningZipName(o.resolved, o.now) }
}

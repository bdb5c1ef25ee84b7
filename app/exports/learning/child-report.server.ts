// A child's learning record as a PDF: school, class, period, skills with their levels (and how
// they evolved), activity results and the teacher's notes. Names in any script the font has
// render as typed; a missing glyph prints '?' (PdfReport's safeText), never a crash.
import './pdf-speed.server'
import { PdfReport } from '../../documents/pdf/document.server'
import { t, type Lang } from '../../i18n'
import { fmtDate as formatDate } from './dates'
import { skillProgress, type ObservationItem, type ResultItem } from '../../models/learning/record.server'

export type ChildReportInput = {
  lang: Lang
  now: Date
  orgName: string
  child: { firstName: string; lastName: string }
  classNames: string[]
  period: { from: string | null; to: string | null }
  results: ResultItem[]
  observations: ObservationItem[]
  /** The guardian's copy: only what was published to families. */
  publishedOnly?: boolean
}

export function periodLabel(lang: Lang, p: { from: string | null; to: string | null }) {
  const d = (s: string) => formatDate(lang, s)
  if (p.from && p.to) return t(lang, 'learning.period.between', { from: d(p.from), to: d(p.to) })
  if (p.from) return t(lang, 'learning.period.since', { from: d(p.from) })
  if (p.to) return t(lang, 'learning.period.until', { to: d(p.to) })
  return t(lang, 'learning.period.all')
}

const day = (lang: Lang, s: string) => formatDate(lang, s)
export const scoreText = (score: number, max: number) => `${score}/${max}`

/** Draws one child's record into `pdf` (also used, child after child, by the class report). */
export function drawChildRecord(pdf: PdfReport, a: ChildReportInput) {
  const { lang } = a
  pdf.heading(`${a.child.firstName} ${a.child.lastName}`)
  pdf.keyValue([
    [t(lang, 'learning.pdf.school'), a.orgName],
    [t(lang, 'learning.pdf.class'), a.classNames.join(', ') || '—'],
    [t(lang, 'learning.pdf.period'), periodLabel(lang, a.period)],
    [t(lang, 'learning.pdf.generated'), formatDate(lang, a.now, true)],
    ...(a.publishedOnly ? [[t(lang, 'learning.pdf.scope'), t(lang, 'learning.pdf.published_only')] as const] : []),
  ])
  const progress = skillProgress(a.observations)
  pdf.heading(t(lang, 'learning.pdf.skills'), 2)
  if (!progress.length) pdf.paragraph(t(lang, 'learning.pdf.no_skills'))
  else
    pdf.table({
      columns: [
        { label: t(lang, 'learning.pdf.col_domain'), width: 18 },
        { label: t(lang, 'learning.pdf.col_skill'), width: 40 },
        { label: t(lang, 'learning.pdf.col_level'), width: 16 },
        { label: t(lang, 'learning.pdf.col_history'), width: 26 },
      ],
      rows: progress.map((p) => [
        p.domain,
        `${p.label} (${p.code})`,
        t(lang, `learning.level.${p.latest}`),
        p.history.map((h) => `${day(lang, h.on)} : ${t(lang, `learning.level.${h.level}`)}`).join('\n'),
      ]),
    })
  pdf.heading(t(lang, 'learning.pdf.results'), 2)
  if (!a.results.length) pdf.paragraph(t(lang, 'learning.pdf.no_results'))
  else
    pdf.table({
      columns: [
        { label: t(lang, 'learning.pdf.col_date'), width: 16 },
        { label: t(lang, 'learning.pdf.col_activity'), width: 46 },
        { label: t(lang, 'learning.pdf.col_skills'), width: 24 },
        { label: t(lang, 'learning.pdf.col_score'), width: 12, align: 'right' },
      ],
      rows: a.results.map((r) => [formatDate(lang, r.completedAt), r.title, r.skillCodes.join(', '), scoreText(r.score, r.max)]),
    })
  const notes = a.observations.filter((o) => o.note)
  pdf.heading(t(lang, 'learning.pdf.notes'), 2)
  if (!notes.length) pdf.paragraph(t(lang, 'learning.pdf.no_notes'))
  else
    pdf.table({
      columns: [
        { label: t(lang, 'learning.pdf.col_date'), width: 16 },
        { label: t(lang, 'learning.pdf.col_skill'), width: 28 },
        { label: t(lang, 'learning.pdf.col_level'), width: 14 },
        { label: t(lang, 'learning.pdf.col_note'), width: 42 },
      ],
      rows: notes.map((o) => [day(lang, o.observedOn), `${o.skillLabel} (${o.skillCode})`, t(lang, `learning.level.${o.level}`), o.note!]),
    })
}

export async function childReportPdf(a: ChildReportInput): Promise<Uint8Array> {
  const pdf = await PdfReport.create({
    title: t(a.lang, 'learning.pdf.child_title'),
    subtitle: [a.orgName, a.classNames.join(', '), periodLabel(a.lang, a.period)].filter(Boolean).join(' · '),
    lang: a.lang,
    now: a.now,
  })
  drawChildRecord(pdf, a)
  return pdf.finish()
}

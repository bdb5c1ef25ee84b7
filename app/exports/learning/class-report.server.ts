// The class results report: one summary table per activity, one line per child, then every
// result. Long tables run over as many pages as needed, header repeated, "Page X sur Y".
import './pdf-speed.server'
import { PdfReport } from '../../documents/pdf/document.server'
import { t, type Lang } from '../../i18n'
import { fmtDate as formatDate } from './dates'
import type { ObservationItem, ResultItem } from '../../models/learning/record.server'
import { periodLabel, scoreText } from './child-report.server'

export type ClassReportInput = {
  lang: Lang
  now: Date
  orgName: string
  className: string
  period: { from: string | null; to: string | null }
  children: { id: string; firstName: string; lastName: string }[]
  activities: { id: string; title: string; kind: string; createdAt: Date }[]
  results: ResultItem[]
  observations: ObservationItem[]
}

const pct = (n: number) => `${Math.round(n * 100)} %`

export async function classReportPdf(a: ClassReportInput): Promise<Uint8Array> {
  const { lang } = a
  const pdf = await PdfReport.create({
    title: t(lang, 'learning.pdf.class_title'),
    subtitle: [a.orgName, a.className, periodLabel(lang, a.period)].join(' · '),
    lang,
    now: a.now,
  })
  const byChild = new Map<string, ResultItem[]>()
  for (const r of a.results) byChild.set(r.childId, [...(byChild.get(r.childId) ?? []), r])
  const byActivity = new Map<string, ResultItem[]>()
  for (const r of a.results) byActivity.set(r.activityId, [...(byActivity.get(r.activityId) ?? []), r])
  const ratio = (rs: ResultItem[]) => (rs.length ? rs.reduce((s, r) => s + (r.max ? r.score / r.max : 0), 0) / rs.length : null)
  const overall = ratio(a.results)

  pdf.heading(`${a.className} — ${a.orgName}`)
  pdf.keyValue([
    [t(lang, 'learning.pdf.period'), periodLabel(lang, a.period)],
    [t(lang, 'learning.pdf.children_count'), String(a.children.length)],
    [t(lang, 'learning.pdf.activities_count'), String(a.activities.length)],
    [t(lang, 'learning.pdf.average'), overall === null ? '—' : pct(overall)],
    [t(lang, 'learning.pdf.generated'), formatDate(lang, a.now, true)],
  ])

  pdf.heading(t(lang, 'learning.pdf.by_activity'), 2)
  const quizzes = a.activities.filter((x) => x.kind === 'quiz')
  if (!quizzes.length) pdf.paragraph(t(lang, 'learning.pdf.no_results'))
  else
    pdf.table({
      columns: [
        { label: t(lang, 'learning.pdf.col_activity'), width: 50 },
        { label: t(lang, 'learning.pdf.col_date'), width: 18 },
        { label: t(lang, 'learning.pdf.col_done'), width: 16, align: 'right' },
        { label: t(lang, 'learning.pdf.col_average'), width: 16, align: 'right' },
      ],
      rows: quizzes.map((x) => {
        const rs = byActivity.get(x.id) ?? []
        const r = ratio(rs)
        return [x.title, formatDate(lang, x.createdAt), `${rs.length}/${a.children.length}`, r === null ? '—' : pct(r)]
      }),
    })

  const acquired = new Map<string, { acquired: number; seen: Set<string> }>()
  const latest = new Map<string, string>() // child:skill → level
  for (const o of a.observations) latest.set(`${o.childId}:${o.skillId}`, o.level)
  for (const [k, level] of latest) {
    const childId = k.split(':')[0]!
    const e = acquired.get(childId) ?? { acquired: 0, seen: new Set() }
    e.seen.add(k)
    if (level === 'acquired') e.acquired++
    acquired.set(childId, e)
  }
  pdf.heading(t(lang, 'learning.pdf.by_child'), 2)
  pdf.table({
    columns: [
      { label: t(lang, 'learning.pdf.col_child'), width: 40 },
      { label: t(lang, 'learning.pdf.col_done'), width: 18, align: 'right' },
      { label: t(lang, 'learning.pdf.col_average'), width: 18, align: 'right' },
      { label: t(lang, 'learning.pdf.col_acquired'), width: 24, align: 'right' },
    ],
    rows: a.children.map((c) => {
      const rs = byChild.get(c.id) ?? []
      const r = ratio(rs)
      const s = acquired.get(c.id)
      return [`${c.lastName} ${c.firstName}`, String(rs.length), r === null ? '—' : pct(r), s ? `${s.acquired}/${s.seen.size}` : '—']
    }),
  })

  if (a.results.length) {
    const names = new Map(a.children.map((c) => [c.id, `${c.lastName} ${c.firstName}`]))
    pdf.heading(t(lang, 'learning.pdf.all_results'), 2)
    pdf.table({
      columns: [
        { label: t(lang, 'learning.pdf.col_child'), width: 32 },
        { label: t(lang, 'learning.pdf.col_activity'), width: 40 },
        { label: t(lang, 'learning.pdf.col_date'), width: 16 },
        { label: t(lang, 'learning.pdf.col_score'), width: 12, align: 'right' },
      ],
      rows: [...a.results]
        .sort((x, y) => (names.get(x.childId) ?? '').localeCompare(names.get(y.childId) ?? '') || x.completedAt.getTime() - y.completedAt.getTime())
        .map((r) => [names.get(r.childId) ?? '—', r.title, formatDate(lang, r.completedAt), scoreText(r.score, r.max)]),
    })
  }
  return pdf.finish()
}

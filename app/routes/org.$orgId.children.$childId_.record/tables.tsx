// The three tables of a child's record: skills and their levels over time, results of
// activities, observations — each with a box per item this person may publish.
import { type useLoaderData } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { DataTable, StatusBadge, type Column } from '~/ui/kit'
import type { loader } from './route'

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type State = 'published' | 'scheduled' | 'not_published'

const TONE = { published: 'ok', scheduled: 'warn', not_published: 'neutral' } as const

function useDay() {
  const t = useT()
  return (d: string) => formatDate(t.lang, `${d}T12:00:00Z`)
}

function PublicationState({ state }: { state: State }) {
  const t = useT()
  return <StatusBadge tone={TONE[state]}>{t(`learning.pub.${state}`)}</StatusBadge>
}

export function ProgressTable({ progress }: { progress: Data['progress'] }) {
  const t = useT()
  const day = useDay()
  const columns: Column<Data['progress'][number]>[] = [
    {
      header: t('learning.pdf.col_skill'),
      rowHeader: true,
      cell: (p) => (
        <>
          {p.label}{' '}
          <span className="muted">
            ({p.code} · {p.domain})
          </span>
        </>
      ),
    },
    { header: t('learning.pdf.col_level'), cell: (p) => <span className={`lvl ${p.latest}`}>{t(`learning.level.${p.latest}`)}</span> },
    {
      header: t('learning.pdf.col_history'),
      cell: (p) =>
        p.history.map((h, i) => (
          <span key={i} className="history-step">
            {i > 0 && <span aria-hidden="true">→ </span>}
            <span className={`lvl ${h.level}`} title={day(h.on)}>
              {t(`learning.level.${h.level}`)}
            </span>{' '}
            <span className="muted">{day(h.on)}</span>
          </span>
        )),
    },
  ]
  return <DataTable label={t('learning.record.progress')} columns={columns} rows={progress} rowKey={(p) => p.skillId} empty={t('learning.pdf.no_skills')} />
}

export function ResultsTable({ results, staff, anyPublish }: { results: Data['results']; staff: boolean; anyPublish: boolean }) {
  const t = useT()
  const columns: Column<Data['results'][number]>[] = []
  if (anyPublish)
    columns.push({
      header: t('learning.publish.select'),
      hiddenHeader: true,
      cell: (r) => r.publish && <input className="lg-check" type="checkbox" name="resultId" value={r.id} aria-label={t('learning.publish.select_item', { item: r.title })} />,
    })
  columns.push(
    { header: t('learning.pdf.col_activity'), rowHeader: true, cell: (r) => r.title },
    { header: t('learning.pdf.col_date'), cell: (r) => formatDate(t.lang, r.completedAt) },
    { header: t('learning.pdf.col_skills'), cell: (r) => r.skills.join(', ') || '—' },
    {
      header: t('learning.pdf.col_score'),
      cell: (r) => (
        <strong>
          {r.score}/{r.max}
        </strong>
      ),
    },
  )
  if (staff) columns.push({ header: t('learning.activity.families'), cell: (r) => <PublicationState state={r.state} /> })
  return <DataTable label={t('learning.pdf.results')} columns={columns} rows={results} rowKey={(r) => r.id} empty={t('learning.pdf.no_results')} />
}

export function ObservationsTable({ observations, staff, anyPublish }: { observations: Data['observations']; staff: boolean; anyPublish: boolean }) {
  const t = useT()
  const day = useDay()
  const columns: Column<Data['observations'][number]>[] = []
  if (anyPublish)
    columns.push({
      header: t('learning.publish.select'),
      hiddenHeader: true,
      cell: (o) => o.publish && <input className="lg-check" type="checkbox" name="observationId" value={o.id} aria-label={t('learning.publish.select_item', { item: `${o.skill} — ${day(o.on)}` })} />,
    })
  columns.push(
    { header: t('learning.pdf.col_date'), cell: (o) => day(o.on) },
    { header: t('learning.pdf.col_skill'), rowHeader: true, cell: (o) => o.skill },
    { header: t('learning.pdf.col_level'), cell: (o) => <span className={`lvl ${o.level}`}>{t(`learning.level.${o.level}`)}</span> },
    { header: t('learning.pdf.col_note'), cell: (o) => o.note ?? '—' },
  )
  if (staff) columns.push({ header: t('learning.activity.families'), cell: (o) => <PublicationState state={o.state} /> })
  return <DataTable label={t('learning.record.observations')} columns={columns} rows={observations} rowKey={(o) => o.id} empty={t('learning.record.no_observations')} />
}

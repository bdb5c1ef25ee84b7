// Small pieces every step of the import shows: an import's status, what was detected in the
// file, how many more lines a list holds, and abandoning the import.
import { Form } from '@remix-run/react'
import { useT } from '~/i18n'
import { StatusBadge } from '~/ui/kit'
import type { View } from './types'

export function ImportStatus({ status }: { status: string }) {
  const t = useT()
  return <StatusBadge tone={status === 'done' ? 'ok' : status === 'failed' ? 'bad' : 'warn'}>{t.or(`roster.status.${status}`, status)}</StatusBadge>
}

export function SourceLine({ view }: { view: View }) {
  const t = useT()
  return (
    <p className="muted" data-testid="detected">
      <strong>{view.fileName}</strong> · {t(`roster.format.${view.format}`)}
      {view.info?.encoding && <> · {t('roster.encoding', { encoding: t(`roster.encoding.${view.info.encoding}`) })}</>}
      {view.info?.delimiter && view.format === 'generic' && (
        <> · {t('roster.delimiter', { delimiter: t(`roster.delimiter.${view.info.delimiter === ';' ? 'semicolon' : view.info.delimiter === ',' ? 'comma' : 'tab'}`) })}</>
      )}
      {view.schoolYear && <> · {t('roster.year_line', { year: view.schoolYear })}</>}
    </p>
  )
}

/** Lists are cut for the page: how many lines are not shown. */
export function More({ count }: { count: number }) {
  const t = useT()
  return count > 0 ? <p className="muted">{t('roster.more', { count })}</p> : null
}

export function DiscardForm({ view }: { view: View }) {
  const t = useT()
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="importId" value={view.id} />
      <button type="submit" name="intent" value="discard" className="secondary">
        {t('roster.discard')}
      </button>
    </Form>
  )
}

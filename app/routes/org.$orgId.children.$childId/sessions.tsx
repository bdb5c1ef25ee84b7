// A child's open sessions (the class tablets where they are logged in), each one endable.
import { Form, useNavigation } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { DataTable, Section, type Column } from '~/ui/kit'

export type ChildSession = { ref: string; device: string; lastSeenAt: string; createdAt: string }

export function SessionsSection({ sessions, mayEnd }: { sessions: ChildSession[]; mayEnd: boolean }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const columns: Column<ChildSession>[] = [
    { header: t('children.sessions.device'), cell: (s) => s.device },
    { header: t('children.sessions.last_seen'), cell: (s) => formatDate(t.lang, s.lastSeenAt, true) },
    { header: t('children.sessions.opened'), cell: (s) => formatDate(t.lang, s.createdAt, true) },
  ]
  if (mayEnd)
    columns.push({
      header: t('children.sessions.end'),
      hiddenHeader: true,
      cell: (s) => (
        <Form method="post">
          <input type="hidden" name="intent" value="end-session" />
          <input type="hidden" name="ref" value={s.ref} />
          <button type="submit" className="secondary" disabled={busy}>
            {t('children.sessions.end')}
          </button>
        </Form>
      ),
    })
  return (
    <Section title={t('children.sessions.title')}>
      <p className="hint">{t('children.sessions.hint')}</p>
      <DataTable label={t('children.sessions.table')} columns={columns} rows={sessions} rowKey={(s) => s.ref} empty={t('children.sessions.none')} />
    </Section>
  )
}

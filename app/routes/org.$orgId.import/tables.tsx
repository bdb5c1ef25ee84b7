// The dry run's and the result's tables: counts, rejected lines with their reason, children
// (to create, to update with their changes, unchanged), guardians to invite, teachers.
import { useT, type MessageKey } from '~/i18n'
import { DataTable, StatusBadge } from '~/ui/kit'
import { More } from './source-line'
import type { PlanView } from './types'

export function Counts({ plan }: { plan: PlanView }) {
  const t = useT()
  const c = plan.counts
  const rows: { key: MessageKey; create: number; update: number | null; unchanged: number | null }[] = [
    { key: 'roster.count.classes', create: c.classesCreate, update: null, unchanged: c.classesUnchanged },
    { key: 'roster.count.children', create: c.childrenCreate, update: c.childrenUpdate, unchanged: c.childrenUnchanged },
    { key: 'roster.count.guardians', create: c.guardiansCreate, update: null, unchanged: c.guardiansUnchanged },
  ]
  if (c.teachersInvite + c.teachersUnchanged > 0) rows.push({ key: 'roster.count.teachers', create: c.teachersInvite, update: null, unchanged: c.teachersUnchanged })
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a region that scrolls must be reachable by keyboard
    <div className="table-wrap" role="region" aria-label={t('roster.col.what')} tabIndex={0}>
      <table data-testid="counts">
        <thead>
          <tr>
            <th scope="col">{t('roster.col.what')}</th>
            <th scope="col">{t('roster.col.create')}</th>
            <th scope="col">{t('roster.col.update')}</th>
            <th scope="col">{t('roster.col.unchanged')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{t(r.key)}</th>
              <td>{r.create}</td>
              <td>{r.update ?? '—'}</td>
              <td>{r.unchanged ?? '—'}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t('roster.count.rejected')}</th>
            <td colSpan={3}>
              <StatusBadge tone={c.rejected ? 'bad' : 'ok'}>{String(c.rejected)}</StatusBadge>
            </td>
          </tr>
          {(c.childrenErased ?? 0) > 0 && (
            <tr>
              <th scope="row">{t('roster.count.erased')}</th>
              <td colSpan={3}>
                <StatusBadge tone="warn">{String(c.childrenErased)}</StatusBadge>
              </td>
            </tr>
          )}
          <tr>
            <th scope="row">{t('roster.count.missing')}</th>
            <td colSpan={3}>
              <StatusBadge tone={c.missing ? 'warn' : 'ok'}>{String(c.missing)}</StatusBadge>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  )
}

export function RejectedTable({ rejected, oneRoster }: { rejected: PlanView['rejected']; oneRoster: boolean }) {
  const t = useT()
  type Row = (typeof rejected.rows)[number]
  return (
    <>
      <div data-testid="rejected">
        <DataTable<Row>
          label={t('roster.count.rejected')}
          rows={rejected.rows}
          rowKey={(r) => `${r.file}-${r.line}-${rejected.rows.indexOf(r)}`}
          empty={t('roster.none')}
          columns={[
            { header: t('roster.col.line'), cell: (r) => r.line },
            ...(oneRoster ? [{ header: t('roster.col.file'), cell: (r: Row) => r.file }] : []),
            {
              header: t('roster.col.reason'),
              cell: (r) => (
                <>
                  {r.message}
                  {/* The parser's detail (the offending value) is written in English. */}
                  {t.lang === 'en' && (
                    <>
                      <br />
                      <small className="muted">{r.detail}</small>
                    </>
                  )}
                </>
              ),
            },
          ]}
        />
      </div>
      <More count={rejected.more} />
    </>
  )
}

export function ChildrenTable({ list, testId, changes }: { list: PlanView['create'] | PlanView['update']; testId: string; changes?: boolean }) {
  const t = useT()
  type Row = (typeof list.rows)[number]
  return (
    <>
      <div data-testid={testId}>
        <DataTable<Row>
          label={t('roster.count.children')}
          rows={list.rows}
          rowKey={(c) => c.childId}
          empty={t('roster.none')}
          columns={[
            { header: t('roster.col.line'), cell: (c) => c.line },
            { header: t('roster.field.lastName'), cell: (c) => c.lastName },
            { header: t('roster.field.firstName'), cell: (c) => c.firstName },
            { header: t('roster.field.birthDate'), cell: (c) => formatBirth(c.birthDate) },
            {
              header: t('roster.field.className'),
              cell: (c) => (
                <>
                  {c.className}
                  {c.groupName && <span className="muted"> · {c.groupName}</span>}
                </>
              ),
            },
            changes
              ? {
                  header: t('roster.col.changes'),
                  cell: (c) => (
                    <ul className="change-list">
                      {('changes' in c ? (c.changes as string[]) : []).map((x) => (
                        <li key={x}>{x}</li>
                      ))}
                    </ul>
                  ),
                }
              : { header: t('roster.col.guardians'), cell: (c) => c.guardians },
          ]}
        />
      </div>
      <More count={list.more} />
    </>
  )
}

/** Rows matching a child erased after a request, each with its "this is a new enrolment" box (part of the confirmation form). */
export function ErasedTable({ list }: { list: PlanView['erased'] }) {
  const t = useT()
  type Row = (typeof list.rows)[number]
  return (
    <>
      <div data-testid="erased">
        <DataTable<Row>
          label={t('roster.section.erased', { count: list.rows.length + list.more })}
          rows={list.rows}
          rowKey={(c) => String(c.line)}
          empty={t('roster.none')}
          columns={[
            { header: t('roster.col.line'), cell: (c) => c.line },
            { header: t('roster.field.lastName'), cell: (c) => c.lastName },
            { header: t('roster.field.firstName'), cell: (c) => c.firstName },
            { header: t('roster.field.birthDate'), cell: (c) => formatBirth(c.birthDate) },
            { header: t('roster.field.className'), cell: (c) => c.className },
            {
              header: t('roster.erased.col.flag'),
              cell: (c) => (
                <>
                  <StatusBadge tone="warn">{c.flag}</StatusBadge>
                  <br />
                  <small className="muted">{c.match}</small>
                </>
              ),
            },
            {
              header: t('roster.erased.col.new_enrolment'),
              cell: (c) => (
                <label className="checkbox" htmlFor={`new-enrolment-${c.line}`}>
                  <input id={`new-enrolment-${c.line}`} type="checkbox" name="newEnrolment" value={c.line} />
                  <span>{t('roster.erased.new_enrolment')}</span>
                </label>
              ),
            },
          ]}
        />
      </div>
      <More count={list.more} />
    </>
  )
}

function formatBirth(iso: string) {
  const [y, m, d] = iso.split('-')
  return `${d}/${m}/${y}`
}

export function GuardiansTable({ guardians }: { guardians: PlanView['guardiansCreate'] }) {
  const t = useT()
  type Row = (typeof guardians.rows)[number]
  return (
    <>
      <div data-testid="guardians">
        <DataTable<Row>
          label={t('roster.count.guardians')}
          rows={guardians.rows}
          rowKey={(g) => g.email}
          empty={t('roster.none')}
          columns={[
            { header: t('roster.col.email'), cell: (g) => g.email },
            { header: t('roster.col.children_covered'), cell: (g) => g.children },
          ]}
        />
      </div>
      <More count={guardians.more} />
    </>
  )
}

export function TeachersTable({ plan }: { plan: PlanView }) {
  const t = useT()
  const rows = [...plan.teachersInvite.rows.map((x) => ({ ...x, status: t('roster.teacher.invite') })), ...plan.teachersUnchanged.rows.map((x) => ({ ...x, status: t('roster.teacher.unchanged') }))]
  return (
    <DataTable
      label={t('roster.count.teachers')}
      rows={rows}
      rowKey={(x) => x.email}
      empty={t('roster.none')}
      columns={[
        { header: t('roster.col.name'), cell: (x) => x.name },
        { header: t('roster.col.email'), cell: (x) => x.email },
        { header: t('roster.field.className'), cell: (x) => x.classes },
        { header: t('roster.col.status'), cell: (x) => x.status },
      ]}
    />
  )
}

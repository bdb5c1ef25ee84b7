// The privacy page's sections: deletions under way (and the member picker), the grace period,
// retention after the contract (and the organization's early deletion), the legal basis.
import { getFormProps } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { LEGAL_BASES } from '~/privacy/records/constants'
import { ConfirmForm, DataTable, Field, Notice, plainField, Section, SelectField, StatusBadge, useCarnetForm, type Column } from '~/ui/kit'
import { schema } from './intents'
import type { PrivacyView } from './view.server'

type Data = PrivacyView
type Open = Data['open'][number]

export function DeletionsSection({ d }: { d: Data }) {
  const t = useT()
  const columns: Column<Open>[] = [
    { header: t('retention.privacy.col_who'), cell: (r) => (r.scope === 'organization' ? t('retention.privacy.whole_org') : (r.name ?? '—')) },
    { header: t('retention.privacy.col_by'), cell: (r) => t(`retention.role.${r.role}`) },
    { header: t('retention.privacy.col_requested'), cell: (r) => formatDate(t.lang, r.requestedAt, true) },
    {
      header: t('retention.privacy.col_due'),
      cell: (r) => (
        <>
          {formatDate(t.lang, r.dueAt, true)} {r.overdue && <StatusBadge tone="bad">{t('retention.privacy.overdue')}</StatusBadge>}
        </>
      ),
    },
    {
      header: t('retention.privacy.col_actions'),
      cell: (r) =>
        r.cancellable ? (
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <input type="hidden" name="requestId" value={r.id} />
            <button type="submit" className="secondary">
              {t('retention.privacy.cancel_until', { at: formatDate(t.lang, r.eraseAfter, true) })}
            </button>
          </Form>
        ) : (
          <span className="muted">{t('retention.privacy.no_cancel')}</span>
        ),
    },
  ]
  return (
    <Section title={t('retention.privacy.deletions')}>
      <p className="hint">{t('retention.privacy.deletions_hint')}</p>
      <DataTable label={t('retention.privacy.deletions')} columns={columns} rows={d.open} rowKey={(r) => r.id} empty={t('retention.privacy.none_open')} />
      <p>{t('retention.privacy.erased_30d', { n: d.erased30d.n, late: d.erased30d.late })}</p>
      {d.isAdmin && d.members.length > 0 && (
        // A GET form: on to the chosen member's deletion page (it works without JavaScript).
        <Form method="get" className="actions">
          <SelectField meta={plainField('member', { id: 'member-pick', defaultValue: '' })} label={t('retention.privacy.delete_member')}>
            <option value="">—</option>
            {d.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="secondary">
            {t('retention.privacy.delete_member_go')}
          </button>
        </Form>
      )}
      {d.recent.length > 0 && (
        <details>
          <summary>{t('retention.privacy.tombstones')}</summary>
          <ul>
            {d.recent.map((x) => (
              <li key={x.id}>
                {formatDate(t.lang, x.completedAt, true)} · {t(`retention.scope.${x.scope}`)} · {t(`retention.role.${x.role}`)} ·{' '}
                {t('retention.privacy.rows', { deleted: x.rows, anonymized: x.anonymized })}
                {x.late && (
                  <>
                    {' '}
                    <StatusBadge tone="bad">{t('retention.privacy.late')}</StatusBadge>
                  </>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </Section>
  )
}

export function GraceSection({ d }: { d: Data }) {
  const t = useT()
  const [grace, graceFields] = useCarnetForm(schema, { intent: 'grace', defaultValue: { intent: 'grace', hours: String(d.graceHours) } })
  return (
    <Section title={t('retention.privacy.grace_title')}>
      <p>{d.graceHours ? t('retention.privacy.grace_is', { hours: d.graceHours }) : t('retention.privacy.grace_none')}</p>
      {d.isAdmin && (
        <Form method="post" className="actions" {...getFormProps(grace)}>
          <input type="hidden" name="intent" value="grace" />
          <Field meta={graceFields.hours} type="number" label={t('retention.privacy.grace_label', { max: d.maxGrace })} />
          <button type="submit" className="secondary">
            {t('retention.privacy.save')}
          </button>
        </Form>
      )}
    </Section>
  )
}

export function RetentionSection({ d }: { d: Data }) {
  const t = useT()
  const [deleteOrg, deleteFields] = useCarnetForm(schema, { intent: 'delete-org' })
  return (
    <Section title={t('retention.privacy.retention_title')}>
      {d.retention.state === 'active' && <p>{t('retention.privacy.retention_active')}</p>}
      {d.retention.state === 'ending' && (
        <p>{t('retention.privacy.retention_ending', { end: formatDate(t.lang, d.retention.subscriptionEndsAt), erase: formatDate(t.lang, d.retention.erasureAt) })}</p>
      )}
      {d.retention.state === 'retention' && (
        <Notice kind="error">{t('retention.privacy.retention_running', { end: formatDate(t.lang, d.retention.subscriptionEndsAt), erase: formatDate(t.lang, d.retention.erasureAt) })}</Notice>
      )}
      {d.isAdmin && (
        <ConfirmForm
          intent="delete-org"
          formProps={getFormProps(deleteOrg)}
          consequences={[t('retention.privacy.delete_org_hint')]}
          cancelWindow={d.graceHours ? t('retention.member.grace', { hours: d.graceHours }) : t('retention.member.no_grace')}
          confirmation={<Field meta={deleteFields.confirm} label={t('retention.privacy.confirm_label')} autoComplete="off" />}
          submit={t('retention.privacy.delete_org')}
        />
      )}
    </Section>
  )
}

export function BasisSection({ d }: { d: Data }) {
  const t = useT()
  const [basis, basisFields] = useCarnetForm(schema, { intent: 'basis', defaultValue: { intent: 'basis', legalBasis: d.legalBasis ?? 'public_task' } })
  if (!d.isAdmin) return null
  return (
    <Section title={t('retention.privacy.basis_title')}>
      <Form method="post" className="actions" {...getFormProps(basis)}>
        <input type="hidden" name="intent" value="basis" />
        <SelectField meta={basisFields.legalBasis} label={t('retention.records.legal_basis')}>
          {LEGAL_BASES.map((b) => (
            <option key={b} value={b}>
              {t(`retention.basis.${b}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="secondary">
          {t('retention.privacy.save')}
        </button>
      </Form>
    </Section>
  )
}

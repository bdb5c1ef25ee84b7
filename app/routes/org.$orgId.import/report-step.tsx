// Step 3: the dry run — what the import would do, line by line, nothing written yet — and its
// confirmation, with the children missing from the file that may be archived.
import { getFormProps } from '@conform-to/react'
import { Form, Link, useNavigation } from '@remix-run/react'
import { useT } from '~/i18n'
import { confirmSchema } from '~/models/roster-import/import.schema'
import { Notice, Section, useCarnetForm } from '~/ui/kit'
import { DiscardForm, More, SourceLine } from './source-line'
import { ChildrenTable, Counts, ErasedTable, GuardiansTable, RejectedTable, TeachersTable } from './tables'
import type { PlanView, View } from './types'

export function ReportStep({ view, orgId, stale }: { view: View; orgId: string; stale: boolean }) {
  const t = useT()
  const plan = view.plan!
  const oneRoster = view.format === 'oneroster'
  return (
    <>
      <h2>{t('roster.report.title')}</h2>
      <SourceLine view={view} />
      {stale && <Notice kind="info">{t('roster.report.stale')}</Notice>}
      {view.status === 'failed' && view.error && <Notice kind="error">{t('roster.failed', { reason: view.error })}</Notice>}
      <Notice kind="info">{t('roster.report.intro')}</Notice>
      <Counts plan={plan} />
      {view.info?.canRemap && (
        <p>
          <Link to={`/org/${orgId}/import?id=${view.id}&step=mapping`}>{t('roster.mapping.change')}</Link>
        </p>
      )}

      <Section title={t('roster.section.rejected', { count: plan.counts.rejected })} level={3} card={false}>
        {plan.counts.rejected > 0 && <p>{t('roster.rejected_intro')}</p>}
        <RejectedTable rejected={plan.rejected} oneRoster={oneRoster} />
      </Section>

      <Section title={t('roster.section.create', { count: plan.counts.childrenCreate })} level={3} card={false}>
        <ChildrenTable list={plan.create} testId="to-create" />
      </Section>

      <Section title={t('roster.section.update', { count: plan.counts.childrenUpdate })} level={3} card={false}>
        <ChildrenTable list={plan.update} testId="to-update" changes />
      </Section>

      <details>
        <summary>{t('roster.section.unchanged', { count: plan.counts.childrenUnchanged })}</summary>
        <ChildrenTable list={plan.unchanged} testId="unchanged" />
      </details>

      <Section title={t('roster.section.classes', { count: plan.counts.classesCreate })} level={3} card={false}>
        {plan.classesCreate.length ? <p>{plan.classesCreate.map((c) => c.name).join(', ')}</p> : <p className="muted">{t('roster.none')}</p>}
        {plan.classesUnchanged.length > 0 && <p className="muted">{t('roster.classes_existing', { names: plan.classesUnchanged.map((c) => c.name).join(', ') })}</p>}
      </Section>

      <Section title={t('roster.section.guardians', { count: plan.counts.guardiansCreate })} level={3} card={false}>
        <p className="hint">{t('roster.guardians_hint')}</p>
        <GuardiansTable guardians={plan.guardiansCreate} />
        {plan.counts.guardiansUnchanged > 0 && <p className="muted">{t('roster.guardians_unchanged', { count: plan.counts.guardiansUnchanged })}</p>}
      </Section>

      {plan.counts.teachersInvite + plan.counts.teachersUnchanged > 0 && (
        <Section title={t('roster.section.teachers', { count: plan.counts.teachersInvite })} level={3} card={false}>
          <TeachersTable plan={plan} />
        </Section>
      )}

      <ConfirmImportForm view={view} plan={plan} />
      <div className="actions">
        {view.status === 'failed' && (
          <Form method="post">
            <input type="hidden" name="importId" value={view.id} />
            <button type="submit" name="intent" value="replan" className="secondary">
              {t('roster.replan')}
            </button>
          </Form>
        )}
        <DiscardForm view={view} />
      </div>
    </>
  )
}

/** Confirming the import: nothing is ticked by default — archiving a child is a choice. */
function ConfirmImportForm({ view, plan }: { view: View; plan: PlanView }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const [form] = useCarnetForm(confirmSchema, { id: 'confirm-import', defaultValue: { importId: view.id } })
  const nothing = plan.erased.rows.length + plan.counts.childrenCreate + plan.counts.childrenUpdate + plan.counts.guardiansCreate + plan.counts.classesCreate + plan.counts.teachersInvite === 0
  return (
    <Form method="post" className="card" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="confirm" />
      <input type="hidden" name="importId" value={view.id} />
      {plan.erased.rows.length > 0 && (
        <Section title={t('roster.section.erased', { count: plan.erased.rows.length + plan.erased.more })} level={3} card={false}>
          <p>{t('roster.erased.intro')}</p>
          <ErasedTable list={plan.erased} />
        </Section>
      )}
      <Section title={t('roster.missing.title', { count: plan.counts.missing })} level={3} card={false}>
        {plan.missing.rows.length === 0 ? (
          <p className="muted">{t('roster.none')}</p>
        ) : (
          <>
            <p>{t('roster.missing.intro')}</p>
            <fieldset className="plain">
              <legend>{t('roster.missing.legend')}</legend>
              {plan.missing.more > 0 && (
                <label className="checkbox" htmlFor="archive-all">
                  <input id="archive-all" type="checkbox" name="archiveAll" />
                  <span>{t('roster.missing.all', { count: plan.counts.missing })}</span>
                </label>
              )}
              <ul className="missing-list" data-testid="missing">
                {plan.missing.rows.map((m) => (
                  <li key={m.childId}>
                    <label className="checkbox" htmlFor={`archive-${m.childId}`}>
                      <input id={`archive-${m.childId}`} type="checkbox" name="archive" value={m.childId} />
                      <span>
                        {m.lastName} {m.firstName}
                        {m.className && <span className="muted"> · {m.className}</span>}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              <More count={plan.missing.more} />
            </fieldset>
          </>
        )}
      </Section>
      <p>{nothing ? t('roster.confirm_nothing') : t('roster.confirm_hint')}</p>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('roster.confirming') : t('roster.confirm')}
        </button>
      </div>
    </Form>
  )
}

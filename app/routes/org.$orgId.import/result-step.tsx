// The import is done: what was created, updated, and which lines were not imported.
import { Link } from '@remix-run/react'
import { useT } from '~/i18n'
import { Notice, Section } from '~/ui/kit'
import { SourceLine } from './source-line'
import { ChildrenTable, RejectedTable } from './tables'
import type { View } from './types'

export function ResultStep({ view, orgId }: { view: View; orgId: string }) {
  const t = useT()
  const r = view.result
  const plan = view.plan
  return (
    <>
      <h2>{t('roster.result.title')}</h2>
      <SourceLine view={view} />
      {r && (
        <Notice kind="success">
          {t('roster.result.summary', { created: r.childrenCreated, updated: r.childrenUpdated, unchanged: r.childrenUnchanged, archived: r.childrenArchived })}{' '}
          {t('roster.result.more', { classes: r.classesCreated, invitations: r.guardianInvitationsCreated, teachers: r.teacherInvitationsCreated })}
          {(r.childrenErasedSkipped ?? 0) + (r.childrenReenrolled ?? 0) > 0 && <> {t('roster.result.erased', { skipped: r.childrenErasedSkipped ?? 0, reenrolled: r.childrenReenrolled ?? 0 })}</>}
        </Notice>
      )}
      {plan && (
        <>
          <Section title={t('roster.result.created', { count: plan.counts.childrenCreate })} level={3} card={false}>
            <ChildrenTable list={plan.create} testId="created" />
          </Section>
          {plan.counts.childrenUpdate > 0 && (
            <Section title={t('roster.result.updated', { count: plan.counts.childrenUpdate })} level={3} card={false}>
              <ChildrenTable list={plan.update} testId="updated" changes />
            </Section>
          )}
          <Section title={t('roster.result.rejected', { count: plan.counts.rejected })} level={3} card={false}>
            <RejectedTable rejected={plan.rejected} oneRoster={view.format === 'oneroster'} />
          </Section>
        </>
      )}
      <div className="actions">
        <Link className="button" to={`/org/${orgId}/import`}>
          {t('roster.result.another')}
        </Link>
        <Link className="button secondary" to={`/org/${orgId}/classes`}>
          {t('roster.result.classes')}
        </Link>
      </div>
    </>
  )
}

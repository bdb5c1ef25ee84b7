// Families (issue 4) on the class page: linking status, "not my child" alerts, children whose
// login is blocked, and the way to the guardians' and authorisations' pages.
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n'
import { Section, StatusBadge } from '~/ui/kit'
import type { classPage as loader } from './view.server'

export function FamiliesSection() {
  const t = useT()
  const { orgId, klass, families } = useLoaderData<typeof loader>()
  const base = `/org/${orgId}`
  return (
    <Section title={t('families.staff.section')}>
      <p>
        {t('families.staff.linked_summary', { linked: families.linked, children: families.children })}
        {families.alerts > 0 && (
          <>
            {' · '}
            <StatusBadge tone="bad">{t('families.alerts.badge', { count: families.alerts })}</StatusBadge>
          </>
        )}
      </p>
      {families.blocked.length > 0 && (
        <ul>
          {families.blocked.map((b) => (
            <li key={b.id}>
              <Link to={`${base}/children/${b.id}`}>
                {b.firstName} {b.lastName}
              </Link>{' '}
              <StatusBadge tone="bad">{t(`families.block.${b.block}`)}</StatusBadge>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <Link className="button secondary" to={`${base}/classes/${klass.id}/guardians`}>
          {t('families.school.nav')}
        </Link>
        <Link className="button secondary" to={`${base}/classes/${klass.id}/authorisations`}>
          {t('families.auth.open')}
        </Link>
      </div>
    </Section>
  )
}

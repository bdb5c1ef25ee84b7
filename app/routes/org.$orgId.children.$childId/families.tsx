// Families (issue 4) on a child's page: linked and pending guardians, and why the child cannot
// log in when an authorisation blocks it.
import { Link, type useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n'
import { Section, StatusBadge } from '~/ui/kit'
import type { loader } from './route'

type ChildFamilies = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['families']>

export function FamiliesSection({ families, orgId, classId }: { families: ChildFamilies; orgId: string; classId: string | null }) {
  const t = useT()
  return (
    <Section title={t('families.staff.section')}>
      {families.block && (
        <p>
          <StatusBadge tone="bad">{t(`families.block.${families.block}`)}</StatusBadge>
        </p>
      )}
      {families.alerts > 0 && (
        <p>
          <StatusBadge tone="bad">{t('families.alerts.badge', { count: families.alerts })}</StatusBadge>
        </p>
      )}
      <p className="list-title">
        <strong>{t('families.staff.guardians')}</strong>
      </p>
      {families.links.length === 0 ? (
        <p>{t('families.staff.none_linked')}</p>
      ) : (
        <ul>
          {families.links.map((l) => (
            <li key={l.id}>
              {l.name} · {t(`families.status.${l.legalStatus}`)} <StatusBadge tone={l.state === 'active' ? 'ok' : 'bad'}>{t(`families.link_state.${l.state}`)}</StatusBadge>
            </li>
          ))}
        </ul>
      )}
      {families.pending.length > 0 && <p>{t('families.staff.pending_invites', { emails: families.pending.join(', ') })}</p>}
      {families.letters > 0 && <p>{t('families.staff.letters', { count: families.letters })}</p>}
      {classId && (
        <div className="actions">
          <Link className="button secondary" to={`/org/${orgId}/classes/${classId}/guardians`}>
            {t('families.school.nav')}
          </Link>
          <Link className="button secondary" to={`/org/${orgId}/classes/${classId}/authorisations`}>
            {t('families.auth.open')}
          </Link>
        </div>
      )}
    </Section>
  )
}

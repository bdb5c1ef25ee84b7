// The class families page's top: open "not my child" alerts, and the class's linking summary
// with what can be done for every family at once.
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { Section, StatusBadge } from '~/ui/kit'
import type { guardiansPage as loader } from './view.server'

export function AlertsSection() {
  const t = useT()
  const { alerts, perms } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  if (alerts.length === 0) return null
  return (
    <div className="alert-card">
      <Section title={t('families.alerts.title', { count: alerts.length })}>
        <ul>
          {alerts.map((a) => (
            <li key={a.id}>
              {t('families.alerts.item', { name: a.childName, date: formatDate(t.lang, a.reportedAt, true), channel: t(`families.channel.${a.channel ?? 'letter'}`) })}{' '}
              {perms.manage && (
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="resolve-alert" />
                  <input type="hidden" name="alertId" value={a.id} />
                  <button type="submit" className="link-button" disabled={busy}>
                    {t('families.alerts.resolve')}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        <p className="hint">{t('families.alerts.hint')}</p>
      </Section>
    </div>
  )
}

export function SummarySection() {
  const t = useT()
  const { orgId, klass, summary: s, children, perms } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${orgId}`
  const toSend = s.notSent + children.filter((c) => c.invitations.some((i) => i.state === 'expired')).length
  return (
    <Section title={t('families.school.summary_title')}>
      <p>
        {t('families.school.summary', { linked: s.linked, children: s.children })}
        {s.notSent > 0 && (
          <>
            {' · '}
            <StatusBadge tone="warn">{t('families.school.not_sent', { count: s.notSent })}</StatusBadge>
          </>
        )}
        {s.suspended > 0 && (
          <>
            {' · '}
            <StatusBadge tone="bad">{t('families.school.suspended', { count: s.suspended })}</StatusBadge>
          </>
        )}
      </p>
      <div className="actions">
        {perms.manage && toSend > 0 && (
          <Form method="post">
            <input type="hidden" name="intent" value="send-all" />
            <button type="submit" disabled={busy}>
              {t('families.invite.send_all')}
            </button>
          </Form>
        )}
        {perms.invite && (
          <Form method="post" action={`${base}/classes/${klass.id}/guardians/letters`} reloadDocument>
            <input type="hidden" name="onlyUnlinked" value="1" />
            <button type="submit" className="secondary">
              {t('families.letter.print_unlinked')}
            </button>
          </Form>
        )}
        <Link className="button secondary" to={`${base}/classes/${klass.id}/authorisations`}>
          {t('families.auth.open')}
        </Link>
      </div>
    </Section>
  )
}

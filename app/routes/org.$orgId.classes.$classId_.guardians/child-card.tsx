// One child of the class on the families page: the guardians linked (and, for administrators,
// suspending, correcting or ending a link), the invitations and letters pending, and sending a
// new one. Every form carries the child's id, so its answer is said in this card.
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { LEGAL_STATUS_OPTIONS } from '~/models/families/constants'
import { ConfirmForm, Section, StatusBadge, type Tone } from '~/ui/kit'
import { Answer } from './answer'
import type { guardiansPage as loader } from './view.server'

type Data = Awaited<ReturnType<typeof useLoaderData<typeof loader>>>
type Child = Data['children'][number]
type GuardianLink = Child['links'][number]

const STATE_TONE = { active: 'ok', suspended: 'bad', future: 'warn', ended: 'neutral' } as const satisfies Record<GuardianLink['state'], Tone>
const INVITATION_TONE = { not_sent: 'warn', sent: 'neutral', expired: 'warn', accepted: 'ok', revoked: 'neutral' } as const satisfies Record<Child['invitations'][number]['state'], Tone>

export function ChildCard({ child: c }: { child: Child }) {
  const t = useT()
  const { orgId, klass, perms } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${orgId}`
  const active = c.links.filter((l) => l.state === 'active').length
  const pending = c.invitations.filter((i) => i.state !== 'accepted' && i.state !== 'revoked')
  return (
    <Section
      as="article"
      title={
        <>
          <Link to={`${base}/children/${c.id}`}>
            {c.firstName} {c.lastName}
          </Link>{' '}
          {active > 0 ? <StatusBadge tone="ok">{t('families.school.linked_count', { count: active })}</StatusBadge> : <StatusBadge tone="warn">{t('families.school.no_guardian')}</StatusBadge>}{' '}
          {c.alerts > 0 && <StatusBadge tone="bad">{t('families.alerts.badge', { count: c.alerts })}</StatusBadge>} {c.block && <StatusBadge tone="bad">{t(`families.block.${c.block}`)}</StatusBadge>}
        </>
      }
    >
      <Answer about={c.id} />

      {c.links.length > 0 && (
        <ul className="guardian-links">
          {c.links.map((l) => (
            <li key={l.id}>
              {l.firstName} {l.lastName} · {t(`families.status.${l.legalStatus}`)} <StatusBadge tone={STATE_TONE[l.state]}>{t(`families.link_state.${l.state}`)}</StatusBadge>
              {l.state === 'suspended' && l.suspensionReason && perms.manage && <span className="muted"> — {l.suspensionReason}</span>}
              {perms.manage && <ManageLink childId={c.id} childName={c.firstName} link={l} busy={busy} />}
            </li>
          ))}
        </ul>
      )}

      {(pending.length > 0 || c.letters > 0 || c.emails > 0) && (
        <div>
          <p className="list-title">
            <strong>{t('families.school.pending')}</strong>
          </p>
          <ul className="guardian-pending">
            {pending.map((i) => (
              <li key={i.id}>
                {i.email} <StatusBadge tone={INVITATION_TONE[i.state]}>{t(`families.inv_state.${i.state}`, { date: i.lastSentAt ? formatDate(t.lang, i.lastSentAt) : '' })}</StatusBadge>{' '}
                {perms.invite && (
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="send-invitation" />
                    <input type="hidden" name="invitationId" value={i.id} />
                    <input type="hidden" name="childId" value={c.id} />
                    <button type="submit" className="link-button" disabled={busy}>
                      {i.state === 'not_sent' ? t('families.invite.send') : t('families.invite.resend')}
                    </button>
                  </Form>
                )}
              </li>
            ))}
            {c.letters > 0 && <li>{t('families.school.letters_pending', { count: c.letters, date: c.lastPrintedAt ? formatDate(t.lang, c.lastPrintedAt) : '—' })}</li>}
          </ul>
        </div>
      )}

      {perms.invite && (
        <div className="actions align-end">
          <Form method="post" action={`${base}/classes/${klass.id}/guardians/letters`} reloadDocument className="actions align-end">
            <input type="hidden" name="childId" value={c.id} />
            <div className="field flush">
              <label htmlFor={`copies-${c.id}`}>{t('families.letter.copies')}</label>
              <select id={`copies-${c.id}`} name="copies" defaultValue="1">
                {[1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="secondary">
              {t('families.letter.print_one', { name: c.firstName })}
            </button>
          </Form>
          <details>
            <summary>{t('families.invite.by_email', { name: c.firstName })}</summary>
            <Form method="post" className="actions form-gap">
              <input type="hidden" name="intent" value="invite-email" />
              <input type="hidden" name="childId" value={c.id} />
              <label htmlFor={`email-${c.id}`}>{t('families.invite.email')}</label>
              <input id={`email-${c.id}`} type="email" name="email" required maxLength={254} autoComplete="off" />
              <button type="submit" disabled={busy}>
                {t('families.invite.send')}
              </button>
            </Form>
          </details>
        </div>
      )}
    </Section>
  )
}

/** An administrator's tools for one link, folded: suspend (with a reason) or resume, correct, end. */
function ManageLink({ childId, childName, link: l, busy }: { childId: string; childName: string; link: GuardianLink; busy: boolean }) {
  const t = useT()
  const ids = (
    <>
      <input type="hidden" name="linkId" value={l.id} />
      <input type="hidden" name="childId" value={childId} />
    </>
  )
  return (
    <details className="manage-link">
      <summary>{t('families.link.manage', { name: `${l.firstName} ${l.lastName}` })}</summary>
      {l.state !== 'suspended' ? (
        <Form method="post" className="actions form-gap">
          <input type="hidden" name="intent" value="suspend" />
          {ids}
          <label htmlFor={`reason-${l.id}`}>{t('families.link.reason')}</label>
          <input id={`reason-${l.id}`} type="text" name="reason" required minLength={3} maxLength={500} className="grow-wide" />
          <button type="submit" className="danger" disabled={busy}>
            {t('families.link.suspend')}
          </button>
        </Form>
      ) : (
        <Form method="post" className="form-gap">
          <input type="hidden" name="intent" value="resume" />
          {ids}
          <button type="submit" className="secondary" disabled={busy}>
            {t('families.link.resume')}
          </button>
        </Form>
      )}
      <Form method="post" className="form-gap">
        <input type="hidden" name="intent" value="update" />
        {ids}
        <div className="field">
          <label htmlFor={`status-${l.id}`}>{t('families.link.legal_status')}</label>
          <select id={`status-${l.id}`} name="legalStatus" defaultValue={l.legalStatus}>
            {LEGAL_STATUS_OPTIONS.map((st) => (
              <option key={st} value={st}>
                {t(`families.status.${st}`)}
              </option>
            ))}
          </select>
        </div>
        {(['canSeeRecord', 'canReceiveMessages', 'canGiveConsent'] as const).map((r) => (
          <label key={r} className="checkbox compact" htmlFor={`${r}-${l.id}`}>
            <input id={`${r}-${l.id}`} type="checkbox" name={r} defaultChecked={l[r]} />
            <span>{t(`families.rights.${r}`)}</span>
          </label>
        ))}
        <div className="actions">
          <div className="field">
            <label htmlFor={`start-${l.id}`}>{t('families.link.started_on')}</label>
            <input id={`start-${l.id}`} type="date" name="startedOn" defaultValue={l.startedAt.slice(0, 10)} />
          </div>
          <div className="field">
            <label htmlFor={`end-${l.id}`}>{t('families.link.ends_on')}</label>
            <input id={`end-${l.id}`} type="date" name="endsOn" defaultValue={l.endedAt?.slice(0, 10) ?? ''} />
          </div>
        </div>
        <button type="submit" className="secondary" disabled={busy}>
          {t('common.save')}
        </button>
      </Form>
      {l.state !== 'ended' && (
        <ConfirmForm
          intent="end"
          hidden={{ linkId: l.id, childId }}
          consequences={[t('families.link.end_will', { name: `${l.firstName} ${l.lastName}`, child: childName }), t('families.link.end_again')]}
          cancelWindow={t('families.link.end_final')}
          submit={t('families.link.end_now')}
          busy={busy}
        />
      )}
    </details>
  )
}

// One rights request as its requester follows it: on "My requests" (/account/requests/:id) and
// on the public status page (/rights-request/status/:token). `children` is the slot under the
// school's answer where the access package's download goes once the DPO releases it.
import type { ReactNode } from 'react'
import { formatDate, useT } from '~/i18n'
import type { RequestStatusView } from '~/privacy/rights-requests/status.server'
import { Section } from './layout'
import { StatusBadge, type Tone } from './status'

const TONE: Record<RequestStatusView['status'], Tone> = { received: 'neutral', forwarded: 'warn', closed: 'ok' }

export function RequestStatusBadge({ status }: { status: RequestStatusView['status'] }) {
  const t = useT()
  return <StatusBadge tone={TONE[status]}>{t(`dsr.track.status.${status}`)}</StatusBadge>
}

export function RequestStatus({ request: r, children }: { request: RequestStatusView; children?: ReactNode }) {
  const t = useT()
  const date = (d: string | null, withTime = false) => (d ? formatDate(t.lang, d, withTime) : '—')
  return (
    <>
      <Section title={t('dsr.track.details')}>
        <dl>
          <dt>{t('dsr.reference')}</dt>
          <dd>
            <strong>{r.reference}</strong>
          </dd>
          <dt>{t('dsr.kind')}</dt>
          <dd>{t(`dsr.kind_long.${r.kind}`)}</dd>
          <dt>{t('dsr.verify.school')}</dt>
          <dd>{r.orgName}</dd>
          <dt>{t('dsr.status')}</dt>
          <dd>
            <RequestStatusBadge status={r.status} />
          </dd>
          <dt>{t('dsr.received_at')}</dt>
          <dd>{date(r.receivedAt, true)}</dd>
          <dt>{t('dsr.forwarded_at')}</dt>
          <dd>{r.forwardedAt ? date(r.forwardedAt, true) : t('dsr.verify.forward_by', { date: date(r.forwardDueAt, true) })}</dd>
          <dt>{t('dsr.due_at')}</dt>
          <dd>
            {r.extendedDueAt ? (
              <>
                <del>{date(r.dueAt)}</del> {t('dsr.track.extended_to', { date: date(r.extendedDueAt) })}
              </>
            ) : (
              date(r.dueAt)
            )}
          </dd>
          {r.extensionReason && (
            <>
              <dt>{t('dsr.track.extension_reason')}</dt>
              <dd>{r.extensionReason}</dd>
            </>
          )}
        </dl>
      </Section>
      <Section title={t('dsr.track.answer')}>
        {r.status === 'closed' ? (
          <dl>
            <dt>{t('dsr.track.closed_at')}</dt>
            <dd>{date(r.closedAt, true)}</dd>
            <dt>{t('dsr.track.outcome')}</dt>
            <dd>{r.outcome ? t(`dsr.outcome.${r.outcome}`) : '—'}</dd>
            {r.outcomeNote && (
              <>
                <dt>{t('dsr.track.outcome_note')}</dt>
                <dd className="pre-line">{r.outcomeNote}</dd>
              </>
            )}
          </dl>
        ) : (
          <p>{t('dsr.track.waiting', { org: r.orgName })}</p>
        )}
        {children}
        <p className="hint">{t('dsr.track.cnil')}</p>
      </Section>
    </>
  )
}

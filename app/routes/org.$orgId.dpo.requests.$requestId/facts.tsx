// What the request page shows about the request: its dates and deadlines, who asks and about
// whom, and its history (with the form to add a note).
import { getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { Field, Section, StatusBadge, useCarnetForm } from '~/ui/kit'
import { schema } from './intents'
import type { RequestView } from './view.server'

export type RequestData = RequestView

export const URGENCY_TONE = { overdue: 'bad', nearly_due: 'warn', on_time: 'neutral', closed: 'ok', unverified: 'neutral' } as const

export function Dates({ data: { r } }: { data: RequestData }) {
  const t = useT()
  const d = (v: string | null, time = true) => formatDate(t.lang, v, time)
  return (
    <Section title={t('dsr.detail.dates')}>
      <dl>
        <dt>{t('dsr.received_at')}</dt>
        <dd>
          {d(r.receivedAt)} · {t(`dsr.channel.${r.channel}`)}
        </dd>
        <dt>{t('dsr.detail.forward_deadline')}</dt>
        <dd>{d(r.forwardDueAt)}</dd>
        <dt>{t('dsr.forwarded_at')}</dt>
        <dd>
          {r.forwardedAt ? d(r.forwardedAt) : t('dsr.detail.not_forwarded')}{' '}
          {r.forwardingLate ? <StatusBadge tone="bad">{t('dsr.forward_late')}</StatusBadge> : r.forwardedAt && <StatusBadge tone="ok">{t('dsr.detail.forward_on_time')}</StatusBadge>}
        </dd>
        <dt>{t('dsr.due_at')}</dt>
        <dd>
          {r.extendedDueAt ? (
            <>
              <s>{d(r.dueAt, false)}</s> {d(r.extendedDueAt, false)} — {t('dsr.extended')} : {r.extensionReason}
            </>
          ) : (
            d(r.dueAt, false)
          )}{' '}
          <StatusBadge tone={URGENCY_TONE[r.urgency]}>{t(`dsr.urgency.${r.urgency}`)}</StatusBadge>
        </dd>
        {r.closedAt && (
          <>
            <dt>{t('dsr.detail.closed')}</dt>
            <dd>
              {d(r.closedAt)} · {r.outcome && t(`dsr.outcome.${r.outcome}`)} {r.outcomeNote && `— ${r.outcomeNote}`}
            </dd>
          </>
        )}
      </dl>
    </Section>
  )
}

export function Requester({ data: { r } }: { data: RequestData }) {
  const t = useT()
  return (
    <Section title={t('dsr.detail.requester')}>
      <dl>
        <dt>{t('dsr.detail.requester_name')}</dt>
        <dd>
          {r.requesterName ?? '—'} · {r.requesterEmail} · {t.or(`dsr.relation_third.${r.relation}`, r.relation ?? '—')}
        </dd>
        <dt>{t('dsr.detail.subject_named')}</dt>
        <dd>
          {r.subjectName ?? '—'} {r.subjectBirthDate && `(${r.subjectBirthDate})`}
        </dd>
        <dt>{t('dsr.form.message')}</dt>
        <dd className="pre-wrap">{r.message ?? '—'}</dd>
      </dl>
      <p className="hint">{t('dsr.detail.processor_note')}</p>
    </Section>
  )
}

export function History({ data: { events } }: { data: RequestData }) {
  const t = useT()
  const [form, fields] = useCarnetForm(schema, { intent: 'note' })
  const busy = useNavigation().state !== 'idle'
  return (
    <Section title={t('dsr.detail.history')}>
      <ol>
        {events.map((e) => (
          <li key={e.id}>
            {formatDate(t.lang, e.at, true)} — {t(`dsr.event.${e.kind}`)}
            {e.actor && ` · ${e.actor}`}
            {e.note && <span className="muted"> — {e.note}</span>}
          </li>
        ))}
      </ol>
      <Form method="post" className="actions" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="note" />
        <Field meta={fields.note} label={t('dsr.detail.note')} />
        <button type="submit" className="secondary" disabled={busy}>
          {t('dsr.detail.note_submit')}
        </button>
      </Form>
    </Section>
  )
}

// "The class's families were informed": the records so far, and the form that adds one (when,
// how, with which notice — its text readable before recording).
import { getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { INFORM_CHANNEL_OPTIONS } from '~/models/families/constants'
import { Field, Section, SelectField, StatusBadge, useCarnetForm } from '~/ui/kit'
import { schema } from './intents'

type Informed = { seq: number; informedOn: string | null; recordedAt: string; channel: string; noticeId: string | null; by: string | null; forClass: boolean }
type NoticeText = { id: string; publishedOn: string; text: { purpose: string; access: string; categories: string } }

export function InformedSection({ informed, notices, notice, today, mayRecord }: { informed: Informed[]; notices: NoticeText[]; notice: NoticeText | undefined; today: string; mayRecord: boolean }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'informed', defaultValue: { intent: 'informed', informedOn: today, channel: 'letter', noticeId: notice?.id } })
  return (
    <Section title={t('families.auth.informed_title')}>
      {informed.length === 0 ? (
        <p>
          <StatusBadge tone="warn">{t('families.auth.informed_none')}</StatusBadge>
        </p>
      ) : (
        <ul>
          {informed.map((i) => (
            <li key={i.seq}>
              {t('families.auth.informed_item', {
                date: i.informedOn ? formatDate(t.lang, `${i.informedOn}T12:00:00Z`) : formatDate(t.lang, i.recordedAt),
                channel: t.or(`dpo.method.${i.channel}`, i.channel),
                notice: i.noticeId ?? '—',
                by: i.by ?? '—',
              })}
              {!i.forClass && <span className="muted"> ({t('families.auth.school_wide')})</span>}
            </li>
          ))}
        </ul>
      )}
      {mayRecord && notice && (
        <Form method="post" className="card subtle" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="informed" />
          <div className="inline-fields">
            <Field meta={fields.informedOn} type="date" label={t('families.auth.informed_on')} max={today} />
            <SelectField meta={fields.channel} label={t('families.auth.channel')}>
              {INFORM_CHANNEL_OPTIONS.map((c) => (
                <option key={c} value={c}>
                  {t(`dpo.method.${c}`)}
                </option>
              ))}
            </SelectField>
            <SelectField meta={fields.noticeId} label={t('families.auth.notice')}>
              {notices.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.id}
                </option>
              ))}
            </SelectField>
          </div>
          <details>
            <summary>{t('families.auth.notice_text', { id: notice.id })}</summary>
            <dl>
              <dt>
                <strong>{t('families.auth.notice_purpose')}</strong>
              </dt>
              <dd>{notice.text.purpose}</dd>
              <dt>
                <strong>{t('families.auth.notice_access')}</strong>
              </dt>
              <dd>{notice.text.access}</dd>
              <dt>
                <strong>{t('families.auth.notice_categories')}</strong>
              </dt>
              <dd>{notice.text.categories}</dd>
            </dl>
          </details>
          <button type="submit" disabled={busy}>
            {t('families.auth.informed_submit')}
          </button>
        </Form>
      )}
    </Section>
  )
}

// A post-mortem request's handling screen (terms §8; Loi 78-17 art. 85): the directive
// (retention, erasure or disclosure after death, and the person appointed to carry it out),
// the check of that person (how, on which day, by whom), and its execution — which cannot be
// undone, so it says what will happen and wants the box ticked. Each step is in the history.
import { getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { IDENTITY_METHODS, POST_MORTEM_DIRECTIVES } from '~/privacy/rights-requests/constants'
import { CheckboxField, ChoiceField, ConfirmForm, Field, Notice, Section, SelectField, StatusBadge, TextareaField, useCarnetForm } from '~/ui/kit'
import type { RequestData } from './facts'
import { schema } from './intents'

export function PostMortemSection({ data }: { data: RequestData }) {
  const t = useT()
  const pm = data.postMortem
  if (!pm) return null
  const open = data.r.status !== 'closed'
  return (
    <Section title={t('dsr.post_mortem.title')}>
      <p className="hint">{t('dsr.post_mortem.hint')}</p>
      <Directive data={data} editable={open && !pm.verified} />
      <Appointee data={data} editable={open && !!pm.recorded && !pm.verified} />
      <Execution data={data} editable={open && !!pm.verified && !pm.executed} />
    </Section>
  )
}

type Pm = NonNullable<RequestData['postMortem']>

function Directive({ data, editable }: { data: RequestData; editable: boolean }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const d = (data.postMortem as Pm).recorded
  const [form, fields] = useCarnetForm(schema, {
    intent: 'directive',
    defaultValue: { intent: 'directive', directive: d?.directive ?? '', instructions: d?.instructions ?? '', appointedName: d?.appointedName ?? '', appointedContact: d?.appointedContact ?? '' },
  })
  return (
    <Section level={3} title={t('dsr.post_mortem.step_record')}>
      {d && (
        <dl>
          <dt>{t('dsr.post_mortem.directive')}</dt>
          <dd>{t(`dsr.post_mortem.kind.${d.directive}`)}</dd>
          {d.instructions && (
            <>
              <dt>{t('dsr.post_mortem.instructions')}</dt>
              <dd className="pre-wrap">{d.instructions}</dd>
            </>
          )}
          <dt>{t('dsr.post_mortem.appointed_name')}</dt>
          <dd>{d.appointedName}</dd>
          <dt>{t('dsr.post_mortem.appointed_contact')}</dt>
          <dd>{d.appointedContact}</dd>
        </dl>
      )}
      {d && <p className="hint">{t('dsr.post_mortem.recorded_by', { date: formatDate(t.lang, d.at, true), name: d.by ?? '—' })}</p>}
      {editable && (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="directive" />
          {d && <p className="hint">{t('dsr.post_mortem.amend_hint')}</p>}
          <ChoiceField meta={fields.directive} legend={t('dsr.post_mortem.directive')} options={POST_MORTEM_DIRECTIVES.map((k) => ({ value: k, label: t(`dsr.post_mortem.kind.${k}`) }))} />
          <TextareaField meta={fields.instructions} label={t('dsr.post_mortem.instructions')} rows={3} />
          <Field meta={fields.appointedName} label={t('dsr.post_mortem.appointed_name')} autoComplete="off" />
          <Field meta={fields.appointedContact} label={t('dsr.post_mortem.appointed_contact')} autoComplete="off" />
          <button type="submit" className={d ? 'secondary' : undefined} disabled={busy}>
            {t('dsr.post_mortem.record_submit')}
          </button>
        </Form>
      )}
    </Section>
  )
}

function Appointee({ data, editable }: { data: RequestData; editable: boolean }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const pm = data.postMortem as Pm
  const v = pm.verified
  const [form, fields] = useCarnetForm(schema, { intent: 'appointee', defaultValue: { intent: 'appointee', verifiedOn: pm.today } })
  return (
    <Section level={3} title={t('dsr.post_mortem.step_verify')}>
      {v ? (
        <p>
          {t('dsr.post_mortem.verified', { day: formatDate(t.lang, `${v.on}T12:00:00Z`), method: t.or(`dsr.identity.${v.method}`, v.method ?? '—'), name: v.by ?? '—' })}
          {v.note && <span className="muted"> — {v.note}</span>}
        </p>
      ) : editable ? (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="appointee" />
          <p className="hint">{t('dsr.post_mortem.verify_hint')}</p>
          <SelectField meta={fields.method} label={t('dsr.post_mortem.verify_method')}>
            <option value="">{t('dsr.form.choose')}</option>
            {IDENTITY_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`dsr.identity.${m}`)}
              </option>
            ))}
          </SelectField>
          <Field meta={fields.verifiedOn} type="date" label={t('dsr.post_mortem.verified_on')} max={pm.today} />
          <Field meta={fields.note} label={t('dsr.post_mortem.verify_note')} />
          <button type="submit" disabled={busy}>
            {t('dsr.post_mortem.verify_submit')}
          </button>
        </Form>
      ) : (
        <p>{pm.recorded ? t('dsr.post_mortem.not_yet') : t('dsr.post_mortem.record_first')}</p>
      )}
    </Section>
  )
}

function Execution({ data, editable }: { data: RequestData; editable: boolean }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const pm = data.postMortem as Pm
  const d = pm.recorded
  const x = pm.executed
  const [form, fields] = useCarnetForm(schema, { intent: 'execute' })
  let body
  const link = data.packageLink
  if (x)
    body = (
      <>
        <p>
          {t('dsr.post_mortem.executed', { date: formatDate(t.lang, x.at, true), name: x.by ?? '—' })}
          {x.note && <span className="muted"> — {x.note}</span>}
        </p>
        {link && (
          <p>
            <StatusBadge tone={link.state === 'available' ? 'ok' : 'neutral'}>{t(`dsr.link.state.${link.state}`)}</StatusBadge>{' '}
            {t('dsr.detail.release_state', {
              released: formatDate(t.lang, link.releasedAt, true),
              state: t(`dsr.link.state.${link.state}`),
              expires: formatDate(t.lang, link.expiresAt, true),
              left: link.downloadsLeft,
              max: link.maxDownloads,
            })}
          </p>
        )}
      </>
    )
  else if (!editable || !d) body = <p>{pm.verified ? t('dsr.post_mortem.not_yet') : t('dsr.post_mortem.verify_first')}</p>
  else if (d.directive === 'erasure' && !data.subject) body = <Notice>{t('dsr.post_mortem.subject_first')}</Notice>
  else {
    const will =
      d.directive === 'erasure'
        ? t('dsr.post_mortem.will_erasure', { name: data.subject?.name ?? '' })
        : d.directive === 'disclosure'
          ? t('dsr.post_mortem.will_disclosure', { appointed: d.appointedName })
          : t('dsr.post_mortem.will_retention')
    const cancel = d.directive !== 'erasure' ? t('dsr.post_mortem.no_cancel') : data.graceHours ? t('dsr.detail.erasure_cancel', { hours: data.graceHours }) : t('dsr.detail.erasure_no_cancel')
    body = (
      <ConfirmForm
        intent="execute"
        formProps={getFormProps(form)}
        consequences={[will, t('dsr.post_mortem.will_once')]}
        cancelWindow={cancel}
        confirmation={
          <>
            {d.directive === 'disclosure' && (
              <CheckboxField
                meta={fields.release}
                value="yes"
                label={t('dsr.post_mortem.release', { email: data.r.requesterEmail })}
                hint={data.r.identityVerifiedAt ? t('dsr.detail.release_what_limits', { days: data.release.days, n: data.release.downloads }) : t('dsr.post_mortem.release_identity_first')}
              />
            )}
            <TextareaField meta={fields.note} label={t('dsr.post_mortem.execute_note')} rows={3} />
            <CheckboxField meta={fields.confirm} value="yes" label={t('ui.confirm.irreversible')} />
          </>
        }
        submit={t('dsr.post_mortem.execute_submit')}
        busy={busy}
      />
    )
  }
  return (
    <Section level={3} title={t('dsr.post_mortem.step_execute')}>
      {body}
    </Section>
  )
}

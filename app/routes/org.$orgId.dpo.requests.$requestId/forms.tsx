// The request page's forms, one section each: identity checked, subject named, the right's own
// action (package, rectification, restriction, objection, erasure), extension, closing, and the
// written instruction. Each is its own Conform form for one intent of the page's union.
import { getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { OBJECTION_PROCESSING } from '~/compliance/objection-kinds'
import { formatDate, useT } from '~/i18n'
import { DSR_OUTCOMES, IDENTITY_METHODS } from '~/privacy/rights-requests/constants'
import { CheckboxField, ConfirmForm, Field, Notice, Section, SelectField, StatusBadge, TextareaField, useCarnetForm } from '~/ui/kit'
import type { RequestData } from './facts'
import { schema } from './intents'

const useBusy = () => useNavigation().state !== 'idle'

export function IdentitySection({ data: { r } }: { data: RequestData }) {
  const t = useT()
  const busy = useBusy()
  const [form, fields] = useCarnetForm(schema, { intent: 'identity' })
  const open = r.status !== 'closed'
  return (
    <Section title={t('dsr.detail.identity')}>
      {r.identityVerifiedAt ? (
        <p>
          <StatusBadge tone="ok">{t('dsr.detail.identity_ok')}</StatusBadge> {formatDate(t.lang, r.identityVerifiedAt, true)} — {t.or(`dsr.identity.${r.identityMethod}`, r.identityMethod ?? '—')}
        </p>
      ) : open ? (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="identity" />
          <p className="hint">{t('dsr.detail.identity_hint')}</p>
          <SelectField meta={fields.method} label={t('dsr.detail.identity_method')}>
            <option value="">{t('dsr.form.choose')}</option>
            {IDENTITY_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`dsr.identity.${m}`)}
              </option>
            ))}
          </SelectField>
          <Field meta={fields.note} label={t('dsr.detail.identity_note')} />
          <button type="submit" disabled={busy}>
            {t('dsr.detail.identity_submit')}
          </button>
        </Form>
      ) : (
        <p>{t('dsr.detail.identity_none')}</p>
      )}
    </Section>
  )
}

export function SubjectSection({ data: { r, subject, candidates, erased } }: { data: RequestData }) {
  const t = useT()
  const busy = useBusy()
  const [form, fields] = useCarnetForm(schema, { intent: 'subject' })
  return (
    <Section title={t('dsr.detail.subject')}>
      {erased ? (
        <p>
          {erased.at ? t('dsr.detail.subject_erased', { date: formatDate(t.lang, erased.at, false) }) : t('dsr.detail.subject_erased_undated')}{' '}
          <span className="hint">{t('dsr.detail.subject_erased_reference', { reference: erased.reference })}</span>
        </p>
      ) : subject ? (
        <p>
          <strong>{subject.name}</strong> {subject.birthDate && `· ${subject.birthDate}`} {subject.classes.length > 0 && `· ${subject.classes.join(', ')}`}{' '}
          {subject.restrictedAt && <StatusBadge tone="warn">{t('dsr.detail.restricted_since', { date: formatDate(t.lang, subject.restrictedAt, false) })}</StatusBadge>}
        </p>
      ) : r.status !== 'closed' ? (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="subject" />
          <p className="hint">{t('dsr.detail.subject_hint')}</p>
          <SelectField meta={fields.subjectId} label={t('dsr.detail.subject_pick')}>
            <option value="">{t('dsr.form.choose')}</option>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </SelectField>
          <button type="submit" disabled={busy}>
            {t('dsr.detail.subject_submit')}
          </button>
        </Form>
      ) : (
        <p>—</p>
      )}
    </Section>
  )
}

/** What the right asks for, once identity and subject are known. */
export function ActSection({ data }: { data: RequestData }) {
  const { r, subject, graceHours } = data
  const t = useT()
  const busy = useBusy()
  const [rectifyForm, rectifyFields] = useCarnetForm(schema, {
    intent: 'rectify',
    defaultValue: { intent: 'rectify', firstName: subject?.firstName ?? '', lastName: subject?.lastName ?? '', birthDate: subject?.birthDate ?? '' },
  })
  const [restrictForm, restrictFields] = useCarnetForm(schema, { intent: 'restrict' })
  const [objectionForm, objectionFields] = useCarnetForm(schema, { intent: 'objection' })
  if (!r.identityVerifiedAt || !subject)
    return (
      <Section title={t('dsr.detail.act')}>
        <Notice>{t('dsr.detail.act_first')}</Notice>
      </Section>
    )
  return (
    <Section title={t('dsr.detail.act')}>
      {(r.kind === 'access' || r.kind === 'portability') && <PackageRelease data={data} busy={busy} />}
      {r.kind === 'rectification' && (
        <Form method="post" className="card" {...getFormProps(rectifyForm)}>
          <input type="hidden" name="intent" value="rectify" />
          <h3>{t('dsr.detail.rectify')}</h3>
          <Field meta={rectifyFields.firstName} label={t('dsr.form.subject_first_name')} />
          <Field meta={rectifyFields.lastName} label={t('dsr.form.subject_last_name')} />
          <Field meta={rectifyFields.birthDate} type="date" label={t('dsr.form.subject_birth_date')} />
          <button type="submit" disabled={busy}>
            {t('dsr.detail.rectify_submit')}
          </button>
        </Form>
      )}
      {(r.kind === 'restriction' || subject.restrictedAt) &&
        (subject.restrictedAt ? (
          <Form method="post" className="card">
            <h3>{t('dsr.detail.restrict')}</h3>
            <p className="hint">{t('dsr.detail.restrict_hint')}</p>
            <button type="submit" name="intent" value="lift" className="secondary" disabled={busy}>
              {t('dsr.detail.lift')}
            </button>
          </Form>
        ) : (
          <Form method="post" className="card" {...getFormProps(restrictForm)}>
            <input type="hidden" name="intent" value="restrict" />
            <h3>{t('dsr.detail.restrict')}</h3>
            <p className="hint">{t('dsr.detail.restrict_hint')}</p>
            <Field meta={restrictFields.reason} label={t('dsr.detail.restrict_reason')} />
            <button type="submit" disabled={busy}>
              {t('dsr.detail.restrict_submit')}
            </button>
          </Form>
        ))}
      {r.kind === 'objection' && (
        <Form method="post" className="card" {...getFormProps(objectionForm)}>
          <input type="hidden" name="intent" value="objection" />
          <h3>{t('dsr.detail.objection')}</h3>
          <SelectField meta={objectionFields.processing} label={t('dsr.detail.objection_processing')}>
            <option value="">{t('dsr.form.choose')}</option>
            {OBJECTION_PROCESSING.map((p) => (
              <option key={p} value={p}>
                {t(`dsr.processing.${p}`)}
              </option>
            ))}
          </SelectField>
          <Field meta={objectionFields.note} label={t('dsr.detail.note')} />
          <button type="submit" disabled={busy}>
            {t('dsr.detail.objection_submit')}
          </button>
        </Form>
      )}
      {r.kind === 'erasure' && (
        <div className="card">
          <h3>{t('dsr.detail.erasure')}</h3>
          <p className="hint">{t('dsr.detail.erasure_hint')}</p>
          {r.erasurePendingAt ? (
            <p>
              <StatusBadge tone="warn">{t('dsr.detail.erasure_pending', { date: formatDate(t.lang, r.erasurePendingAt, true) })}</StatusBadge>
            </p>
          ) : (
            <ConfirmForm
              intent="erasure"
              consequences={[t('dsr.detail.erasure_will', { name: subject.name }), t('dsr.detail.erasure_kept')]}
              cancelWindow={graceHours ? t('dsr.detail.erasure_cancel', { hours: graceHours }) : t('dsr.detail.erasure_no_cancel')}
              submit={t('dsr.detail.erasure_submit')}
              busy={busy}
            />
          )}
        </div>
      )}
    </Section>
  )
}

export function ExtendSection({ data: { r } }: { data: RequestData }) {
  const t = useT()
  const busy = useBusy()
  const [form, fields] = useCarnetForm(schema, { intent: 'extend', defaultValue: { intent: 'extend', months: '2' } })
  return (
    <Section title={t('dsr.detail.extend')}>
      {r.extendedDueAt ? (
        <p>{t('dsr.detail.extended_once')}</p>
      ) : (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="extend" />
          <p className="hint">{t('dsr.detail.extend_hint')}</p>
          <SelectField meta={fields.months} label={t('dsr.detail.extend_months')}>
            <option value="1">{t('dsr.detail.months', { n: 1 })}</option>
            <option value="2">{t('dsr.detail.months', { n: 2 })}</option>
          </SelectField>
          <TextareaField meta={fields.reason} label={t('dsr.detail.extend_reason')} rows={3} />
          <button type="submit" className="secondary" disabled={busy}>
            {t('dsr.detail.extend_submit')}
          </button>
        </Form>
      )}
    </Section>
  )
}

export function CloseSection({ data: { r } }: { data: RequestData }) {
  const t = useT()
  const busy = useBusy()
  const [form, fields] = useCarnetForm(schema, { intent: 'close' })
  return (
    <Section title={t('dsr.detail.close')}>
      <ConfirmForm
        intent="close"
        formProps={getFormProps(form)}
        consequences={[t('dsr.detail.close_hint'), t('dsr.detail.close_final')]}
        cancelWindow={t('dsr.detail.close_no_cancel')}
        confirmation={
          <>
            <SelectField meta={fields.outcome} label={t('dsr.detail.outcome')}>
              <option value="">{t('dsr.form.choose')}</option>
              {DSR_OUTCOMES.filter((o) => o !== 'pending_erasure' || r.erasurePendingAt).map((o) => (
                <option key={o} value={o}>
                  {t(`dsr.outcome.${o}`)}
                </option>
              ))}
            </SelectField>
            <TextareaField meta={fields.note} label={t('dsr.detail.close_note')} rows={3} />
            <CheckboxField meta={fields.confirm} value="yes" label={t('ui.confirm.irreversible')} />
          </>
        }
        submit={t('dsr.detail.close_submit')}
        busy={busy}
      />
    </Section>
  )
}

export function InstructionSection({ data: { r } }: { data: RequestData }) {
  const t = useT()
  const busy = useBusy()
  const [form, fields] = useCarnetForm(schema, { intent: 'instruction' })
  return (
    <Section title={t('dsr.detail.instruction')}>
      {r.instructionRef ? (
        <p>{t('dsr.detail.instruction_recorded', { ref: r.instructionRef })}</p>
      ) : r.status !== 'closed' ? (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="instruction" />
          <p className="hint">{t('dsr.detail.instruction_hint')}</p>
          <Field meta={fields.reference} label={t('dsr.detail.instruction_ref')} />
          <button type="submit" className="secondary" disabled={busy}>
            {t('dsr.detail.instruction_submit')}
          </button>
        </Form>
      ) : (
        <p>{t('dsr.detail.instruction_none')}</p>
      )}
    </Section>
  )
}

/** The access package: handed to the requester through an emailed link (confirmed first), and the DPO's own copy for review. */
function PackageRelease({ data: { orgId, r, packageLink, release }, busy }: { data: RequestData; busy: boolean }) {
  const t = useT()
  const d = (v: string) => formatDate(t.lang, v, true)
  return (
    <div className="card">
      <h3>{t('dsr.detail.release')}</h3>
      <p className="hint">{t('dsr.detail.release_hint')}</p>
      {packageLink && (
        <p>
          <StatusBadge tone={packageLink.state === 'available' ? 'ok' : 'neutral'}>{t(`dsr.link.state.${packageLink.state}`)}</StatusBadge>{' '}
          {t('dsr.detail.release_state', {
            released: d(packageLink.releasedAt),
            state: t(`dsr.link.state.${packageLink.state}`),
            expires: d(packageLink.expiresAt),
            left: packageLink.downloadsLeft,
            max: packageLink.maxDownloads,
          })}
        </p>
      )}
      <ConfirmForm
        intent="release"
        open={packageLink ? t('dsr.detail.release_again') : undefined}
        consequences={[
          t('dsr.detail.release_what_mail', { email: r.requesterEmail }),
          t('dsr.detail.release_what_limits', { days: release.days, n: release.downloads }),
          ...(packageLink ? [t('dsr.detail.release_what_revoke')] : []),
          t('dsr.detail.release_what_erased'),
        ]}
        confirmLabel={t('dsr.detail.release_confirm')}
        submit={packageLink ? t('dsr.detail.release_again') : t('dsr.detail.release_submit')}
        busy={busy}
      />
      <Form method="post" action={`/org/${orgId}/dpo/requests/${r.id}/package`} reloadDocument>
        <p className="hint">
          {t('dsr.detail.package_review')} {t('dsr.detail.package_hint')}
        </p>
        <button type="submit" className="secondary">
          {t('dsr.detail.package_build')}
        </button>
      </Form>
    </div>
  )
}

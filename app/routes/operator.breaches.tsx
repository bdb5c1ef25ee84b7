import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { addBreachInfo, operatorBreaches, recordBreach } from '~/privacy/breaches/register.server'
import { allOrganizations } from '~/privacy/rights-requests/queries.server'
import { fromParis } from '~/compliance/calendar.server'
import { isUuid } from '~/ui/http.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — opérateur : registre des violations' }]
// The processor's breach register (DPA §10.2): record a breach, notify the affected
// organizations at once, add information in phases. Platform operator only.
export const handle = { access: { allow: [], note: 'platform operator only' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const list = await operatorBreaches(ctx.db)
  const orgs = await allOrganizations(ctx.db)
  return {
    orgs,
    list: list.map((b) => ({
      id: b.id,
      reference: b.reference,
      nature: b.nature,
      detectedAt: b.detectedAt.toISOString(),
      recordedAt: b.recordedAt.toISOString(),
      approxSubjects: b.approxSubjects,
      approxRecords: b.approxRecords,
      orgs: b.orgs.map((o) => ({ id: o.orgId, name: o.orgName, informedAt: o.informedAt.toISOString(), recipients: o.recipients, authorityNotifiedAt: o.authorityNotifiedAt?.toISOString() ?? null })),
      updates: b.updates.map((u) => ({ id: u.id, at: u.at.toISOString(), text: u.text })),
    })),
  }
}

const num = (v: string) => (v === '' ? null : Number(v))
function parisLocal(v: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v)
  return m ? fromParis(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!) : new Date(NaN)
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const form = await request.formData()
  const s = (k: string) => String(form.get(k) ?? '').trim()
  try {
    if (s('intent') === 'info') {
      if (!isUuid(s('breachId'))) return errorReply(new DomainError('form.invalid_field'), ctx.lang)
      await addBreachInfo(ctx.db, { breachId: s('breachId'), orgId: null, by: ctx.user.id, text: s('text'), origin: ctx.origin })
      return successReply(translate(ctx.lang, 'retention.breach.info_sent'))
    }
    if (s('intent') === 'record') {
      const b = await recordBreach(ctx.db, {
        nature: s('nature'),
        detectedAt: parisLocal(s('detectedAt')),
        subjectCategories: s('subjectCategories'),
        approxSubjects: num(s('approxSubjects')),
        recordCategories: s('recordCategories'),
        approxRecords: num(s('approxRecords')),
        consequences: s('consequences'),
        measures: s('measures'),
        orgIds: form.getAll('orgIds').map(String).filter(isUuid),
        by: ctx.user.id,
        origin: ctx.origin,
      })
      return successReply(translate(ctx.lang, 'retention.breach.recorded', { reference: b.reference }))
    }
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
  return errorReply(new DomainError('form.invalid_field'), ctx.lang)
}

export default function OperatorBreachesPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const area = (name: string, label: string) => (
    <div className="field">
      <label htmlFor={`b-${name}`}>{label}</label>
      <textarea id={`b-${name}`} name={name} rows={2} required />
    </div>
  )
  return (
    <div className="container">
      <h1>{t('retention.breach.operator_title')}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <section className="card" aria-labelledby="new-title">
        <h2 id="new-title">{t('retention.breach.new')}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="record" />
          {area('nature', t('retention.breach.f.nature'))}
          <div className="field">
            <label htmlFor="b-detectedAt">{t('retention.breach.f.detected')}</label>
            <input id="b-detectedAt" name="detectedAt" type="datetime-local" required />
          </div>
          {area('subjectCategories', t('retention.breach.f.subject_categories'))}
          <div className="field">
            <label htmlFor="b-approxSubjects">{t('retention.breach.f.approx_subjects')}</label>
            <input id="b-approxSubjects" name="approxSubjects" type="number" min={0} />
          </div>
          {area('recordCategories', t('retention.breach.f.record_categories'))}
          <div className="field">
            <label htmlFor="b-approxRecords">{t('retention.breach.f.approx_records')}</label>
            <input id="b-approxRecords" name="approxRecords" type="number" min={0} />
          </div>
          {area('consequences', t('retention.breach.f.consequences'))}
          {area('measures', t('retention.breach.f.measures'))}
          <fieldset>
            <legend>{t('retention.breach.f.orgs')}</legend>
            {d.orgs.map((o) => (
              <label key={o.id} className="checkbox">
                <input type="checkbox" name="orgIds" value={o.id} /> {o.name} <small className="muted">({t(`kind.${o.kind}`)})</small>
              </label>
            ))}
          </fieldset>
          <button type="submit">{t('retention.breach.record_and_notify')}</button>
        </Form>
      </section>
      {d.list.map((b) => (
        <section key={b.id} className="card" aria-labelledby={`b-${b.id}`}>
          <h2 id={`b-${b.id}`}>
            {b.reference} — {b.nature}
          </h2>
          <p className="hint">
            {t('retention.breach.f.detected')} {formatDate(t.lang, b.detectedAt, true)} · {t('retention.breach.recorded_at', { at: formatDate(t.lang, b.recordedAt, true) })}
          </p>
          <ul>
            {b.orgs.map((o) => (
              <li key={o.id}>
                {o.name} — {t('retention.breach.org_informed', { at: formatDate(t.lang, o.informedAt, true), n: o.recipients })}{' '}
                {o.authorityNotifiedAt ? (
                  <span className="badge ok">{t('retention.breach.org_notified', { at: formatDate(t.lang, o.authorityNotifiedAt, true) })}</span>
                ) : (
                  <span className="badge warn">{t('retention.breach.not_yet')}</span>
                )}
              </li>
            ))}
          </ul>
          {b.updates.length > 0 && (
            <ul>
              {b.updates.map((u) => (
                <li key={u.id}>
                  {formatDate(t.lang, u.at, true)} — {u.text}
                </li>
              ))}
            </ul>
          )}
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="info" />
            <input type="hidden" name="breachId" value={b.id} />
            <label htmlFor={`info-${b.id}`}>{t('retention.breach.add_info')}</label>
            <input id={`info-${b.id}`} name="text" required />
            <button type="submit" className="secondary">
              {t('retention.breach.send_info')}
            </button>
          </Form>
        </section>
      ))}
    </div>
  )
}

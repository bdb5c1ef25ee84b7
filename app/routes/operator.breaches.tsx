import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DomainError } from '~/errors.server'
import { addBreachInfo, operatorBreaches, recordBreach } from '~/privacy/breaches/register.server'
import { operatorBreachInfoSchema, recordBreachSchema } from '~/privacy/breaches/breach.schema'
import { allOrganizations } from '~/privacy/rights-requests/queries.server'
import { fromParisLocal } from '~/compliance/calendar.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ChoiceField, Field, FormNotice, PageHeader, plainField, Section, StatusBadge, TextareaField, useCarnetForm, type FormResult } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.op_breaches')
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

// The page's forms: record a breach, or add information to one.
const schema = z.discriminatedUnion('intent', [recordBreachSchema.extend({ intent: z.literal('record') }), operatorBreachInfoSchema.extend({ intent: z.literal('info') })])

/** The field a refusal of recordBreach is about. */
function fieldOf(e: unknown): string | undefined {
  if (!(e instanceof DomainError)) return undefined
  if (e.code === 'retention.breach.field_required') return String(e.vars?.field ?? '') || undefined
  const fields: Record<string, string> = { 'retention.breach.detected_invalid': 'detectedAt', 'retention.breach.orgs_required': 'orgIds' }
  return fields[e.code]
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    if (v.intent === 'info') {
      await addBreachInfo(ctx.db, { breachId: v.breachId, orgId: null, by: ctx.user.id, text: v.text, origin: ctx.origin })
      return form.success(translate(ctx.lang, 'retention.breach.info_sent'))
    }
    const b = await recordBreach(ctx.db, {
      nature: v.nature,
      detectedAt: fromParisLocal(v.detectedAt) ?? new Date(NaN),
      subjectCategories: v.subjectCategories,
      approxSubjects: v.approxSubjects ?? null,
      recordCategories: v.recordCategories,
      approxRecords: v.approxRecords ?? null,
      consequences: v.consequences,
      measures: v.measures,
      orgIds: v.orgIds,
      by: ctx.user.id,
      origin: ctx.origin,
    })
    return form.success(translate(ctx.lang, 'retention.breach.recorded', { reference: b.reference }))
  } catch (e) {
    return form.error(e, v.intent === 'record' ? fieldOf(e) : 'text')
  }
}

type Breach = Awaited<ReturnType<typeof loader>>['list'][number]

/** One breach's "add information" form; the server's answer about it shows on its field. */
function InfoForm({ b }: { b: Breach }) {
  const t = useT()
  const result = useActionData() as FormResult | undefined
  const mine = result?.for === 'info' && result.initialValue?.breachId === b.id
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="intent" value="info" />
      <input type="hidden" name="breachId" value={b.id} />
      <Field meta={plainField('text', { id: `info-${b.id}`, required: true, error: mine ? result.error?.text?.join(' ') : null })} label={t('retention.breach.add_info')} />
      <button type="submit" className="secondary">
        {t('retention.breach.send_info')}
      </button>
    </Form>
  )
}

export default function OperatorBreachesPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const [form, fields] = useCarnetForm(schema, { intent: 'record' })
  return (
    <div className="container">
      <PageHeader title={t('retention.breach.operator_title')} />
      <FormNotice />
      <Section title={t('retention.breach.new')}>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="record" />
          <TextareaField meta={fields.nature} label={t('retention.breach.f.nature')} rows={2} />
          <Field meta={fields.detectedAt} type="datetime-local" label={t('retention.breach.f.detected')} />
          <TextareaField meta={fields.subjectCategories} label={t('retention.breach.f.subject_categories')} rows={2} />
          <Field meta={fields.approxSubjects} type="number" min={0} label={t('retention.breach.f.approx_subjects')} />
          <TextareaField meta={fields.recordCategories} label={t('retention.breach.f.record_categories')} rows={2} />
          <Field meta={fields.approxRecords} type="number" min={0} label={t('retention.breach.f.approx_records')} />
          <TextareaField meta={fields.consequences} label={t('retention.breach.f.consequences')} rows={2} />
          <TextareaField meta={fields.measures} label={t('retention.breach.f.measures')} rows={2} />
          <ChoiceField
            meta={fields.orgIds}
            type="checkbox"
            legend={t('retention.breach.f.orgs')}
            options={d.orgs.map((o) => ({
              value: o.id,
              label: (
                <>
                  {o.name} <small className="muted">({t(`kind.${o.kind}`)})</small>
                </>
              ),
            }))}
          />
          <button type="submit">{t('retention.breach.record_and_notify')}</button>
        </Form>
      </Section>
      {d.list.map((b) => (
        <Section key={b.id} title={`${b.reference} — ${b.nature}`}>
          <p className="hint">
            {t('retention.breach.f.detected')} {formatDate(t.lang, b.detectedAt, true)} · {t('retention.breach.recorded_at', { at: formatDate(t.lang, b.recordedAt, true) })}
          </p>
          <ul>
            {b.orgs.map((o) => (
              <li key={o.id}>
                {o.name} — {t('retention.breach.org_informed', { at: formatDate(t.lang, o.informedAt, true), n: o.recipients })}{' '}
                {o.authorityNotifiedAt ? (
                  <StatusBadge tone="ok">{t('retention.breach.org_notified', { at: formatDate(t.lang, o.authorityNotifiedAt, true) })}</StatusBadge>
                ) : (
                  <StatusBadge tone="warn">{t('retention.breach.not_yet')}</StatusBadge>
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
          <InfoForm b={b} />
        </Section>
      ))}
    </div>
  )
}

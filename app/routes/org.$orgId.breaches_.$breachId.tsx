import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DomainError } from '~/errors.server'
import { breachInfoSchema, controllerStepsSchema } from '~/privacy/breaches/breach.schema'
import { SUBJECTS_INFORMED } from '~/privacy/breaches/constants'
import { addBreachInfo, breachForOrg, markBreachNotificationsRead, recordControllerSteps } from '~/privacy/breaches/register.server'
import { fromParisLocal, toParisLocal } from '~/compliance/calendar.server'
import { isUuid } from '~/ui/http.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, PageHeader, Section, SelectField, StatusBadge, TextareaField, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.breach')
// One breach as this organization received it: the Art. 33(3) contents, the phases, the
// controller's 72-hour clock, its own steps (authority notified, data subjects informed), the PDF.
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA', breachId: 'token' }, note: '404 for an unknown breach' } satisfies RouteAccess }

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'PrivacyArea', { orgId })
  const breachId = params.breachId ?? ''
  if (!isUuid(breachId)) throw new Response('Not found', { status: 404 })
  try {
    return { ctx, orgId, b: await breachForOrg(ctx.db, orgId, breachId) }
  } catch (e) {
    if (e instanceof DomainError) throw new Response('Not found', { status: 404 })
    throw e
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, orgId, b } = await load(request, params)
  await markBreachNotificationsRead(ctx.db, { userId: ctx.user.id, breachId: b.id })
  const iso = (d: Date | null) => d?.toISOString() ?? null
  return {
    orgId,
    b: {
      id: b.id,
      reference: b.reference,
      nature: b.nature,
      detectedAt: iso(b.detectedAt)!,
      subjectCategories: b.subjectCategories,
      approxSubjects: b.approxSubjects,
      recordCategories: b.recordCategories,
      approxRecords: b.approxRecords,
      consequences: b.consequences,
      measures: b.measures,
    },
    org: {
      informedAt: iso(b.org.informedAt)!,
      authorityNotifiedAt: iso(b.org.authorityNotifiedAt),
      authorityReference: b.org.authorityReference,
      subjectsInformed: b.org.subjectsInformed,
      subjectsInformedAt: iso(b.org.subjectsInformedAt),
    },
    // The steps form's values, as datetime-local inputs show them (Paris wall clock).
    steps: {
      notifiedAt: toParisLocal(b.org.authorityNotifiedAt),
      reference: b.org.authorityReference ?? '',
      subjectsInformed: b.org.subjectsInformed ?? '',
      subjectsInformedAt: toParisLocal(b.org.subjectsInformedAt),
    },
    clock: { deadline: b.clock.deadline.toISOString(), state: b.clock.state, remainingMs: b.clock.remainingMs },
    updates: b.updates.map((u) => ({ id: u.id, at: u.at.toISOString(), mine: !!u.orgId, text: u.text })),
  }
}

// The page's forms: the controller's own steps, or information it adds.
const schema = z.discriminatedUnion('intent', [controllerStepsSchema.extend({ intent: z.literal('steps') }), breachInfoSchema.extend({ intent: z.literal('info') })])

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, orgId, b } = await load(request, params)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  try {
    if (v.intent === 'info') {
      await addBreachInfo(ctx.db, { breachId: b.id, orgId, by: ctx.user.id, text: v.text, origin: ctx.origin })
      return form.success(translate(ctx.lang, 'retention.breach.info_added'))
    }
    const steps = { notifiedAt: fromParisLocal(v.notifiedAt), reference: v.reference, subjectsInformed: v.subjectsInformed, subjectsInformedAt: fromParisLocal(v.subjectsInformedAt) }
    await recordControllerSteps(ctx.db, { breachId: b.id, orgId, by: ctx.user.id, origin: ctx.origin, steps })
    return form.success(translate(ctx.lang, 'retention.privacy.saved'), { keep: true })
  } catch (e) {
    return form.error(e, v.intent === 'info' ? 'text' : undefined)
  }
}

const CLOCK_TONE = { running: 'warn', notified_on_time: 'ok', notified_late: 'bad', overdue: 'bad' } as const

export default function BreachPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const [steps, stepFields] = useCarnetForm(schema, { intent: 'steps', defaultValue: { intent: 'steps', ...d.steps } })
  const [info, infoFields] = useCarnetForm(schema, { intent: 'info' })
  const approx = (v: number | null) => (v === null ? t('retention.breach.unknown') : `≈ ${v}`)
  const hours = Math.floor(d.clock.remainingMs / 3_600_000)
  const minutes = Math.floor((d.clock.remainingMs % 3_600_000) / 60_000)
  return (
    <div className="container">
      <p>
        <Link to={`/org/${d.orgId}/breaches`}>← {t('retention.breach.title')}</Link>
      </p>
      <PageHeader title={t('retention.breach.pdf_title', { reference: d.b.reference })} />
      <FormNotice />
      <Section title={t('retention.breach.clock_title')}>
        <p>
          {t('retention.breach.f.informed')} : {formatDate(t.lang, d.org.informedAt, true)} · {t('retention.breach.f.deadline')} : <strong>{formatDate(t.lang, d.clock.deadline, true)}</strong>
        </p>
        <p role="status">
          <StatusBadge tone={CLOCK_TONE[d.clock.state]}>{d.clock.state === 'running' ? t('retention.breach.time_left', { hours, minutes }) : t(`retention.breach.clock.${d.clock.state}`)}</StatusBadge>
        </p>
        <a className="button" href={`/org/${d.orgId}/breaches/${d.b.id}/pdf`} download>
          {t('retention.breach.download_pdf')}
        </a>
      </Section>
      <Section title={t('retention.breach.pdf_contents')}>
        <dl>
          <dt>{t('retention.breach.f.nature')}</dt>
          <dd>{d.b.nature}</dd>
          <dt>{t('retention.breach.f.detected')}</dt>
          <dd>{formatDate(t.lang, d.b.detectedAt, true)}</dd>
          <dt>{t('retention.breach.f.subjects')}</dt>
          <dd>
            {d.b.subjectCategories} ({approx(d.b.approxSubjects)})
          </dd>
          <dt>{t('retention.breach.f.records')}</dt>
          <dd>
            {d.b.recordCategories} ({approx(d.b.approxRecords)})
          </dd>
          <dt>{t('retention.breach.f.consequences')}</dt>
          <dd>{d.b.consequences}</dd>
          <dt>{t('retention.breach.f.measures')}</dt>
          <dd>{d.b.measures}</dd>
        </dl>
        {d.updates.length > 0 && (
          <>
            <h3>{t('retention.breach.pdf_phases')}</h3>
            <ul>
              {d.updates.map((u) => (
                <li key={u.id}>
                  {formatDate(t.lang, u.at, true)} — {t(u.mine ? 'retention.breach.source_controller' : 'retention.breach.source_processor')} : {u.text}
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
      <Section title={t('retention.breach.steps_title')}>
        <Form method="post" {...getFormProps(steps)}>
          <input type="hidden" name="intent" value="steps" />
          <Field meta={stepFields.notifiedAt} type="datetime-local" label={t('retention.breach.f.authority')} />
          <Field meta={stepFields.reference} label={t('retention.breach.authority_reference')} />
          <SelectField meta={stepFields.subjectsInformed} label={t('retention.breach.f.subjects_informed')}>
            <option value="">—</option>
            {SUBJECTS_INFORMED.map((v) => (
              <option key={v} value={v}>
                {t(`retention.breach.informed.${v}`)}
              </option>
            ))}
          </SelectField>
          <Field meta={stepFields.subjectsInformedAt} type="datetime-local" label={t('retention.breach.subjects_informed_at')} />
          <button type="submit">{t('retention.privacy.save')}</button>
        </Form>
      </Section>
      <Section title={t('retention.breach.add_info')}>
        <Form method="post" {...getFormProps(info)}>
          <input type="hidden" name="intent" value="info" />
          <TextareaField meta={infoFields.text} label={t('retention.breach.f.info')} rows={3} />
          <button type="submit" className="secondary">
            {t('retention.breach.add_info')}
          </button>
        </Form>
      </Section>
    </div>
  )
}

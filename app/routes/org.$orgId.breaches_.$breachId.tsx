import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { SUBJECTS_INFORMED } from '~/privacy/breaches/constants'
import { addBreachInfo, breachForOrg, markBreachNotificationsRead, recordControllerSteps } from '~/privacy/breaches/register.server'
import { fromParis } from '~/compliance/calendar.server'
import { isUuid } from '~/ui/http.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — violation de données' }]
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

/** A datetime-local value (Paris wall clock) → instant; null when empty or invalid. */
function parisLocal(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v)
  return m ? fromParis(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!) : null
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
    clock: { deadline: b.clock.deadline.toISOString(), state: b.clock.state, remainingMs: b.clock.remainingMs },
    updates: b.updates.map((u) => ({ id: u.id, at: u.at.toISOString(), mine: !!u.orgId, text: u.text })),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, orgId, b } = await load(request, params)
  const form = await request.formData()
  const s = (k: string) => String(form.get(k) ?? '').trim()
  try {
    if (s('intent') === 'steps') {
      const informed = s('subjectsInformed')
      await recordControllerSteps(ctx.db, {
        breachId: b.id,
        orgId,
        by: ctx.user.id,
        origin: ctx.origin,
        steps: {
          notifiedAt: parisLocal(s('notifiedAt')),
          reference: s('reference') || null,
          subjectsInformed: (SUBJECTS_INFORMED as readonly string[]).includes(informed) ? (informed as (typeof SUBJECTS_INFORMED)[number]) : null,
          subjectsInformedAt: parisLocal(s('subjectsInformedAt')),
        },
      })
      return successReply(translate(ctx.lang, 'retention.privacy.saved'))
    }
    if (s('intent') === 'info') {
      await addBreachInfo(ctx.db, { breachId: b.id, orgId, by: ctx.user.id, text: s('text'), origin: ctx.origin })
      return successReply(translate(ctx.lang, 'retention.breach.info_added'))
    }
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
  return errorReply(new DomainError('form.invalid_field'), ctx.lang)
}

const localValue = (iso: string | null) => {
  if (!iso) return ''
  const p = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  )
  return p.replace(' ', 'T')
}

export default function BreachPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const approx = (v: number | null) => (v === null ? t('retention.breach.unknown') : `≈ ${v}`)
  const hours = Math.floor(d.clock.remainingMs / 3_600_000)
  const minutes = Math.floor((d.clock.remainingMs % 3_600_000) / 60_000)
  return (
    <div className="container">
      <p>
        <Link to={`/org/${d.orgId}/breaches`}>← {t('retention.breach.title')}</Link>
      </p>
      <h1>{t('retention.breach.pdf_title', { reference: d.b.reference })}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <section className="card" aria-labelledby="clock-title">
        <h2 id="clock-title">{t('retention.breach.clock_title')}</h2>
        <p>
          {t('retention.breach.f.informed')} : {formatDate(t.lang, d.org.informedAt, true)} · {t('retention.breach.f.deadline')} : <strong>{formatDate(t.lang, d.clock.deadline, true)}</strong>
        </p>
        <p>
          <span className={`badge ${d.clock.state === 'running' ? 'warn' : d.clock.state === 'notified_on_time' ? 'ok' : 'bad'}`} role="status">
            {d.clock.state === 'running' ? t('retention.breach.time_left', { hours, minutes }) : t(`retention.breach.clock.${d.clock.state}`)}
          </span>
        </p>
        <a className="button" href={`/org/${d.orgId}/breaches/${d.b.id}/pdf`} download>
          {t('retention.breach.download_pdf')}
        </a>
      </section>
      <section className="card" aria-labelledby="contents-title">
        <h2 id="contents-title">{t('retention.breach.pdf_contents')}</h2>
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
      </section>
      <section className="card" aria-labelledby="steps-title">
        <h2 id="steps-title">{t('retention.breach.steps_title')}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="steps" />
          <div className="field">
            <label htmlFor="notifiedAt">{t('retention.breach.f.authority')}</label>
            <input id="notifiedAt" name="notifiedAt" type="datetime-local" defaultValue={localValue(d.org.authorityNotifiedAt)} />
          </div>
          <div className="field">
            <label htmlFor="reference">{t('retention.breach.authority_reference')}</label>
            <input id="reference" name="reference" defaultValue={d.org.authorityReference ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="subjectsInformed">{t('retention.breach.f.subjects_informed')}</label>
            <select id="subjectsInformed" name="subjectsInformed" defaultValue={d.org.subjectsInformed ?? ''}>
              <option value="">—</option>
              {SUBJECTS_INFORMED.map((v) => (
                <option key={v} value={v}>
                  {t(`retention.breach.informed.${v}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="subjectsInformedAt">{t('retention.breach.subjects_informed_at')}</label>
            <input id="subjectsInformedAt" name="subjectsInformedAt" type="datetime-local" defaultValue={localValue(d.org.subjectsInformedAt)} />
          </div>
          <button type="submit">{t('retention.privacy.save')}</button>
        </Form>
      </section>
      <section className="card" aria-labelledby="info-title">
        <h2 id="info-title">{t('retention.breach.add_info')}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="info" />
          <div className="field">
            <label htmlFor="text">{t('retention.breach.f.info')}</label>
            <textarea id="text" name="text" rows={3} required />
          </div>
          <button type="submit" className="secondary">
            {t('retention.breach.add_info')}
          </button>
        </Form>
      </section>
    </div>
  )
}

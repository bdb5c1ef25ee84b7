import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { isUuid } from '~/privacy/consent/view.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { DSR_OUTCOMES, IDENTITY_METHODS, type DsrOutcome } from '~/privacy/rights-requests/constants'
import { OBJECTION_PROCESSING } from '~/compliance/objection-kinds'
import { markDsrNotificationsRead } from '~/privacy/rights-requests/forwarding.server'
import {
  addNote,
  closeRequest,
  extendDeadline,
  liftRestrictionFor,
  markErasurePending,
  recordInstruction,
  recordObjection,
  rectify,
  restrict,
  setSubject,
  verifyIdentity,
} from '~/privacy/rights-requests/handling.server'
import { getRequest, requestEvents, subjectCandidates, subjectSummary } from '~/privacy/rights-requests/queries.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — demande de droits' }]
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA', requestId: 'token' }, note: '404 for an unknown request' } satisfies RouteAccess }

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  await authorize(ctx, 'read', 'RightsRequest', { orgId })
  const requestId = params.requestId ?? ''
  if (!isUuid(requestId)) throw new Response('Not found', { status: 404 })
  try {
    return { ctx, orgId, r: await getRequest(ctx.db, orgId, requestId) }
  } catch (e) {
    if (e instanceof DomainError) throw new Response('Not found', { status: 404 })
    throw e
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, orgId, r } = await load(request, params)
  await markDsrNotificationsRead(ctx.db, ctx.user.id, r.id)
  const subject = r.subjectId ? await subjectSummary(ctx.db, orgId, r.subjectId) : null
  const iso = (d: Date | null) => d?.toISOString() ?? null
  return {
    orgId,
    r: {
      id: r.id,
      reference: r.reference,
      kind: r.kind,
      channel: r.channel,
      status: r.status,
      urgency: r.urgency,
      requesterName: r.requesterName,
      requesterEmail: r.requesterEmail,
      relation: r.requesterRelation,
      subjectName: r.subjectName,
      subjectBirthDate: r.subjectBirthDate,
      message: r.message,
      receivedAt: iso(r.receivedAt),
      forwardDueAt: iso(r.forwardDueAt),
      forwardedAt: iso(r.forwardedAt),
      forwardingLate: r.forwardingLate,
      dueAt: iso(r.dueAt),
      extendedDueAt: iso(r.extendedDueAt),
      extensionReason: r.extensionReason,
      identityVerifiedAt: iso(r.identityVerifiedAt),
      identityMethod: r.identityMethod,
      instructionRef: r.writtenInstructionRef,
      erasurePendingAt: iso(r.erasurePendingAt),
      outcome: r.outcome,
      outcomeNote: r.outcomeNote,
      closedAt: iso(r.closedAt),
    },
    subject: subject
      ? {
          id: subject.id,
          name: `${subject.firstName} ${subject.lastName}`,
          firstName: subject.firstName,
          lastName: subject.lastName,
          birthDate: subject.birthDate,
          kind: subject.kind,
          classes: subject.classes.map((c) => c.name),
          restrictedAt: iso(subject.restriction?.restrictedAt ?? null),
        }
      : null,
    candidates: subject
      ? []
      : (await subjectCandidates(ctx.db, orgId)).map((c) => ({ id: c.id, label: `${c.lastName} ${c.firstName}${c.birthDate ? ` (${c.birthDate})` : ''} — ${translate(ctx.lang, `role.${c.role}`)}` })),
    events: (await requestEvents(ctx.db, r.id)).map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, actor: e.actorName, note: e.note })),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, orgId, r } = await load(request, params)
  const form = await request.formData()
  const s = (k: string) => String(form.get(k) ?? '').trim()
  const a = { orgId, requestId: r.id, actorId: ctx.user.id, origin: ctx.origin }
  const intent = s('intent')
  try {
    switch (intent) {
      case 'identity':
        await verifyIdentity(ctx.db, { ...a, method: s('method'), note: s('note') || null })
        break
      case 'subject':
        if (!isUuid(s('subjectId'))) return errorReply(new DomainError('dsr.subject.not_member'), ctx.lang, 'subjectId')
        await setSubject(ctx.db, { ...a, subjectId: s('subjectId') })
        break
      case 'extend':
        await extendDeadline(ctx.db, { ...a, months: Number(s('months')), reason: s('reason') })
        break
      case 'rectify':
        await rectify(ctx.db, { ...a, changes: { firstName: s('firstName'), lastName: s('lastName'), birthDate: s('birthDate') } })
        break
      case 'restrict':
        await restrict(ctx.db, { ...a, reason: s('reason') || null })
        break
      case 'lift':
        await liftRestrictionFor(ctx.db, a)
        break
      case 'objection':
        await recordObjection(ctx.db, { ...a, processing: s('processing'), note: s('note') || null })
        break
      case 'erasure':
        await markErasurePending(ctx.db, a)
        break
      case 'instruction':
        await recordInstruction(ctx.db, { ...a, reference: s('reference') })
        break
      case 'note':
        await addNote(ctx.db, { ...a, note: s('note') })
        break
      case 'close':
        if (!(DSR_OUTCOMES as readonly string[]).includes(s('outcome'))) return errorReply(new DomainError('dsr.close.outcome_required'), ctx.lang, 'outcome')
        await closeRequest(ctx.db, { ...a, outcome: s('outcome') as DsrOutcome, note: s('note') || null })
        break
      default:
        return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'form.invalid_field') } satisfies FormReply
    }
  } catch (e) {
    return { ...errorReply(e, ctx.lang), intent }
  }
  return { ...successReply(translate(ctx.lang, `dsr.done.${intent}`)), intent }
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  )
}

export default function RequestPage() {
  const t = useT()
  const { r, subject, candidates, events, orgId } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply & { intent?: string }>()
  const busy = useNavigation().state !== 'idle'
  const open = r.status !== 'closed'
  const d = (v: string | null, time = true) => formatDate(t.lang, v, time)
  const packageKinds = r.kind === 'access' || r.kind === 'portability'
  return (
    <div className="container">
      <p>
        <Link to={`/org/${orgId}/dpo/requests`}>← {t('dsr.list.title')}</Link>
      </p>
      <h1>
        {t(`dsr.kind_long.${r.kind}`)} — {r.reference}
      </h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {r.urgency === 'overdue' && <Notice kind="error">{t('dsr.detail.overdue', { date: d(r.extendedDueAt ?? r.dueAt, false) })}</Notice>}
      {r.urgency === 'nearly_due' && <Notice>{t('dsr.detail.nearly_due', { date: d(r.extendedDueAt ?? r.dueAt, false) })}</Notice>}

      <Section id="dates-title" title={t('dsr.detail.dates')}>
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
            {r.forwardingLate ? <span className="badge bad">{t('dsr.forward_late')}</span> : r.forwardedAt && <span className="badge ok">{t('dsr.detail.forward_on_time')}</span>}
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
            <span className={r.urgency === 'overdue' ? 'badge bad' : r.urgency === 'nearly_due' ? 'badge warn' : r.urgency === 'closed' ? 'badge ok' : 'badge'}>{t(`dsr.urgency.${r.urgency}`)}</span>
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

      <Section id="requester-title" title={t('dsr.detail.requester')}>
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
          <dd style={{ whiteSpace: 'pre-wrap' }}>{r.message ?? '—'}</dd>
        </dl>
        <p className="hint">{t('dsr.detail.processor_note')}</p>
      </Section>

      <Section id="identity-title" title={t('dsr.detail.identity')}>
        {r.identityVerifiedAt ? (
          <p>
            <span className="badge ok">{t('dsr.detail.identity_ok')}</span> {d(r.identityVerifiedAt)} — {t.or(`dsr.identity.${r.identityMethod}`, r.identityMethod ?? '—')}
          </p>
        ) : open ? (
          <Form method="post">
            <p className="hint">{t('dsr.detail.identity_hint')}</p>
            <div className="field">
              <label htmlFor="f-method">{t('dsr.detail.identity_method')}</label>
              <select id="f-method" name="method" required defaultValue="">
                <option value="" disabled>
                  {t('dsr.form.choose')}
                </option>
                {IDENTITY_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {t(`dsr.identity.${m}`)}
                  </option>
                ))}
              </select>
            </div>
            <Field name="note" label={t('dsr.detail.identity_note')} />
            <button type="submit" name="intent" value="identity" disabled={busy}>
              {t('dsr.detail.identity_submit')}
            </button>
          </Form>
        ) : (
          <p>{t('dsr.detail.identity_none')}</p>
        )}
      </Section>

      <Section id="subject-title" title={t('dsr.detail.subject')}>
        {subject ? (
          <>
            <p>
              <strong>{subject.name}</strong> {subject.birthDate && `· ${subject.birthDate}`} {subject.classes.length > 0 && `· ${subject.classes.join(', ')}`}{' '}
              {subject.restrictedAt && <span className="badge warn">{t('dsr.detail.restricted_since', { date: d(subject.restrictedAt, false) })}</span>}
            </p>
          </>
        ) : open ? (
          <Form method="post">
            <p className="hint">{t('dsr.detail.subject_hint')}</p>
            <div className="field">
              <label htmlFor="f-subject">{t('dsr.detail.subject_pick')}</label>
              <select id="f-subject" name="subjectId" required defaultValue="">
                <option value="" disabled>
                  {t('dsr.form.choose')}
                </option>
                {candidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" name="intent" value="subject" disabled={busy}>
              {t('dsr.detail.subject_submit')}
            </button>
          </Form>
        ) : (
          <p>—</p>
        )}
      </Section>

      {open && (
        <Section id="act-title" title={t('dsr.detail.act')}>
          {!r.identityVerifiedAt || !subject ? (
            <Notice>{t('dsr.detail.act_first')}</Notice>
          ) : (
            <>
              {packageKinds && (
                <Form method="post" action={`/org/${orgId}/dpo/requests/${r.id}/package`} reloadDocument className="card">
                  <h3>{t('dsr.detail.package')}</h3>
                  <p className="hint">{t('dsr.detail.package_hint')}</p>
                  <button type="submit">{t('dsr.detail.package_build')}</button>
                </Form>
              )}
              {r.kind === 'rectification' && (
                <Form method="post" className="card">
                  <h3>{t('dsr.detail.rectify')}</h3>
                  <Field name="firstName" label={t('dsr.form.subject_first_name')} defaultValue={subject.firstName} />
                  <Field name="lastName" label={t('dsr.form.subject_last_name')} defaultValue={subject.lastName} />
                  <Field name="birthDate" type="date" label={t('dsr.form.subject_birth_date')} defaultValue={subject.birthDate ?? ''} />
                  <button type="submit" name="intent" value="rectify" disabled={busy}>
                    {t('dsr.detail.rectify_submit')}
                  </button>
                </Form>
              )}
              {(r.kind === 'restriction' || subject.restrictedAt) && (
                <Form method="post" className="card">
                  <h3>{t('dsr.detail.restrict')}</h3>
                  <p className="hint">{t('dsr.detail.restrict_hint')}</p>
                  {subject.restrictedAt ? (
                    <button type="submit" name="intent" value="lift" className="secondary" disabled={busy}>
                      {t('dsr.detail.lift')}
                    </button>
                  ) : (
                    <>
                      <Field name="reason" label={t('dsr.detail.restrict_reason')} />
                      <button type="submit" name="intent" value="restrict" disabled={busy}>
                        {t('dsr.detail.restrict_submit')}
                      </button>
                    </>
                  )}
                </Form>
              )}
              {r.kind === 'objection' && (
                <Form method="post" className="card">
                  <h3>{t('dsr.detail.objection')}</h3>
                  <div className="field">
                    <label htmlFor="f-processing">{t('dsr.detail.objection_processing')}</label>
                    <select id="f-processing" name="processing" required defaultValue="">
                      <option value="" disabled>
                        {t('dsr.form.choose')}
                      </option>
                      {OBJECTION_PROCESSING.map((p) => (
                        <option key={p} value={p}>
                          {t(`dsr.processing.${p}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <Field name="note" label={t('dsr.detail.note')} />
                  <button type="submit" name="intent" value="objection" disabled={busy}>
                    {t('dsr.detail.objection_submit')}
                  </button>
                </Form>
              )}
              {r.kind === 'erasure' && (
                <Form method="post" className="card">
                  <h3>{t('dsr.detail.erasure')}</h3>
                  <p className="hint">{t('dsr.detail.erasure_hint')}</p>
                  {r.erasurePendingAt ? (
                    <p>
                      <span className="badge warn">{t('dsr.detail.erasure_pending', { date: d(r.erasurePendingAt) })}</span>
                    </p>
                  ) : (
                    <button type="submit" name="intent" value="erasure" className="danger" disabled={busy}>
                      {t('dsr.detail.erasure_submit')}
                    </button>
                  )}
                </Form>
              )}
            </>
          )}
        </Section>
      )}

      {open && (
        <Section id="deadline-title" title={t('dsr.detail.extend')}>
          {r.extendedDueAt ? (
            <p>{t('dsr.detail.extended_once')}</p>
          ) : (
            <Form method="post">
              <p className="hint">{t('dsr.detail.extend_hint')}</p>
              <div className="field">
                <label htmlFor="f-months">{t('dsr.detail.extend_months')}</label>
                <select id="f-months" name="months" defaultValue="2">
                  <option value="1">{t('dsr.detail.months', { n: 1 })}</option>
                  <option value="2">{t('dsr.detail.months', { n: 2 })}</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="f-reason">{t('dsr.detail.extend_reason')}</label>
                <textarea id="f-reason" name="reason" rows={3} required minLength={10} />
              </div>
              <button type="submit" name="intent" value="extend" className="secondary" disabled={busy}>
                {t('dsr.detail.extend_submit')}
              </button>
            </Form>
          )}
        </Section>
      )}

      {open && (
        <Section id="close-title" title={t('dsr.detail.close')}>
          <Form method="post">
            <div className="field">
              <label htmlFor="f-outcome">{t('dsr.detail.outcome')}</label>
              <select id="f-outcome" name="outcome" required defaultValue="">
                <option value="" disabled>
                  {t('dsr.form.choose')}
                </option>
                {DSR_OUTCOMES.filter((o) => o !== 'pending_erasure' || r.erasurePendingAt).map((o) => (
                  <option key={o} value={o}>
                    {t(`dsr.outcome.${o}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-close-note">{t('dsr.detail.close_note')}</label>
              <textarea id="f-close-note" name="note" rows={3} />
            </div>
            <p className="hint">{t('dsr.detail.close_hint')}</p>
            <button type="submit" name="intent" value="close" disabled={busy}>
              {t('dsr.detail.close_submit')}
            </button>
          </Form>
        </Section>
      )}

      <Section id="instruction-title" title={t('dsr.detail.instruction')}>
        {r.instructionRef ? (
          <p>{t('dsr.detail.instruction_recorded', { ref: r.instructionRef })}</p>
        ) : open ? (
          <Form method="post">
            <p className="hint">{t('dsr.detail.instruction_hint')}</p>
            <Field name="reference" label={t('dsr.detail.instruction_ref')} />
            <button type="submit" name="intent" value="instruction" className="secondary" disabled={busy}>
              {t('dsr.detail.instruction_submit')}
            </button>
          </Form>
        ) : (
          <p>{t('dsr.detail.instruction_none')}</p>
        )}
      </Section>

      <Section id="history-title" title={t('dsr.detail.history')}>
        <ol>
          {events.map((e) => (
            <li key={e.id}>
              {d(e.at)} — {t(`dsr.event.${e.kind}`)}
              {e.actor && ` · ${e.actor}`}
              {e.note && <span className="muted"> — {e.note}</span>}
            </li>
          ))}
        </ol>
        <Form method="post" className="actions">
          <label htmlFor="f-note">{t('dsr.detail.note')}</label>
          <input id="f-note" type="text" name="note" required />
          <button type="submit" name="intent" value="note" className="secondary" disabled={busy}>
            {t('dsr.detail.note_submit')}
          </button>
        </Form>
      </Section>
    </div>
  )
}

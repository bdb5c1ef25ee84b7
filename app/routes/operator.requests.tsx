import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { isUuid } from '~/privacy/consent/view.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { operatorAnswer } from '~/privacy/rights-requests/handling.server'
import { operatorRegister } from '~/privacy/rights-requests/queries.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — opérateur : demandes de droits' }]
// The platform operator (platform_operators) only — no matrix persona is one. Forwarding facts
// of every request; answering one is refused unless the school recorded a written instruction.
export const handle = { access: { allow: [], note: 'platform operator only (platform_operators)' } satisfies RouteAccess }

async function operator(request: Request) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'read', 'PlatformRegister', {})
  return ctx
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await operator(request)
  const rows = await operatorRegister(ctx.db)
  return {
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      orgName: r.orgName,
      kind: r.kind,
      channel: r.channel,
      status: r.status,
      receivedAt: r.receivedAt?.toISOString() ?? null,
      forwardDueAt: r.forwardDueAt?.toISOString() ?? null,
      forwardedAt: r.forwardedAt?.toISOString() ?? null,
      forwardingLate: r.forwardingLate,
      dueAt: r.effectiveDueAt?.toISOString() ?? null,
      urgency: r.urgency,
      instruction: r.writtenInstructionRef,
    })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await operator(request)
  const form = await request.formData()
  const requestId = String(form.get('requestId') ?? '')
  if (!isUuid(requestId)) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'form.invalid_field') } satisfies FormReply
  try {
    await operatorAnswer(ctx.db, { requestId, operatorId: ctx.user.id, note: String(form.get('note') ?? ''), origin: ctx.origin })
    return successReply(translate(ctx.lang, 'dsr.operator.answered'))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function OperatorRequestsPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="container">
      <h1>{t('dsr.operator.title')}</h1>
      <p className="muted">{t('dsr.operator.intro')}</p>
      <p>
        <Link className="button" to="/operator/requests/new">
          {t('dsr.operator.log')}
        </Link>
      </p>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {data.rows.length === 0 ? (
        <p>{t('dsr.list.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dsr.reference')}</th>
                <th scope="col">{t('dsr.operator.org')}</th>
                <th scope="col">{t('dsr.kind')}</th>
                <th scope="col">{t('dsr.received_at')}</th>
                <th scope="col">{t('dsr.forwarded_at')}</th>
                <th scope="col">{t('dsr.due_at')}</th>
                <th scope="col">{t('dsr.operator.answer')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.reference}
                    <br />
                    <small className="muted">{t(`dsr.channel.${r.channel}`)}</small>
                  </td>
                  <td>{r.orgName}</td>
                  <td>{t(`dsr.kind.${r.kind}`)}</td>
                  <td>{formatDate(t.lang, r.receivedAt, true)}</td>
                  <td>
                    {r.forwardedAt ? formatDate(t.lang, r.forwardedAt, true) : t('dsr.forward_due', { date: formatDate(t.lang, r.forwardDueAt, true) })}
                    {r.forwardingLate && (
                      <>
                        {' '}
                        <span className="badge bad">{t('dsr.forward_late')}</span>
                      </>
                    )}
                  </td>
                  <td>
                    {formatDate(t.lang, r.dueAt)}{' '}
                    <span className={`badge ${r.urgency === 'overdue' ? 'bad' : r.urgency === 'nearly_due' ? 'warn' : r.urgency === 'closed' ? 'ok' : ''}`}>{t(`dsr.urgency.${r.urgency}`)}</span>
                  </td>
                  <td>
                    {r.instruction ? (
                      <Form method="post">
                        <input type="hidden" name="requestId" value={r.id} />
                        <label htmlFor={`note-${r.id}`} className="hint">
                          {t('dsr.operator.instruction', { ref: r.instruction })}
                        </label>
                        <textarea id={`note-${r.id}`} name="note" rows={2} required />
                        <button type="submit" className="secondary" disabled={busy}>
                          {t('dsr.operator.send_answer')}
                        </button>
                      </Form>
                    ) : (
                      <small className="muted">{t('dsr.operator.no_instruction_short')}</small>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

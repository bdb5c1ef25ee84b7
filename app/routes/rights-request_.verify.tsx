import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { isUuid } from '~/privacy/consent/view.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { getPublicRequest, resendCode, verifyRequestEmail } from '~/privacy/rights-requests/intake.server'
import { enqueueDsrForward } from '~/privacy/rights-requests/jobs.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — confirmer votre demande' }]
// The requester's own page for one request (?id=, a random id only their browser knows):
// type the emailed code, then see the receipt and the dates.
export const handle = { access: { allow: 'everyone', note: '404 without a known ?id=' } satisfies RouteAccess }

async function load(request: Request) {
  const id = new URL(request.url).searchParams.get('id')
  if (!isUuid(id)) throw new Response('Not found', { status: 404 })
  const ctx = baseContext(request)
  try {
    return { ctx, r: await getPublicRequest(ctx.db, id) }
  } catch (e) {
    if (e instanceof DomainError) throw new Response('Not found', { status: 404 })
    throw e
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { r } = await load(request)
  return {
    id: r.id,
    reference: r.reference,
    orgName: r.orgName,
    email: r.requesterEmail.replace(/^(.).*(@.*)$/, '$1…$2'),
    verified: r.status !== 'awaiting_verification',
    receivedAt: r.receivedAt?.toISOString() ?? null,
    forwardDueAt: r.forwardDueAt?.toISOString() ?? null,
    forwardedAt: r.forwardedAt?.toISOString() ?? null,
    dueAt: (r.extendedDueAt ?? r.dueAt)?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const { ctx, r } = await load(request)
  const form = await request.formData()
  try {
    if (form.get('intent') === 'resend') {
      await resendCode(ctx.db, { id: r.id, origin: ctx.origin })
      return successReply(translate(r.lang === 'en' ? 'en' : 'fr', 'dsr.verify.resent'))
    }
    const result = await verifyRequestEmail(ctx.db, { id: r.id, code: String(form.get('code') ?? ''), origin: ctx.origin })
    if (!result.already) await enqueueDsrForward(r.id)
    return successReply(translate(ctx.lang, 'dsr.verify.done'))
  } catch (e) {
    return errorReply(e, ctx.lang, e instanceof DomainError && e.code.startsWith('dsr.verify.wrong') ? 'code' : undefined)
  }
}

export default function VerifyRequestPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="container narrow">
      <h1>{data.verified ? t('dsr.verify.title_done') : t('dsr.verify.title')}</h1>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {!data.verified ? (
        <>
          <p>{t('dsr.verify.intro', { email: data.email })}</p>
          <Form method="post" className="card">
            <Field name="code" label={t('dsr.verify.code')} inputMode="numeric" autoComplete="one-time-code" required error={reply?.fieldErrors?.code} />
            <button type="submit" name="intent" value="verify" disabled={busy}>
              {t('dsr.verify.submit')}
            </button>
          </Form>
          <Form method="post">
            <button type="submit" name="intent" value="resend" className="secondary" disabled={busy}>
              {t('dsr.verify.resend')}
            </button>
          </Form>
        </>
      ) : (
        <section className="card" aria-labelledby="receipt-title">
          <h2 id="receipt-title">{t('dsr.verify.receipt')}</h2>
          <dl>
            <dt>{t('dsr.reference')}</dt>
            <dd>
              <strong>{data.reference}</strong>
            </dd>
            <dt>{t('dsr.verify.school')}</dt>
            <dd>{data.orgName}</dd>
            <dt>{t('dsr.received_at')}</dt>
            <dd>{formatDate(t.lang, data.receivedAt, true)}</dd>
            <dt>{t('dsr.forwarded_at')}</dt>
            <dd>{data.forwardedAt ? formatDate(t.lang, data.forwardedAt, true) : t('dsr.verify.forward_by', { date: formatDate(t.lang, data.forwardDueAt, true) })}</dd>
            <dt>{t('dsr.due_at')}</dt>
            <dd>{formatDate(t.lang, data.dueAt)}</dd>
          </dl>
          <p className="hint">{t('dsr.verify.processor_note', { org: data.orgName })}</p>
        </section>
      )}
    </div>
  )
}

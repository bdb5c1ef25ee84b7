import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { DomainError } from '~/errors.server'
import { isUuid } from '~/privacy/consent/view.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { getPublicRequest, resendCode, verifyRequestEmail } from '~/privacy/rights-requests/intake.server'
import { verifyCodeSchema } from '~/privacy/rights-requests/intake.schema'
import { enqueueDsrForward } from '~/privacy/rights-requests/jobs.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, PageHeader, Section, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.rights_verify')
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

// The page's forms: type the emailed code, or ask for a new one.
const schema = z.discriminatedUnion('intent', [verifyCodeSchema.extend({ intent: z.literal('verify') }), z.object({ intent: z.literal('resend') })])

export async function action({ request }: ActionFunctionArgs) {
  const { ctx, r } = await load(request)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  try {
    if (form.value.intent === 'resend') {
      await resendCode(ctx.db, { id: r.id, origin: ctx.origin })
      return form.success(translate(r.lang === 'en' ? 'en' : 'fr', 'dsr.verify.resent'))
    }
    const result = await verifyRequestEmail(ctx.db, { id: r.id, code: form.value.code, origin: ctx.origin })
    if (!result.already) await enqueueDsrForward(r.id)
    return form.success(translate(ctx.lang, 'dsr.verify.done'))
  } catch (e) {
    return form.error(e, e instanceof DomainError && e.code.startsWith('dsr.verify.wrong') ? 'code' : undefined)
  }
}

export default function VerifyRequestPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'verify' })
  return (
    <div className="container narrow">
      <PageHeader title={data.verified ? t('dsr.verify.title_done') : t('dsr.verify.title')} />
      <FormNotice />
      {!data.verified ? (
        <>
          <p>{t('dsr.verify.intro', { email: data.email })}</p>
          <Form method="post" className="card" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="verify" />
            <Field meta={fields.code} label={t('dsr.verify.code')} inputMode="numeric" autoComplete="one-time-code" />
            <button type="submit" disabled={busy}>
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
        <Section title={t('dsr.verify.receipt')}>
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
        </Section>
      )}
    </div>
  )
}

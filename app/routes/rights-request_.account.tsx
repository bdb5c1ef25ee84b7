import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { now } from '~/clock.server'
import { t as translate, useT } from '~/i18n'
import { DSR_KINDS } from '~/privacy/rights-requests/constants'
import { createReceivedRequest, inAppSubjects } from '~/privacy/rights-requests/intake.server'
import { enqueueDsrForward } from '~/privacy/rights-requests/jobs.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility, type UserCtx } from '~/permissions/request.server'
import { errorReply, parseForm, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — exercer vos droits (RGPD)' }]
// Signed-in adults: for themself (in each organization) or, as a guardian, for a linked child.
export const handle = { access: { allow: 'adults' } satisfies RouteAccess }

async function adult(request: Request): Promise<UserCtx> {
  const ctx = await requireAbility(request)
  if (ctx.user.kind !== 'adult') await deny(ctx, 'create', 'RightsRequest', null)
  return ctx
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await adult(request)
  return { subjects: (await inAppSubjects(ctx.db, ctx)).map(({ value, label, relation }) => ({ value, label, relation })), verified: !!ctx.user.emailVerifiedAt }
}

const schema = z.object({
  subject: z.string({ message: 'dsr.form.subject_pick' }).regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/i, 'dsr.form.subject_pick'),
  kind: z.enum(DSR_KINDS, { message: 'dsr.form.kind_required' }),
  message: z
    .string()
    .trim()
    .max(4000)
    .optional()
    .transform((v) => v || null),
})

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await adult(request)
  const parsed = parseForm(await request.formData(), schema, ctx.lang)
  if (!parsed.ok) return parsed.reply
  const options = await inAppSubjects(ctx.db, ctx)
  const choice = options.find((o) => o.value === parsed.value.subject)
  if (!choice) return { status: 'error', fieldErrors: { subject: translate(ctx.lang, 'dsr.form.subject_pick') } } satisfies FormReply
  // The policy: a guardian files for a linked child, anyone for themself in an organization they belong to.
  await authorize(ctx, 'create', 'RightsRequest', { orgId: choice.orgId, subjectId: choice.subjectId })
  if (!ctx.user.emailVerifiedAt || !ctx.user.email) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'dsr.form.verify_email_first') } satisfies FormReply
  try {
    const row = await createReceivedRequest(ctx.db, {
      orgId: choice.orgId,
      kind: parsed.value.kind,
      channel: 'in_app',
      subjectId: choice.subjectId,
      subjectName: null,
      requesterEmail: ctx.user.email,
      requesterName: `${ctx.user.firstName} ${ctx.user.lastName}`,
      requesterUserId: ctx.user.id,
      relation: choice.relation,
      message: parsed.value.message,
      lang: ctx.lang,
      receivedAt: now(),
      actorId: ctx.user.id,
      origin: ctx.origin,
    })
    await enqueueDsrForward(row.id)
    return successReply(translate(ctx.lang, 'dsr.form.in_app_done', { reference: row.reference }))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function InAppRequestPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="container narrow">
      <h1>{t('dsr.form.title')}</h1>
      <p>{t('dsr.form.in_app_intro')}</p>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      {!data.verified && <Notice kind="error">{t('dsr.form.verify_email_first')}</Notice>}
      {data.subjects.length === 0 ? (
        <p>
          {t('dsr.form.no_subject')} <Link to="/rights-request">{t('dsr.form.public_link')}</Link>
        </p>
      ) : (
        <Form method="post" className="card">
          <fieldset style={{ border: 0, padding: 0, margin: '0 0 1rem' }}>
            <legend>{t('dsr.form.about')}</legend>
            {data.subjects.map((s) => (
              <label key={s.value} className="checkbox">
                <input type="radio" name="subject" value={s.value} required />
                <span>{s.relation === 'self' ? t('dsr.form.about_me', { org: s.label }) : s.label}</span>
              </label>
            ))}
            {reply?.fieldErrors?.subject && (
              <p className="error" role="alert">
                {reply.fieldErrors.subject}
              </p>
            )}
          </fieldset>
          <div className="field">
            <label htmlFor="f-kind">{t('dsr.form.kind')}</label>
            <select id="f-kind" name="kind" required defaultValue="">
              <option value="" disabled>
                {t('dsr.form.choose')}
              </option>
              {DSR_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`dsr.kind_long.${k}`)}
                </option>
              ))}
            </select>
            {reply?.fieldErrors?.kind && (
              <p className="error" role="alert">
                {reply.fieldErrors.kind}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="f-message">{t('dsr.form.message')}</label>
            <textarea id="f-message" name="message" rows={5} maxLength={4000} />
          </div>
          <button type="submit" disabled={busy || !data.verified}>
            {t('dsr.form.submit')}
          </button>
        </Form>
      )}
    </div>
  )
}

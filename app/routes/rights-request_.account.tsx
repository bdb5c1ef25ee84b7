import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { now } from '~/clock.server'
import { DomainError } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import { DSR_KINDS } from '~/privacy/rights-requests/constants'
import { createReceivedRequest, inAppSubjects } from '~/privacy/rights-requests/intake.server'
import { inAppRequestSchema } from '~/privacy/rights-requests/intake.schema'
import { enqueueDsrForward } from '~/privacy/rights-requests/jobs.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility, type UserCtx } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ChoiceField, FormNotice, Notice, PageHeader, SelectField, TextareaField, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.rights_request')
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

// One form: the request, about whom and which right.
const schema = z.discriminatedUnion('intent', [inAppRequestSchema.extend({ intent: z.literal('request') })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await adult(request)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const options = await inAppSubjects(ctx.db, ctx)
  const choice = options.find((o) => o.value === v.subject)
  if (!choice) return form.error(new DomainError('dsr.form.subject_pick'), 'subject')
  // The policy: a guardian files for a linked child, anyone for themself in an organization they belong to.
  await authorize(ctx, 'create', 'RightsRequest', { orgId: choice.orgId, subjectId: choice.subjectId })
  if (!ctx.user.emailVerifiedAt || !ctx.user.email) return form.error(new DomainError('dsr.form.verify_email_first'))
  try {
    const row = await createReceivedRequest(ctx.db, {
      orgId: choice.orgId,
      kind: v.kind,
      channel: 'in_app',
      subjectId: choice.subjectId,
      subjectName: null,
      requesterEmail: ctx.user.email,
      requesterName: `${ctx.user.firstName} ${ctx.user.lastName}`,
      requesterUserId: ctx.user.id,
      relation: choice.relation,
      message: v.message,
      lang: ctx.lang,
      receivedAt: now(),
      actorId: ctx.user.id,
      origin: ctx.origin,
    })
    await enqueueDsrForward(row.id)
    return form.success(translate(ctx.lang, 'dsr.form.in_app_done', { reference: row.reference }))
  } catch (e) {
    return form.error(e)
  }
}

export default function InAppRequestPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'request' })
  return (
    <div className="container narrow">
      <PageHeader title={t('dsr.form.title')} />
      <p>{t('dsr.form.in_app_intro')}</p>
      <FormNotice />
      {!data.verified && <Notice kind="error">{t('dsr.form.verify_email_first')}</Notice>}
      {data.subjects.length === 0 ? (
        <p>
          {t('dsr.form.no_subject')} <Link to="/rights-request">{t('dsr.form.public_link')}</Link>
        </p>
      ) : (
        <Form method="post" className="card" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="request" />
          <ChoiceField
            meta={fields.subject}
            legend={t('dsr.form.about')}
            options={data.subjects.map((s) => ({ value: s.value, label: s.relation === 'self' ? t('dsr.form.about_me', { org: s.label }) : s.label }))}
          />
          <SelectField meta={fields.kind} label={t('dsr.form.kind')}>
            <option value="">{t('dsr.form.choose')}</option>
            {DSR_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`dsr.kind_long.${k}`)}
              </option>
            ))}
          </SelectField>
          <TextareaField meta={fields.message} label={t('dsr.form.message')} rows={5} />
          <button type="submit" disabled={busy || !data.verified}>
            {t('dsr.form.submit')}
          </button>
        </Form>
      )}
    </div>
  )
}

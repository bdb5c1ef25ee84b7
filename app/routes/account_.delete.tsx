import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { clearSessionCookie } from '~/auth/session.server'
import { DomainError } from '~/errors.server'
import { deletableChildrenOf, requestErasure } from '~/privacy/erasure/requests.server'
import { deleteOwnAccountSchema } from '~/privacy/erasure/requests.schema'
import { erasureRequestsBy } from '~/privacy/rights-requests/guardian-erasure.server'
import { mayAskErasure } from '~/permissions/abilities'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { deny, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ConfirmForm, Field, FormNotice, PageHeader, Section, useCarnetForm } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.account_delete')
// An adult deletes their own account (deactivated at once, erased within 24 hours); a guardian
// with consent rights finds here the children whose account they may delete — or, a school's
// pupil, ask the school to erase — with the state of what they asked.
export const handle = { access: { allow: 'adults' } satisfies RouteAccess }

async function requireAdult(request: Request) {
  const ctx = await requireAbility(request)
  if (ctx.user.kind !== 'adult') await deny(ctx, 'delete', 'Account', ctx.user.id)
  return ctx
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAdult(request)
  const children = await deletableChildrenOf(ctx.db, { guardianId: ctx.user.id })
  const asked = await erasureRequestsBy(ctx.db, { guardianId: ctx.user.id })
  return {
    children: children.map((c) => {
      // A school's pupil: the school decides, the guardian asks its DPO (and sees the request's state here).
      const asks = mayAskErasure(ctx.ability, { id: c.childId, orgId: c.orgId, orgKind: c.orgKind, consentGuardianIds: [ctx.user.id] })
      const open = asks ? asked.find((r) => r.childId === c.childId && r.orgId === c.orgId && r.status !== 'closed') : undefined
      return {
        href: `/org/${c.orgId}/members/${c.childId}/delete`,
        name: `${c.firstName} ${c.lastName}`,
        asks,
        status: open
          ? translate(ctx.lang, 'retention.account.ask_status', {
              reference: open.reference,
              state: translate(ctx.lang, `retention.ask.state.${open.status === 'forwarded' ? 'forwarded' : 'received'}`),
              due: formatDate(ctx.lang, open.dueAt),
            })
          : null,
      }
    }),
  }
}

// One form: the account's email address typed again.
const schema = z.discriminatedUnion('intent', [deleteOwnAccountSchema.extend({ intent: z.literal('delete') })])

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAdult(request)
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  if (form.value.confirm !== ctx.user.email) return form.error(new DomainError('retention.account.confirm_mismatch'), 'confirm')
  try {
    await requestErasure(ctx.db, { of: 'person', subjectId: ctx.user.id, orgId: null, requestedBy: ctx.user.id, role: 'self', reason: 'own_request', origin: ctx.origin })
    // The sessions are gone already: leave with the cookie cleared.
    return redirect('/login?deleted=1', { headers: { 'Set-Cookie': clearSessionCookie() } })
  } catch (e) {
    return form.error(e)
  }
}

export default function DeleteAccountPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const [form, fields] = useCarnetForm(schema, { intent: 'delete' })
  return (
    <div className="container narrow">
      <PageHeader title={t('retention.account.title')} />
      <FormNotice />
      <div className="card">
        <ConfirmForm
          intent="delete"
          formProps={getFormProps(form)}
          consequences={[
            t('retention.account.point_now'),
            t('retention.account.point_24h'),
            t('retention.account.point_results'),
            t('retention.account.point_evidence'),
            t('retention.account.point_backups'),
          ]}
          confirmation={<Field meta={fields.confirm} type="email" label={t('retention.account.confirm_label')} autoComplete="off" />}
          submit={t('retention.account.submit')}
        />
      </div>
      {d.children.length > 0 && (
        <Section title={t('retention.account.children')}>
          <ul>
            {d.children.map((c) => (
              <li key={c.href}>
                <Link to={c.href}>{c.asks ? t('retention.account.ask_child', { name: c.name }) : t('retention.account.delete_child', { name: c.name })}</Link>
                {c.status && <p className="muted">{c.status}</p>}
              </li>
            ))}
          </ul>
        </Section>
      )}
    </div>
  )
}

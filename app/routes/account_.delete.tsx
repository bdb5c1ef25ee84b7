import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { clearSessionCookie } from '~/auth/session.server'
import { DomainError } from '~/errors.server'
import { deletableChildrenOf, requestErasure } from '~/privacy/erasure/requests.server'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { deny, requireAbility } from '~/permissions/request.server'
import { errorReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — supprimer mon compte' }]
// An adult deletes their own account (deactivated at once, erased within 24 hours); a guardian
// with consent rights finds here the children whose account they may delete.
export const handle = { access: { allow: 'adults' } satisfies RouteAccess }

async function requireAdult(request: Request) {
  const ctx = await requireAbility(request)
  if (ctx.user.kind !== 'adult') await deny(ctx, 'delete', 'Account', ctx.user.id)
  return ctx
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAdult(request)
  const children = await deletableChildrenOf(ctx.db, { guardianId: ctx.user.id })
  return { children: children.map((c) => ({ href: `/org/${c.orgId}/members/${c.childId}/delete`, name: `${c.firstName} ${c.lastName}` })) }
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireAdult(request)
  const form = await request.formData()
  if (String(form.get('confirm') ?? '').trim() !== ctx.user.email) return errorReply(new DomainError('retention.account.confirm_mismatch'), ctx.lang, 'confirm')
  try {
    await requestErasure(ctx.db, { of: 'person', subjectId: ctx.user.id, orgId: null, requestedBy: ctx.user.id, role: 'self', reason: 'own_request', origin: ctx.origin })
    // The sessions are gone already: leave with the cookie cleared.
    return redirect('/login?deleted=1', { headers: { 'Set-Cookie': clearSessionCookie() } })
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function DeleteAccountPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  return (
    <div className="container narrow">
      <h1>{t('retention.account.title')}</h1>
      <section className="card">
        <p>{t('retention.account.explain')}</p>
        <ul>
          <li>{t('retention.account.point_now')}</li>
          <li>{t('retention.account.point_24h')}</li>
          <li>{t('retention.account.point_results')}</li>
          <li>{t('retention.account.point_evidence')}</li>
          <li>{t('retention.account.point_backups')}</li>
        </ul>
        {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
        <Form method="post">
          <div className={`field${reply?.fieldErrors?.confirm ? ' has-error' : ''}`}>
            <label htmlFor="confirm">{t('retention.account.confirm_label')}</label>
            <input
              id="confirm"
              name="confirm"
              type="email"
              autoComplete="off"
              required
              aria-invalid={reply?.fieldErrors?.confirm ? true : undefined}
              aria-describedby={reply?.fieldErrors?.confirm ? 'confirm-error' : undefined}
            />
            {reply?.fieldErrors?.confirm && (
              <p className="error" id="confirm-error" role="alert">
                {reply.fieldErrors.confirm}
              </p>
            )}
          </div>
          <button type="submit" className="danger">
            {t('retention.account.submit')}
          </button>
        </Form>
      </section>
      {d.children.length > 0 && (
        <section className="card" aria-labelledby="kids-title">
          <h2 id="kids-title">{t('retention.account.children')}</h2>
          <ul>
            {d.children.map((c) => (
              <li key={c.href}>
                <Link to={c.href}>{t('retention.account.delete_child', { name: c.name })}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DomainError } from '~/errors.server'
import { belongsElsewhere } from '~/privacy/erasure/engine.server'
import { accountForDeletion, cancelDeletion, graceHours, openRequestsFor, requestDeletion } from '~/privacy/erasure/requests.server'
import { now } from '~/clock.server'
import { isUuid } from '~/ui/http.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { can, deletionRequesterOf } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'
import { enqueueErasure } from '../../workers/jobs/erasure.server'

export const meta: MetaFunction = () => [{ title: 'Carnet — supprimer un compte' }]
// An admin deletes a member's account (only what this organization holds, when the person also
// belongs elsewhere); a guardian with consent rights deletes their linked child's account.
export const handle = { access: { allow: ['admin'], params: { orgId: 'orgA', userId: 'childA1' }, note: 'also a guardian with consent rights for that child' } satisfies RouteAccess }

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId ?? ''
  const userId = params.userId ?? ''
  // Not a member of the organization: a denial like any other (nothing learned about the person).
  const person = isUuid(orgId) && isUuid(userId) ? await accountForDeletion(ctx.db, { orgId, userId }) : null
  if (!person) return deny(ctx, 'delete', 'Account', userId || null, isUuid(orgId) ? orgId : null)
  await authorize(ctx, 'delete', 'Account', person)
  // Here the admin's or the guardian's right (one's own account is deleted from /account).
  const role = deletionRequesterOf(ctx.ability, person)
  if (role !== 'admin' && role !== 'guardian') return deny(ctx, 'delete', 'Account', userId, orgId)
  return { ctx, orgId, role, person }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, orgId, role, person } = await load(request, params)
  return {
    orgId,
    role,
    name: `${person.firstName} ${person.lastName}`,
    kind: person.kind,
    alreadyRequested: !!person.deactivatedAt,
    membershipOnly: await belongsElsewhere(ctx.db, person.id, orgId),
    graceHours: await graceHours(ctx.db, orgId),
    // Within the organization's grace period, whoever asked (or an admin) may still cancel.
    cancellable: (await openRequestsFor(ctx.db, orgId))
      .filter((r) => r.subjectId === person.id && r.eraseAfter > now() && can(ctx.ability, 'cancel', 'DeletionRequest', r))
      .map((r) => ({ id: r.id, until: r.eraseAfter.toISOString() }))[0] ?? null,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, orgId, role, person } = await load(request, params)
  const form = await request.formData()
  if (form.get('intent') === 'cancel') {
    if (!isUuid(form.get('requestId'))) return errorReply(new DomainError('form.invalid_field'), ctx.lang)
    try {
      await cancelDeletion(ctx.db, { requestId: String(form.get('requestId') ?? ''), principal: ctx.principal, origin: ctx.origin })
      return successReply(translate(ctx.lang, 'retention.privacy.cancelled'))
    } catch (e) {
      return errorReply(e, ctx.lang)
    }
  }
  const confirm = String(form.get('confirm') ?? '').trim()
  if (confirm !== 'SUPPRIMER' && confirm !== 'DELETE') return errorReply(new DomainError('retention.privacy.confirm_required'), ctx.lang, 'confirm')
  try {
    const r = await requestDeletion(ctx.db, { subjectId: person.id, orgId, requestedBy: ctx.user.id, role, reason: role === 'guardian' ? 'guardian_request' : 'admin_request', origin: ctx.origin })
    await enqueueErasure(r)
    return successReply(translate(ctx.lang, 'retention.member.requested', { due: formatDate(ctx.lang, r.dueAt, true) }))
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

export default function DeleteMemberPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  return (
    <div className="container narrow">
      <h1>{t('retention.member.title', { name: d.name })}</h1>
      {reply?.message ? (
        <>
          <Notice kind="success">{reply.message}</Notice>
          {d.cancellable && (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="requestId" value={d.cancellable.id} />
              <button type="submit" className="secondary">{t('retention.privacy.cancel_until', { at: formatDate(t.lang, d.cancellable.until, true) })}</button>
            </Form>
          )}
          <p>
            <Link to={d.role === 'admin' ? `/org/${d.orgId}/privacy` : '/children'}>{t('retention.member.back')}</Link>
          </p>
        </>
      ) : (
        <section className="card">
          <p>{d.membershipOnly ? t('retention.member.scope_membership', { name: d.name }) : t('retention.member.scope_account', { name: d.name })}</p>
          <ul>
            <li>{t('retention.account.point_now')}</li>
            <li>{t('retention.account.point_24h')}</li>
            {d.kind === 'child' && <li>{t('retention.account.point_results')}</li>}
            <li>{d.graceHours ? t('retention.member.grace', { hours: d.graceHours }) : t('retention.member.no_grace')}</li>
          </ul>
          {d.alreadyRequested && <Notice kind="info">{t('retention.member.already')}</Notice>}
          {d.cancellable && (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="requestId" value={d.cancellable.id} />
              <button type="submit" className="secondary">{t('retention.privacy.cancel_until', { at: formatDate(t.lang, d.cancellable.until, true) })}</button>
            </Form>
          )}
          {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
          <Form method="post">
            <div className={`field${reply?.fieldErrors?.confirm ? ' has-error' : ''}`}>
              <label htmlFor="confirm">{t('retention.privacy.confirm_label')}</label>
              <input id="confirm" name="confirm" autoComplete="off" required aria-invalid={reply?.fieldErrors?.confirm ? true : undefined} aria-describedby={reply?.fieldErrors?.confirm ? 'confirm-error' : undefined} />
              {reply?.fieldErrors?.confirm && (
                <p className="error" id="confirm-error" role="alert">
                  {reply.fieldErrors.confirm}
                </p>
              )}
            </div>
            <button type="submit" className="danger">{t('retention.member.submit')}</button>
          </Form>
        </section>
      )}
    </div>
  )
}

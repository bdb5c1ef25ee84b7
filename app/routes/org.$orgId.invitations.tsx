import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { getOrganization } from '~/models/staff/org-home.server'
import { inviteSchema, inviteStaff, listStaffInvitations, resendInvitation, revokeInvitation } from '~/models/staff/invitations.server'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, parseForm, successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — invitations' }]
export const handle = { access: { allow: ['admin'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  await authorize(ctx, 'create', 'Invitation', { orgId })
  const [org, invitations] = await Promise.all([getOrganization(ctx.db, { orgId }), listStaffInvitations(ctx.db, { orgId })])
  return { org: { id: org.id, name: org.name }, invitations }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  await authorize(ctx, 'read', 'Invitation', { orgId })
  const form = await request.formData()
  const intent = String(form.get('intent') ?? 'invite')
  const by = { actorId: ctx.user.id, ...ctx.origin }
  try {
    if (intent === 'invite') {
      await authorize(ctx, 'create', 'Invitation', { orgId })
      const parsed = parseForm(form, inviteSchema, ctx.lang)
      if (!parsed.ok) return parsed.reply
      await inviteStaff(ctx.db, { orgId, ...parsed.value, by, lang: ctx.lang })
      return successReply(translate(ctx.lang, 'staff.invite_sent', { email: parsed.value.email }))
    }
    const invitationId = String(form.get('invitationId') ?? '')
    if (intent === 'revoke') {
      await authorize(ctx, 'delete', 'Invitation', { orgId, id: invitationId })
      const inv = await revokeInvitation(ctx.db, { orgId, invitationId, by })
      return successReply(translate(ctx.lang, 'staff.invite_revoked', { email: inv.email }))
    }
    if (intent === 'resend') {
      await authorize(ctx, 'update', 'Invitation', { orgId, id: invitationId })
      const { invitation } = await resendInvitation(ctx.db, { orgId, invitationId, by, lang: ctx.lang })
      return successReply(translate(ctx.lang, 'staff.invite_resent', { email: invitation.email }))
    }
    return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action') } satisfies FormReply
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    return errorReply(e, ctx.lang, intent === 'invite' && (code === 'staff.invite_duplicate' || code === 'staff.invite_already_member') ? 'email' : undefined)
  }
}

const INVITE_ROLES = ['teacher', 'admin', 'dpo'] as const
const STATE_BADGE = { pending: '', expired: 'warn', accepted: 'ok', revoked: 'bad' } as const

export default function Invitations() {
  const t = useT()
  const { org, invitations } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (reply?.status === 'success') formRef.current?.reset()
  }, [reply])
  const err = (f: string) => reply?.fieldErrors[f]
  return (
    <div className="container">
      <h1>{t('staff.invitations_title')}</h1>
      <p className="muted">{org.name}</p>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}

      <section className="card" aria-labelledby="invite-title">
        <h2 id="invite-title">{t('staff.invite_title')}</h2>
        <p className="hint" style={{ marginBottom: '1rem' }}>
          {t('staff.invite_intro')}
        </p>
        <Form method="post" noValidate ref={formRef}>
          <input type="hidden" name="intent" value="invite" />
          <Field name="email" type="email" label={t('staff.invite_email')} error={err('email')} autoComplete="off" required />
          <fieldset className={`field${err('role') ? ' has-error' : ''}`} style={{ border: 0, padding: 0 }} aria-describedby={err('role') ? 'f-role-error' : undefined}>
            <legend>{t('staff.invite_role')}</legend>
            {INVITE_ROLES.map((r) => (
              <label key={r} className="checkbox" style={{ marginBottom: '.3rem' }}>
                <input type="radio" name="role" value={r} defaultChecked={r === 'teacher'} />
                <span>
                  {t(`role.${r}`)}{' '}
                  <span className="muted" style={{ fontWeight: 400 }}>
                    — {t(`staff.role_help_${r}`)}
                  </span>
                </span>
              </label>
            ))}
            {err('role') && (
              <p className="error" id="f-role-error" role="alert">
                {err('role')}
              </p>
            )}
          </fieldset>
          <button type="submit" disabled={busy}>
            {t('staff.invite_submit')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="list-title">
        <h2 id="list-title">{t('staff.invitations_list')}</h2>
        {invitations.length === 0 ? (
          <p>{t('staff.invitations_empty')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('staff.invite_email')}</th>
                  <th scope="col">{t('staff.invite_role')}</th>
                  <th scope="col">{t('staff.state')}</th>
                  <th scope="col">{t('staff.sent')}</th>
                  <th scope="col">
                    <span style={{ position: 'absolute', left: '-9999px' }}>{t('staff.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id} data-email={i.email}>
                    <td>{i.email}</td>
                    <td>{t(`role.${i.role}`)}</td>
                    <td>
                      <span className={`badge ${STATE_BADGE[i.state]}`}>{t(`staff.state_${i.state}`)}</span>
                      <br />
                      <small className="muted">
                        {i.state === 'pending' && t('staff.expires_on', { date: formatDate(t.lang, i.expiresAt, true) })}
                        {i.state === 'expired' && t('staff.expired_on', { date: formatDate(t.lang, i.expiresAt, true) })}
                        {i.state === 'accepted' && formatDate(t.lang, i.acceptedAt, true)}
                        {i.state === 'revoked' && formatDate(t.lang, i.revokedAt, true)}
                      </small>
                    </td>
                    <td>
                      {formatDate(t.lang, i.lastSentAt ?? i.createdAt, true)}
                      {i.invitedBy && (
                        <>
                          <br />
                          <small className="muted">{t('staff.invited_by', { name: `${i.invitedBy.firstName} ${i.invitedBy.lastName}` })}</small>
                        </>
                      )}
                    </td>
                    <td>
                      {(i.state === 'pending' || i.state === 'expired') && (
                        <Form method="post" className="actions">
                          <input type="hidden" name="invitationId" value={i.id} />
                          <button type="submit" name="intent" value="resend" className="secondary" disabled={busy} aria-label={t('staff.resend_to', { email: i.email })}>
                            {t('staff.resend')}
                          </button>
                          {i.state === 'pending' && (
                            <button type="submit" name="intent" value="revoke" className="secondary" disabled={busy} aria-label={t('staff.revoke_for', { email: i.email })}>
                              {t('staff.revoke')}
                            </button>
                          )}
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}

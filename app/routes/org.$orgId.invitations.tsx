import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { getOrganization } from '~/models/staff/org-home.server'
import { inviteStaff, listStaffInvitations, resendInvitation, revokeInvitation } from '~/models/staff/invitations.server'
import { invitationRefSchema, inviteSchema, STAFF_INVITE_ROLES } from '~/models/staff/invitations.schema'
import { formatDate, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ChoiceField, DataTable, Field, FormNotice, PageHeader, Section, StatusBadge, useCarnetForm, type Column } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.invitations')
export const handle = { access: { allow: ['admin'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  await authorize(ctx, 'create', 'Invitation', { orgId })
  const [org, invitations] = await Promise.all([getOrganization(ctx.db, { orgId }), listStaffInvitations(ctx.db, { orgId })])
  return { org: { id: org.id, name: org.name }, invitations }
}

// The page's forms: invite someone, or re-send / revoke one invitation.
const schema = z.discriminatedUnion('intent', [
  inviteSchema.extend({ intent: z.literal('invite') }),
  invitationRefSchema.extend({ intent: z.literal('resend') }),
  invitationRefSchema.extend({ intent: z.literal('revoke') }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  await authorize(ctx, 'read', 'Invitation', { orgId })
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = { actorId: ctx.user.id, ...ctx.origin }
  try {
    if (v.intent === 'invite') {
      await authorize(ctx, 'create', 'Invitation', { orgId })
      await inviteStaff(ctx.db, { orgId, email: v.email, role: v.role, by, lang: ctx.lang })
      return form.success(translate(ctx.lang, 'staff.invite_sent', { email: v.email }))
    }
    if (v.intent === 'revoke') {
      await authorize(ctx, 'delete', 'Invitation', { orgId, id: v.invitationId })
      const inv = await revokeInvitation(ctx.db, { orgId, invitationId: v.invitationId, by })
      return form.success(translate(ctx.lang, 'staff.invite_revoked', { email: inv.email }))
    }
    await authorize(ctx, 'update', 'Invitation', { orgId, id: v.invitationId })
    const { invitation } = await resendInvitation(ctx.db, { orgId, invitationId: v.invitationId, by, lang: ctx.lang })
    return form.success(translate(ctx.lang, 'staff.invite_resent', { email: invitation.email }))
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    return form.error(e, v.intent === 'invite' && (code === 'staff.invite_duplicate' || code === 'staff.invite_already_member') ? 'email' : undefined)
  }
}

const STATE_TONE = { pending: 'neutral', expired: 'warn', accepted: 'ok', revoked: 'bad' } as const

type Invitation = Awaited<ReturnType<typeof loader>>['invitations'][number]

export default function Invitations() {
  const t = useT()
  const { org, invitations } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'invite', defaultValue: { intent: 'invite', role: 'teacher' } })
  const columns: Column<Invitation>[] = [
    { header: t('staff.invite_email'), cell: (i) => i.email },
    { header: t('staff.invite_role'), cell: (i) => t(`role.${i.role}`) },
    {
      header: t('staff.state'),
      cell: (i) => (
        <>
          <StatusBadge tone={STATE_TONE[i.state]}>{t(`staff.state_${i.state}`)}</StatusBadge>
          <br />
          <small className="muted">
            {i.state === 'pending' && t('staff.expires_on', { date: formatDate(t.lang, i.expiresAt, true) })}
            {i.state === 'expired' && t('staff.expired_on', { date: formatDate(t.lang, i.expiresAt, true) })}
            {i.state === 'accepted' && formatDate(t.lang, i.acceptedAt, true)}
            {i.state === 'revoked' && formatDate(t.lang, i.revokedAt, true)}
          </small>
        </>
      ),
    },
    {
      header: t('staff.sent'),
      cell: (i) => (
        <>
          {formatDate(t.lang, i.lastSentAt ?? i.createdAt, true)}
          {i.invitedBy && (
            <>
              <br />
              <small className="muted">{t('staff.invited_by', { name: `${i.invitedBy.firstName} ${i.invitedBy.lastName}` })}</small>
            </>
          )}
        </>
      ),
    },
    {
      header: t('staff.actions'),
      hiddenHeader: true,
      cell: (i) =>
        (i.state === 'pending' || i.state === 'expired') && (
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
        ),
    },
  ]
  return (
    <div className="container">
      <PageHeader title={t('staff.invitations_title')} subtitle={org.name} />
      <FormNotice />

      <Section title={t('staff.invite_title')}>
        <p className="hint">{t('staff.invite_intro')}</p>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="invite" />
          <Field meta={fields.email} type="email" label={t('staff.invite_email')} autoComplete="off" />
          <ChoiceField meta={fields.role} legend={t('staff.invite_role')} options={STAFF_INVITE_ROLES.map((r) => ({ value: r, label: t(`role.${r}`), hint: t(`staff.role_help_${r}`) }))} />
          <button type="submit" disabled={busy}>
            {t('staff.invite_submit')}
          </button>
        </Form>
      </Section>

      <Section title={t('staff.invitations_list')} card={false}>
        <DataTable
          label={t('staff.invitations_list')}
          columns={columns}
          rows={invitations}
          rowKey={(i) => i.id}
          rowAttributes={(i) => ({ 'data-email': i.email })}
          empty={t('staff.invitations_empty')}
        />
      </Section>
    </div>
  )
}

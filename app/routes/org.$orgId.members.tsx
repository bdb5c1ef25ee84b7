import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { listStaffInvitations } from '~/models/staff/invitations.server'
import { lastReviews, listMembers, markReviewed, memberCounts, removeStaffMembership } from '~/models/staff/members.server'
import { getOrganization } from '~/models/staff/org-home.server'
import { removeRoleSchema } from '~/models/staff/members.schema'
import { formatDate, t as translate, useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { ConfirmForm, confirmed, DataTable, FormNotice, PageHeader, Section, StatusBadge, type Column } from '~/ui/kit'
import { isAdministratorRole } from '~/roles'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.members')
export const handle = { access: { allow: ['admin', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  // The access review is the administrators' duty; the DPO reads it.
  await authorize(ctx, 'read', 'AccessReview', { orgId })
  const [org, members, pending, reviews, counts] = await Promise.all([
    getOrganization(ctx.db, { orgId }),
    listMembers(ctx.db, ctx.ability, { orgId }),
    listStaffInvitations(ctx.db, { orgId, only: ['pending'] }),
    lastReviews(ctx.db, { orgId }),
    memberCounts(ctx.db, { orgId }),
  ])
  return {
    org: { id: org.id, name: org.name, lastReviewAt: org.lastAccessReviewAt },
    me: ctx.user.id,
    members,
    pending: pending.map((p) => ({ id: p.id, email: p.email, role: p.role, expiresAt: p.expiresAt, lastSentAt: p.lastSentAt ?? p.createdAt })),
    reviews,
    children: counts.byRole.child ?? 0,
    canReview: can(ctx.ability, 'review', 'Organization', { id: orgId, orgId }),
    canRemove: can(ctx.ability, 'delete', 'Member', { orgId }),
    canInvite: can(ctx.ability, 'create', 'Invitation', { orgId }),
  }
}

// The page's forms: record the access review, or remove one staff role (confirmed).
const schema = z.discriminatedUnion('intent', [z.object({ intent: z.literal('review') }), removeRoleSchema.extend({ intent: z.literal('remove'), confirm: confirmed })])

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  await authorize(ctx, 'read', 'AccessReview', { orgId })
  const form = await readForm(request, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = { actorId: ctx.user.id, ...ctx.origin }
  try {
    if (v.intent === 'review') {
      await authorize(ctx, 'review', 'Organization', { id: orgId, orgId })
      const review = await markReviewed(ctx.db, { orgId, by })
      return form.success(translate(ctx.lang, 'staff.review_done', { count: review.membersCount }))
    }
    const { userId, role } = v
    await authorize(ctx, 'delete', 'Member', { orgId, userId, role })
    await removeStaffMembership(ctx.db, { orgId, userId, role, by })
    // Someone who removed their own administrator role can no longer see this page.
    if (userId === ctx.user.id && isAdministratorRole(role)) return redirect('/home')
    return form.success(translate(ctx.lang, 'staff.remove_done'))
  } catch (e) {
    return form.error(e)
  }
}

const STAFF: string[] = ['admin', 'teacher', 'dpo']

type Member = Awaited<ReturnType<typeof loader>>['members'][number]

export default function Members() {
  const t = useT()
  const { org, me, members, pending, reviews, children, canReview, canRemove, canInvite } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${org.id}`
  const columns: Column<Member>[] = [
    {
      header: t('staff.member'),
      cell: (m) => (
        <>
          <strong>
            {m.firstName} {m.lastName}
          </strong>
          {m.userId === me && <span className="muted"> ({t('classes.you')})</span>}
          <br />
          <small className="muted">{m.email}</small>
          {m.deactivatedAt && (
            <>
              <br />
              <StatusBadge tone="bad">{t('staff.deactivated')}</StatusBadge>
            </>
          )}
        </>
      ),
    },
    {
      header: t('staff.roles'),
      cell: (m) => (
        <ul className="plain-list">
          {m.roles.map((r) => (
            <li key={r}>
              <StatusBadge>{t(`role.${r}`)}</StatusBadge>{' '}
              {canRemove && STAFF.includes(r) && (
                <ConfirmForm
                  intent="remove"
                  hidden={{ userId: m.userId, role: r }}
                  open={t('staff.remove')}
                  consequences={[t('staff.remove_confirm', { name: `${m.firstName} ${m.lastName}`, role: t(`role.${r}`) })]}
                  submit={t('staff.remove_submit', { role: t(`role.${r}`) })}
                  busy={busy}
                />
              )}
            </li>
          ))}
        </ul>
      ),
    },
    {
      header: t('staff.classes_taught'),
      cell: (m) =>
        m.classes.length === 0
          ? '—'
          : m.classes.map((c, i) => (
              <span key={c.id}>
                {i > 0 && ', '}
                {canRemove ? <Link to={`${base}/classes/${c.id}`}>{c.name}</Link> : c.name}
                {c.role === 'co' && <span className="muted"> ({t('classes.teacher_role_co')})</span>}
              </span>
            )),
    },
    { header: t('staff.last_login'), cell: (m) => (m.lastLoginAt ? formatDate(t.lang, m.lastLoginAt, true) : <span className="muted">{t('common.never')}</span>) },
  ]
  return (
    <div className="container">
      <PageHeader title={t('staff.members_title')} subtitle={org.name} />
      <FormNotice />

      <Section title={t('staff.review_title')}>
        <p>{t('staff.review_intro')}</p>
        {reviews[0] ? (
          <p data-testid="last-review">
            {t('staff.review_last', { date: formatDate(t.lang, reviews[0].reviewedAt, true), name: reviews[0].firstName ? `${reviews[0].firstName} ${reviews[0].lastName}` : '—' })}
          </p>
        ) : (
          <p data-testid="last-review">
            <StatusBadge tone="warn">{t('staff.review_never')}</StatusBadge>
          </p>
        )}
        {canReview ? (
          <Form method="post">
            <button type="submit" name="intent" value="review" disabled={busy}>
              {t('staff.review_submit')}
            </button>
          </Form>
        ) : (
          <p className="hint">{t('staff.review_read_only')}</p>
        )}
        {reviews.length > 1 && (
          <details>
            <summary>{t('staff.review_history')}</summary>
            <ul>
              {reviews.map((r) => (
                <li key={r.id}>{t('staff.review_entry', { date: formatDate(t.lang, r.reviewedAt, true), name: r.firstName ? `${r.firstName} ${r.lastName}` : '—', count: r.membersCount })}</li>
              ))}
            </ul>
          </details>
        )}
      </Section>

      <Section title={t('staff.members_list', { count: members.length })} card={false}>
        <DataTable
          label={t('staff.members_list', { count: members.length })}
          columns={columns}
          rows={members}
          rowKey={(m) => m.userId}
          rowAttributes={(m) => ({ 'data-email': m.email ?? '' })}
          empty={t('common.none')}
        />
        <p className="muted">{t('staff.children_note', { count: children })}</p>
      </Section>

      <Section title={t('staff.pending_title', { count: pending.length })}>
        {pending.length === 0 ? (
          <p>{t('staff.pending_none')}</p>
        ) : (
          <ul>
            {pending.map((p) => (
              <li key={p.id}>
                {p.email} — {t(`role.${p.role}`)} · {t('staff.expires_on', { date: formatDate(t.lang, p.expiresAt, true) })}
              </li>
            ))}
          </ul>
        )}
        {canInvite && (
          <Link className="button secondary" to={`${base}/invitations`}>
            {t('staff.invitations_open')}
          </Link>
        )}
      </Section>
    </div>
  )
}

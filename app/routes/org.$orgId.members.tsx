import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { listStaffInvitations } from '~/models/staff/invitations.server'
import { lastReviews, listMembers, markReviewed, memberCounts, removeStaffMembership } from '~/models/staff/members.server'
import { getOrganization } from '~/models/staff/org-home.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility } from '~/permissions/request.server'
import { errorReply, successReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — membres et accès' }]
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

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  await authorize(ctx, 'read', 'AccessReview', { orgId })
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const by = { actorId: ctx.user.id, ...ctx.origin }
  try {
    if (intent === 'review') {
      await authorize(ctx, 'review', 'Organization', { id: orgId, orgId })
      const review = await markReviewed(ctx.db, { orgId, by })
      return successReply(translate(ctx.lang, 'staff.review_done', { count: review.membersCount }))
    }
    if (intent === 'remove') {
      const userId = String(form.get('userId') ?? '')
      const role = String(form.get('role') ?? '') as 'admin' | 'teacher' | 'dpo'
      await authorize(ctx, 'delete', 'Member', { orgId, userId, role })
      await removeStaffMembership(ctx.db, { orgId, userId, role, by })
      // Someone who removed their own administrator role can no longer see this page.
      if (userId === ctx.user.id && role === 'admin') return redirect('/home')
      return successReply(translate(ctx.lang, 'staff.remove_done'))
    }
    return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action') } satisfies FormReply
  } catch (e) {
    return errorReply(e, ctx.lang)
  }
}

const STAFF: string[] = ['admin', 'teacher', 'dpo']

export default function Members() {
  const t = useT()
  const { org, me, members, pending, reviews, children, canReview, canRemove, canInvite } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const base = `/org/${org.id}`
  return (
    <div className="container">
      <h1>{t('staff.members_title')}</h1>
      <p className="muted">{org.name}</p>
      {reply?.message && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}

      <section className="card" aria-labelledby="review-title">
        <h2 id="review-title">{t('staff.review_title')}</h2>
        <p>{t('staff.review_intro')}</p>
        {reviews[0] ? (
          <p data-testid="last-review">
            {t('staff.review_last', { date: formatDate(t.lang, reviews[0].reviewedAt, true), name: reviews[0].firstName ? `${reviews[0].firstName} ${reviews[0].lastName}` : '—' })}
          </p>
        ) : (
          <p data-testid="last-review">
            <span className="badge warn">{t('staff.review_never')}</span>
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
                <li key={r.id}>
                  {t('staff.review_entry', { date: formatDate(t.lang, r.reviewedAt, true), name: r.firstName ? `${r.firstName} ${r.lastName}` : '—', count: r.membersCount })}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>

      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('staff.members_list', { count: members.length })}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('staff.member')}</th>
                <th scope="col">{t('staff.roles')}</th>
                <th scope="col">{t('staff.classes_taught')}</th>
                <th scope="col">{t('staff.last_login')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.userId} data-email={m.email ?? ''}>
                  <td>
                    <strong>
                      {m.firstName} {m.lastName}
                    </strong>
                    {m.userId === me && <span className="muted"> ({t('classes.you')})</span>}
                    <br />
                    <small className="muted">{m.email}</small>
                    {m.deactivatedAt && (
                      <>
                        <br />
                        <span className="badge bad">{t('staff.deactivated')}</span>
                      </>
                    )}
                  </td>
                  <td>
                    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                      {m.roles.map((r) => (
                        <li key={r} style={{ marginBottom: '.3rem' }}>
                          <span className="badge">{t(`role.${r}`)}</span>
                          {canRemove && STAFF.includes(r) && (
                            <details style={{ display: 'inline-block', marginLeft: '.4rem' }}>
                              <summary>{t('staff.remove')}</summary>
                              <Form method="post" className="card" style={{ marginTop: '.4rem' }}>
                                <input type="hidden" name="userId" value={m.userId} />
                                <input type="hidden" name="role" value={r} />
                                <p>{t('staff.remove_confirm', { name: `${m.firstName} ${m.lastName}`, role: t(`role.${r}`) })}</p>
                                <button type="submit" name="intent" value="remove" className="danger" disabled={busy}>
                                  {t('staff.remove_submit', { role: t(`role.${r}`) })}
                                </button>
                              </Form>
                            </details>
                          )}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {m.classes.length === 0
                      ? '—'
                      : m.classes.map((c, i) => (
                          <span key={c.id}>
                            {i > 0 && ', '}
                            {canRemove ? <Link to={`${base}/classes/${c.id}`}>{c.name}</Link> : c.name}
                            {c.role === 'co' && <span className="muted"> ({t('classes.teacher_role_co')})</span>}
                          </span>
                        ))}
                  </td>
                  <td>{m.lastLoginAt ? formatDate(t.lang, m.lastLoginAt, true) : <span className="muted">{t('common.never')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted">{t('staff.children_note', { count: children })}</p>
      </section>

      <section className="card" aria-labelledby="pending-title">
        <h2 id="pending-title">{t('staff.pending_title', { count: pending.length })}</h2>
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
      </section>
    </div>
  )
}

import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { listChildren } from '~/models/classes/children.server'
import { listClasses } from '~/models/classes/classes.server'
import { getOrganization, orgOverview } from '~/models/staff/org-home.server'
import { formatDate, isMessageKey, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { orgPages } from '~/permissions/pages'
import { authorize, requireAbility } from '~/permissions/request.server'
import { Notice, PageHeader, Section, StatusBadge } from '~/ui/kit'
import { pageTitleFrom } from '~/ui/meta'

export const meta = pageTitleFrom<typeof loader>((d) => d.org.name, 'title.org_home')
export const handle = {
  access: { allow: ['admin', 'teacher', 'coteacher', 'otherTeacher', 'dpo'], params: { orgId: 'orgA' } } satisfies RouteAccess,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAbility(request)
  const orgId = params.orgId!
  // Children have their own space (/me), not the organization's home: the policy gives them none.
  await authorize(ctx, 'read', 'Organization', { id: orgId, orgId })
  const org = await getOrganization(ctx.db, { orgId }).catch(() => {
    throw new Response('Not found', { status: 404 })
  })
  const roles = ctx.principal.memberships.filter((m) => m.orgId === orgId).map((m) => m.role)
  const pages = orgPages(ctx, orgId)
  // A family's home is its family page (children, consent, cards), not the school overview.
  if (org.kind === 'family' && pages.administer) throw redirect(`/org/${orgId}/family`)
  const [overview, classes, children] = await Promise.all([
    pages.administer ? orgOverview(ctx.db, { orgId }) : null,
    pages.classes && !pages.administer ? listClasses(ctx.db, { ability: ctx.ability, orgId }) : null,
    pages.myChildren ? listChildren(ctx.db, ctx.ability, { orgId }) : null,
  ])
  return {
    org: { id: org.id, name: org.name, kind: org.kind },
    roles,
    // The DPO's desk (its administrators have the overview instead).
    dpoDesk: pages.dpo && !pages.administer,
    overview,
    classes:
      classes?.map((c) => ({ id: c.id, name: c.name, level: c.level, schoolYear: c.schoolYear, childCount: c.childCount, myRole: c.teachers.find((t) => t.userId === ctx.user.id)?.role ?? null })) ??
      null,
    children: children?.map((c) => ({ id: c.id, firstName: c.firstName, lastName: c.lastName, className: c.className })) ?? null,
  }
}

export default function OrgHome() {
  const t = useT()
  const { org, roles, overview, classes, children, dpoDesk } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const base = `/org/${org.id}`
  const joinedRole = `role.${params.get('joined')}`
  return (
    <div className="container">
      <PageHeader title={org.name} subtitle={`${t(`kind.${org.kind}`)} · ${roles.map((r) => t(`role.${r}`)).join(', ')}`} />
      {isMessageKey(joinedRole) && <Notice kind="success">{t('staff.joined', { org: org.name, role: t(joinedRole) })}</Notice>}

      {overview && (
        <Section title={t('classes.home_overview')} card={false}>
          <div className="grid-cards stats">
            <Stat to={`${base}/classes`} value={overview.classes} label={t('classes.home_classes', { count: overview.classes })} />
            <Stat value={overview.children} label={t('classes.home_children', { count: overview.children })} />
            <Stat to={`${base}/members`} value={overview.staff} label={t('staff.home_staff', { count: overview.staff })} />
            <Stat to={`${base}/invitations`} value={overview.pendingInvitations} label={t('staff.home_pending', { count: overview.pendingInvitations })} />
          </div>
          <Section title={t('staff.review_title')} level={3}>
            {overview.lastReviewAt ? (
              <p>{t('staff.review_last', { date: formatDate(t.lang, overview.lastReviewAt), name: overview.lastReviewBy ?? '—' })}</p>
            ) : (
              <p>
                <StatusBadge tone="warn">{t('staff.review_never')}</StatusBadge>
              </p>
            )}
            <div className="actions">
              <Link className="button" to={`${base}/members`}>
                {t('staff.review_open')}
              </Link>
              <Link className="button secondary" to={`${base}/invitations`}>
                {t('staff.invitations_open')}
              </Link>
              <Link className="button secondary" to={`${base}/classes`}>
                {t('classes.manage_link')}
              </Link>
            </div>
          </Section>
        </Section>
      )}

      {classes && (
        <Section title={t('classes.home_my_classes')} card={false}>
          {classes.length === 0 && <p className="empty">{t('classes.home_no_class')}</p>}
          <div className="grid-cards">
            {classes.map((c) => (
              <Section key={c.id} level={3} title={<Link to={`${base}/classes/${c.id}`}>{c.name}</Link>}>
                <p className="muted">
                  {[c.level, c.schoolYear].filter(Boolean).join(' · ')}
                  <br />
                  {t('classes.children_count', { count: c.childCount })}
                  {c.myRole && (
                    <>
                      {' · '}
                      <StatusBadge>{t(`classes.teacher_role_${c.myRole}`)}</StatusBadge>
                    </>
                  )}
                </p>
              </Section>
            ))}
          </div>
        </Section>
      )}

      {dpoDesk && (
        <Section title={t('staff.dpo_title')}>
          <p>{t('staff.dpo_body')}</p>
          <ul>
            <li>
              <Link to={`${base}/members`}>{t('staff.dpo_members_link')}</Link>
            </li>
            <li>
              <Link to={`${base}/dpo/consent-log`}>{t('staff.dpo_consent_link')}</Link>
            </li>
          </ul>
          <p className="muted">{t('staff.dpo_coming')}</p>
        </Section>
      )}

      {children && (
        <Section title={t('classes.home_my_children')}>
          {children.length === 0 ? (
            <p className="empty">{t('classes.home_no_children')}</p>
          ) : (
            <ul>
              {children.map((c) => (
                <li key={`${c.id}-${c.className}`}>
                  {c.firstName} {c.lastName} <span className="muted">({c.className})</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
    </div>
  )
}

/** A figure of the overview; a link to its page when it has one. */
function Stat({ value, label, to }: { value: number; label: string; to?: string }) {
  const body = (
    <>
      <span className="stat-value">{value}</span>
      <span>{label}</span>
    </>
  )
  return to ? (
    <Link className="card stat" to={to}>
      {body}
    </Link>
  ) : (
    <div className="card stat">{body}</div>
  )
}

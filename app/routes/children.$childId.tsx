import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, NavLink, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { DomainError, NotFound } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { childForGuardian, myChildren } from '~/models/families/guardian-view.server'
import { endLink, getLink } from '~/models/families/links.server'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility, type UserCtx } from '~/permissions/request.server'
import { errorReply, type FormReply } from '~/ui/forms.server'
import { Notice } from '~/ui/shell'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Carnet — ${data.child.firstName}` : 'Carnet' }]
// A child as their guardian sees them. Only through an ACTIVE guardian link (not suspended,
// started, not ended) — checked on every request. No matrix persona is linked to child A1
// (tests/integration/guardian-access.test.ts covers linked, suspended, ended, other family,
// other school).
export const handle = {
  access: { allow: [], params: { childId: 'childA1' }, note: 'guardians actively linked to the child only' } satisfies RouteAccess,
}

async function load(request: Request, childId: string) {
  const ctx = await requireAbility(request)
  if (ctx.user.kind !== 'adult') await deny(ctx, 'read', 'Child', childId)
  const linked = ctx.principal.linkedChildren.filter((l) => l.childId === childId)
  if (!linked.length) await deny(ctx, 'read', 'Child', childId)
  for (const l of linked) await authorize(ctx, 'read', 'Child', { orgId: l.orgId, id: childId })
  return { ctx, linked }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const childId = params.childId ?? ''
  const { ctx } = await load(request, childId)
  const [child, siblings] = await Promise.all([
    childForGuardian(ctx.db, { childId, guardianId: ctx.user.id, linked: ctx.principal.linkedChildren }).catch((e) => {
      if (e instanceof NotFound) throw new Response('Not found', { status: 404 })
      throw e
    }),
    myChildren(ctx.db, ctx.principal.linkedChildren),
  ])
  return {
    child: {
      id: child.id,
      firstName: child.firstName,
      lastName: child.lastName,
      birthDate: child.birthDate,
      orgs: child.orgs.map((o) => ({
        ...o,
        link: { ...o.link, startedAt: o.link.startedAt.toISOString(), endedAt: o.link.endedAt?.toISOString() ?? null },
        parentalConsent: o.parentalConsent ? { given: o.parentalConsent.given, at: o.parentalConsent.at.toISOString() } : null,
        isFamilyAdmin: can(ctx.ability, 'update', 'Organization', { id: o.orgId, orgId: o.orgId }),
      })),
    },
    switcher: [...new Map(siblings.map((s) => [s.childId, { id: s.childId, firstName: s.firstName }])).values()],
  }
}

async function removeOwnLink(ctx: UserCtx, orgId: string, linkId: string) {
  const link = await getLink(ctx.db, { orgId, linkId })
  await authorize(ctx, 'end', 'GuardianLink', { id: link.id, orgId: link.orgId, guardianId: link.guardianId })
  await endLink(ctx.db, { orgId, linkId, self: true, by: { actorId: ctx.user.id, ...ctx.origin } })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const childId = params.childId ?? ''
  const { ctx, linked } = await load(request, childId)
  const form = await request.formData()
  if (form.get('intent') !== 'remove-link') return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action') } satisfies FormReply
  const orgId = String(form.get('orgId') ?? '')
  if (!linked.some((l) => l.orgId === orgId)) await deny(ctx, 'end', 'GuardianLink', null, orgId)
  if (form.get('confirm') !== 'on')
    return { status: 'error', fieldErrors: { [`confirm-${orgId}`]: translate(ctx.lang, 'families.guardian.remove_confirm_required') }, formError: undefined } satisfies FormReply
  try {
    await removeOwnLink(ctx, orgId, String(form.get('linkId') ?? ''))
  } catch (e) {
    if (e instanceof DomainError) return errorReply(e, ctx.lang)
    throw e
  }
  return redirect('/children?removed=1')
}

export default function GuardianChildPage() {
  const t = useT()
  const { child, switcher } = useLoaderData<typeof loader>()
  const reply = useActionData<FormReply>()
  const busy = useNavigation().state !== 'idle'
  const [params] = useSearchParams()
  return (
    <div className="narrow" style={{ maxWidth: 680 }}>
      {switcher.length > 1 && (
        <nav aria-label={t('families.children.switcher')} className="actions" style={{ marginBottom: '1rem' }}>
          {switcher.map((s) => (
            <NavLink key={s.id} to={`/children/${s.id}`} className={({ isActive }) => `button${isActive ? '' : ' secondary'}`} aria-current={s.id === child.id ? 'page' : undefined}>
              {s.firstName}
            </NavLink>
          ))}
        </nav>
      )}
      <p>
        <Link to="/children">← {t('families.children.title')}</Link>
      </p>
      <h1>
        {child.firstName} {child.lastName}
      </h1>
      {params.get('linked') && <Notice kind="success">{t('families.guardian.linked', { name: child.firstName })}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title" style={{ marginTop: 0 }}>
          {t('children.page.profile')}
        </h2>
        <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '.3rem 1.2rem', margin: 0 }}>
          <dt>{t('children.page.first_name')}</dt>
          <dd style={{ margin: 0 }}>{child.firstName}</dd>
          <dt>{t('children.page.last_name')}</dt>
          <dd style={{ margin: 0 }}>{child.lastName}</dd>
          <dt>{t('children.page.birth_date')}</dt>
          <dd style={{ margin: 0 }}>{child.birthDate ? formatDate(t.lang, `${child.birthDate}T12:00:00Z`) : '—'}</dd>
        </dl>
      </section>

      {child.orgs.map((o) => (
        <section key={o.orgId} className="card" aria-labelledby={`org-${o.orgId}`}>
          <h2 id={`org-${o.orgId}`} style={{ marginTop: 0 }}>
            {o.orgName} <span className="badge">{t(`kind.${o.orgKind}`)}</span>
          </h2>
          {o.orgKind !== 'family' &&
            (o.classes.length === 0 ? (
              <p>{t('children.page.no_class')}</p>
            ) : (
              o.classes.map((c) => (
                <div key={c.id} style={{ marginBottom: '.6rem' }}>
                  <p style={{ margin: 0 }}>
                    <strong>{t('families.guardian.class', { name: c.name })}</strong> <span className="muted">({c.schoolYear})</span>
                  </p>
                  <p style={{ margin: 0 }}>{c.teachers.length ? t('families.guardian.teachers', { names: c.teachers.map((x) => x.name).join(', ') }) : t('classes.no_teacher')}</p>
                </div>
              ))
            ))}
          {o.orgKind === 'family' && o.parentalConsent?.given && <p>{t('families.consent.given_on', { date: formatDate(t.lang, o.parentalConsent.at, true) })}</p>}
          {o.orgKind === 'family' && o.isFamilyAdmin && (
            <p>
              <Link to={`/org/${o.orgId}/family`}>{t('families.nav.family')} →</Link>
            </p>
          )}
          <h3>{t('families.guardian.records_title')}</h3>
          {o.link.canSeeRecord ? (
            <>
              <p className="muted">{t('families.guardian.records_intro')}</p>
              <p className="actions">
                <Link className="button" to={`/org/${o.orgId}/children/${child.id}/record`}>
                  {t('families.guardian.records_open', { name: child.firstName })}
                </Link>
                <a className="button secondary" href={`/org/${o.orgId}/children/${child.id}/record/pdf`}>
                  {t('families.guardian.records_pdf')}
                </a>
              </p>
            </>
          ) : (
            <p className="muted">{t('families.guardian.records_no_right')}</p>
          )}
          <details>
            <summary>{t('families.guardian.my_link')}</summary>
            <p>
              {t(`families.status.${o.link.legalStatus}`)} · {t('families.guardian.since', { date: formatDate(t.lang, o.link.startedAt) })}
              {o.link.endedAt && ` · ${t('families.guardian.until', { date: formatDate(t.lang, o.link.endedAt) })}`}
            </p>
            <ul>
              <li>{t(o.link.canSeeRecord ? 'families.rights.see_record' : 'families.rights.no_see_record')}</li>
              <li>{t(o.link.canReceiveMessages ? 'families.rights.receive_messages' : 'families.rights.no_receive_messages')}</li>
              <li>{t(o.link.canGiveConsent ? 'families.rights.give_consent' : 'families.rights.no_give_consent')}</li>
            </ul>
            <Form method="post">
              <input type="hidden" name="intent" value="remove-link" />
              <input type="hidden" name="orgId" value={o.orgId} />
              <input type="hidden" name="linkId" value={o.link.id} />
              <div className={`checkbox${reply?.fieldErrors[`confirm-${o.orgId}`] ? ' has-error' : ''}`}>
                <input id={`confirm-${o.orgId}`} type="checkbox" name="confirm" />
                <label htmlFor={`confirm-${o.orgId}`}>{t('families.guardian.remove_confirm', { name: child.firstName, org: o.orgName })}</label>
              </div>
              {reply?.fieldErrors[`confirm-${o.orgId}`] && (
                <p className="error" role="alert">
                  {reply.fieldErrors[`confirm-${o.orgId}`]}
                </p>
              )}
              <button type="submit" className="secondary" disabled={busy}>
                {t('families.guardian.remove')}
              </button>
            </Form>
          </details>
        </section>
      ))}
    </div>
  )
}

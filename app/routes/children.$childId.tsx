import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Link, NavLink, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { NotFound } from '~/errors.server'
import { formatDate, useT } from '~/i18n'
import { childForGuardian, myChildren } from '~/models/families/guardian-view.server'
import { endLink, getLink } from '~/models/families/links.server'
import { removeOwnLinkSchema } from '~/models/families/links.schema'
import { can } from '~/permissions/abilities'
import type { RouteAccess } from '~/permissions/access'
import { authorize, deny, requireAbility, type UserCtx } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { CheckboxField, ConfirmForm, FormNotice, Notice, PageHeader, Section, StatusBadge, useCarnetForm } from '~/ui/kit'
import { pageTitleFrom } from '~/ui/meta'

export const meta = pageTitleFrom<typeof loader>((d) => d.child.firstName, 'title.child_of')
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

// The page's one form: a guardian ends their own link (per organization, box ticked).
const schema = z.discriminatedUnion('intent', [removeOwnLinkSchema.extend({ intent: z.literal('remove-link') })])

export async function action({ request, params }: ActionFunctionArgs) {
  const childId = params.childId ?? ''
  const { ctx, linked } = await load(request, childId)
  const formData = await request.formData()
  // Only an organization where this guardian is linked to the child (a denial, audited, otherwise).
  const orgId = String(formData.get('orgId') ?? '')
  if (formData.get('intent') === 'remove-link' && !linked.some((l) => l.orgId === orgId)) await deny(ctx, 'end', 'GuardianLink', null, orgId)
  const form = await readForm(formData, schema, ctx.lang)
  if (!form.ok) return form.reply
  try {
    await removeOwnLink(ctx, form.value.orgId, form.value.linkId)
  } catch (e) {
    return form.error(e)
  }
  return redirect('/children?removed=1')
}

type Org = ReturnType<typeof useLoaderData<typeof loader>>['child']['orgs'][number]

function RemoveLinkForm({ org, childName }: { org: Org; childName: string }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'remove-link', id: `remove-link-${org.orgId}`, match: { orgId: org.orgId } })
  return (
    <ConfirmForm
      intent="remove-link"
      hidden={{ orgId: org.orgId, linkId: org.link.id }}
      formProps={getFormProps(form)}
      consequences={[t('families.guardian.remove_will', { name: childName, org: org.orgName }), t('families.guardian.remove_again', { org: org.orgName })]}
      cancelWindow={t('families.guardian.remove_final')}
      confirmation={<CheckboxField meta={fields.confirm} label={t('families.guardian.remove_confirm', { name: childName, org: org.orgName })} />}
      submit={t('families.guardian.remove')}
      busy={busy}
    />
  )
}

export default function GuardianChildPage() {
  const t = useT()
  const { child, switcher } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  return (
    <div className="narrow family-page">
      {switcher.length > 1 && (
        <nav aria-label={t('families.children.switcher')} className="actions child-switcher">
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
      <PageHeader title={`${child.firstName} ${child.lastName}`} />
      {params.get('linked') && <Notice kind="success">{t('families.guardian.linked', { name: child.firstName })}</Notice>}
      <FormNotice />
      <Section title={t('children.page.profile')}>
        <dl className="facts">
          <dt>{t('children.page.first_name')}</dt>
          <dd>{child.firstName}</dd>
          <dt>{t('children.page.last_name')}</dt>
          <dd>{child.lastName}</dd>
          <dt>{t('children.page.birth_date')}</dt>
          <dd>{child.birthDate ? formatDate(t.lang, `${child.birthDate}T12:00:00Z`) : '—'}</dd>
        </dl>
      </Section>

      {child.orgs.map((o) => (
        <Section
          key={o.orgId}
          title={
            <>
              {o.orgName} <StatusBadge>{t(`kind.${o.orgKind}`)}</StatusBadge>
            </>
          }
        >
          {o.orgKind !== 'family' &&
            (o.classes.length === 0 ? (
              <p>{t('children.page.no_class')}</p>
            ) : (
              o.classes.map((c) => (
                <div key={c.id} className="tight">
                  <p>
                    <strong>{t('families.guardian.class', { name: c.name })}</strong> <span className="muted">({c.schoolYear})</span>
                  </p>
                  <p>{c.teachers.length ? t('families.guardian.teachers', { names: c.teachers.map((x) => x.name).join(', ') }) : t('classes.no_teacher')}</p>
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
            <RemoveLinkForm org={o} childName={child.firstName} />
          </details>
        </Section>
      ))}
    </div>
  )
}

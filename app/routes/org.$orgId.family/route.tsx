import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { formatDate, t as translate, useT } from '~/i18n'
import { giveParentalConsent, withdrawParentalConsent } from '~/models/families/authorisations.server'
import { addFamilyChild, familyChildCard, getFamily, inviteFamilyGuardian, listFamilyChildren, listFamilyInvitations, revokeFamilyInvitation } from '~/models/families/family.server'
import { qrSvgPath } from '~/ui/qr-svg'
import { currentDocument } from '~/compliance/legal-documents.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, Notice, PageHeader, Section, useCarnetForm, type FormResult } from '~/ui/kit'
import { ChildCard } from './child-card'
import { CHILD_INTENTS, schema, type LoginCard } from './intents'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.family')
// The family's administrators (the parents). A school's administrator gets a 404: not a family.
export const handle = {
  access: { allow: ['admin'], params: { orgId: 'orgA' }, note: 'family organizations only (404 for a school)' } satisfies RouteAccess,
}

async function load(request: Request, orgId: string) {
  const ctx = await requireAbility(request)
  await authorize(ctx, 'update', 'Organization', { id: orgId, orgId })
  await getFamily(ctx.db, { orgId }).catch(() => {
    throw new Response('Not found', { status: 404 })
  })
  return ctx
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? ''
  const ctx = await load(request, orgId)
  const [family, invitations, privacy] = await Promise.all([
    listFamilyChildren(ctx.db, { orgId, viewerId: ctx.user.id }),
    listFamilyInvitations(ctx.db, { orgId }),
    currentDocument(ctx.db, 'privacy', ctx.lang),
  ])
  return {
    org: family.org,
    seats: family.seats,
    familyCode: family.familyCode,
    privacyVersion: privacy.version,
    children: family.children.map((c) => ({ ...c, consent: c.consent ? { given: c.consent.given, at: c.consent.at.toISOString() } : null, cardIssuedAt: c.cardIssuedAt?.toISOString() ?? null })),
    invitations: invitations.filter((i) => i.state === 'pending').map((i) => ({ id: i.id, email: i.email, expiresAt: i.expiresAt.toISOString() })),
  }
}

function canConsent(ctx: UserCtx, orgId: string, childId: string) {
  return ctx.principal.linkedChildren.some((l) => l.orgId === orgId && l.childId === childId && l.canGiveConsent)
}

// What each form may do is asked of the policy before anything typed is looked at.
async function authorizeIntent(ctx: UserCtx, orgId: string, intent: FormDataEntryValue | null, childId: string) {
  if (intent === 'add-child') await authorize(ctx, 'create', 'Child', { orgId })
  else if (intent === 'consent' || intent === 'withdraw-consent') await authorize(ctx, 'create', 'ParentalConsent', { orgId, childId })
  else if (intent === 'card') await authorize(ctx, 'create', 'LoginCard', { orgId, classIds: [] })
  else if (intent === 'invite') await authorize(ctx, 'create', 'Invitation', { orgId })
  else if (intent === 'revoke-invite') await authorize(ctx, 'delete', 'Invitation', { orgId })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const ctx = await load(request, orgId)
  const formData = await request.formData()
  await authorizeIntent(ctx, orgId, formData.get('intent'), String(formData.get('childId') ?? ''))
  const form = await readForm(formData, schema, ctx.lang)
  if (!form.ok) return form.reply
  const v = form.value
  const by = { actorId: ctx.user.id, ...ctx.origin }
  try {
    switch (v.intent) {
      case 'add-child': {
        const child = await addFamilyChild(ctx.db, { orgId, firstName: v.firstName, lastName: v.lastName, birthDate: v.birthDate, by })
        return form.success(translate(ctx.lang, 'families.child.added', { name: child.firstName }))
      }
      case 'consent':
        await giveParentalConsent(ctx.db, { orgId, childId: v.childId, ticked: true, canConsent: canConsent(ctx, orgId, v.childId), lang: ctx.lang, by })
        return form.success(translate(ctx.lang, 'families.consent.given'), { keep: true })
      case 'withdraw-consent':
        await withdrawParentalConsent(ctx.db, { orgId, childId: v.childId, canConsent: canConsent(ctx, orgId, v.childId), lang: ctx.lang, by })
        return form.success(translate(ctx.lang, 'families.consent.withdrawn'), { keep: true })
      case 'card': {
        const card = await familyChildCard(ctx.db, { orgId, childId: v.childId, by })
        return { ...form.success(undefined, { keep: true }), card: { childId: v.childId, ...card, qr: qrSvgPath(card.url) } satisfies LoginCard }
      }
      case 'invite': {
        const { invitation } = await inviteFamilyGuardian(ctx.db, { orgId, email: v.email, by, lang: ctx.lang })
        return form.success(translate(ctx.lang, 'families.invite.sent', { email: invitation.email }))
      }
      case 'revoke-invite':
        await revokeFamilyInvitation(ctx.db, { orgId, invitationId: v.invitationId, by })
        return form.success(translate(ctx.lang, 'families.invite.revoked_done'))
    }
  } catch (e) {
    return form.error(e, v.intent === 'invite' ? 'email' : undefined)
  }
}

export default function FamilyPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const result = useActionData() as FormResult | undefined
  const busy = useNavigation().state !== 'idle'
  const [addForm, addFields] = useCarnetForm(schema, { intent: 'add-child' })
  const [inviteForm, inviteFields] = useCarnetForm(schema, { intent: 'invite' })
  const answers = result?.for ?? ''
  const addRefused = answers === 'add-child' && !!result?.error?.['']?.length
  const full = data.children.length >= data.seats
  const planName = t(`families.plan.${data.org.plan}`)
  return (
    <div className="narrow family-page">
      <PageHeader title={data.org.name} subtitle={t('families.family.seats', { used: data.children.length, max: data.seats, plan: planName })} />
      {/* The answer to a form about one child is shown in that child's card; a refused new child, in its form. */}
      {!CHILD_INTENTS.includes(answers) && !addRefused && <FormNotice />}

      <Section title={t('families.family.children_title')} card={false}>
        {data.children.length === 0 && <p>{t('families.family.no_children')}</p>}
        {data.children.map((c) => (
          <ChildCard key={c.id} child={c} org={data.org} familyCode={data.familyCode} privacyVersion={data.privacyVersion} />
        ))}
      </Section>

      <Section title={t('families.child.add_title')}>
        {addRefused && <FormNotice />}
        {full && !addRefused && <Notice>{t(`families.child.seat_limit_${data.org.plan === 'solo' ? 'solo' : 'family'}`, { max: data.seats })}</Notice>}
        <Form method="post" {...getFormProps(addForm)}>
          <input type="hidden" name="intent" value="add-child" />
          <Field meta={addFields.firstName} label={t('families.child.first_name')} autoComplete="off" />
          <Field meta={addFields.lastName} label={t('families.child.last_name')} autoComplete="off" />
          <Field meta={addFields.birthDate} type="date" label={t('families.child.birth_date')} hint={t('families.child.birth_date_hint')} />
          <button type="submit" disabled={busy}>
            {t('families.child.add_submit')}
          </button>
        </Form>
      </Section>

      <Section title={t('families.invite.title')}>
        <p>{t('families.invite.explain')}</p>
        <Form method="post" {...getFormProps(inviteForm)}>
          <input type="hidden" name="intent" value="invite" />
          <Field meta={inviteFields.email} type="email" label={t('families.invite.email')} autoComplete="off" />
          <button type="submit" disabled={busy}>
            {t('families.invite.submit')}
          </button>
        </Form>
        {data.invitations.length > 0 && (
          <>
            <h3>{t('families.invite.pending')}</h3>
            <ul>
              {data.invitations.map((i) => (
                <li key={i.id}>
                  {i.email} <span className="muted">({t('staff.expires_on', { date: formatDate(t.lang, i.expiresAt) })})</span>{' '}
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="revoke-invite" />
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" className="link-button" disabled={busy}>
                      {t('families.invite.revoke')}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>

      <p>
        <Link to="/children">{t('families.nav.children')} →</Link> · <Link to="/link">{t('families.link.nav')} →</Link>
      </p>
    </div>
  )
}

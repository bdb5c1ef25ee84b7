import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { nameField } from '~/names'
import { giveParentalConsent, withdrawParentalConsent } from '~/models/families/authorisations.server'
import { addFamilyChild, familyChildCard, getFamily, inviteFamilyGuardian, listFamilyChildren, listFamilyInvitations, revokeFamilyInvitation } from '~/models/families/family.server'
import { qrSvgPath } from '~/ui/qr-svg'
import { currentDocument } from '~/compliance/legal-documents.server'
import type { RouteAccess } from '~/permissions/access'
import { authorize, requireAbility, type UserCtx } from '~/permissions/request.server'
import { errorReply, parseForm, successReply, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — espace famille' }]
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

const childSchema = z.object({
  firstName: nameField('families.child.first_name_required'),
  lastName: nameField('families.child.last_name_required'),
  birthDate: z.string({ message: 'families.child.birth_date_invalid' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'families.child.birth_date_invalid'),
})

type Reply = FormReply & { intent?: string; childId?: string; card?: { childId: string; firstName: string; code: string; url: string; qr: { viewBox: number; d: string } } }

function canConsent(ctx: UserCtx, orgId: string, childId: string) {
  return ctx.principal.linkedChildren.some((l) => l.orgId === orgId && l.childId === childId && l.canGiveConsent)
}

export async function action({ request, params }: ActionFunctionArgs) {
  const orgId = params.orgId ?? ''
  const ctx = await load(request, orgId)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const childId = String(form.get('childId') ?? '')
  const by = { actorId: ctx.user.id, ...ctx.origin }
  try {
    switch (intent) {
      case 'add-child': {
        await authorize(ctx, 'create', 'Child', { orgId })
        const parsed = parseForm(form, childSchema, ctx.lang)
        if (!parsed.ok) return { ...parsed.reply, intent } satisfies Reply
        const child = await addFamilyChild(ctx.db, { orgId, ...parsed.value, by })
        return { ...successReply(translate(ctx.lang, 'families.child.added', { name: child.firstName })), intent } satisfies Reply
      }
      case 'consent': {
        await authorize(ctx, 'create', 'ParentalConsent', { orgId, childId })
        await giveParentalConsent(ctx.db, { orgId, childId, ticked: form.get('consent') === 'on', canConsent: canConsent(ctx, orgId, childId), lang: ctx.lang, by })
        return { ...successReply(translate(ctx.lang, 'families.consent.given')), intent, childId } satisfies Reply
      }
      case 'withdraw-consent': {
        await authorize(ctx, 'create', 'ParentalConsent', { orgId, childId })
        await withdrawParentalConsent(ctx.db, { orgId, childId, canConsent: canConsent(ctx, orgId, childId), lang: ctx.lang, by })
        return { ...successReply(translate(ctx.lang, 'families.consent.withdrawn')), intent, childId } satisfies Reply
      }
      case 'card': {
        await authorize(ctx, 'create', 'LoginCard', { orgId, classIds: [] })
        const card = await familyChildCard(ctx.db, { orgId, childId, by })
        return { status: 'success', fieldErrors: {}, intent, childId, card: { childId, ...card, qr: qrSvgPath(card.url) } } satisfies Reply
      }
      case 'invite': {
        await authorize(ctx, 'create', 'Invitation', { orgId })
        const { invitation } = await inviteFamilyGuardian(ctx.db, { orgId, email: String(form.get('email') ?? ''), by, lang: ctx.lang })
        return { ...successReply(translate(ctx.lang, 'families.invite.sent', { email: invitation.email })), intent } satisfies Reply
      }
      case 'revoke-invite': {
        await authorize(ctx, 'delete', 'Invitation', { orgId })
        await revokeFamilyInvitation(ctx.db, { orgId, invitationId: String(form.get('invitationId') ?? ''), by })
        return { ...successReply(translate(ctx.lang, 'families.invite.revoked_done')), intent } satisfies Reply
      }
      default:
        return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action'), intent } satisfies Reply
    }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    const field = intent === 'invite' ? 'email' : intent === 'consent' && e.code === 'families.consent.tick_required' ? 'consent' : undefined
    return { ...errorReply(e, ctx.lang, field), intent, childId } satisfies Reply
  }
}

const CODE_STYLE = { margin: 0, fontWeight: 700, fontSize: '1.3rem', letterSpacing: '.15em', fontFamily: 'ui-monospace, monospace' } as const

/** "France" rather than "FR" (UK is not an ISO region code). */
function countryName(lang: string, code: string) {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code === 'UK' ? 'GB' : code) ?? code
  } catch {
    return code
  }
}

export default function FamilyPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<Reply>()
  const busy = useNavigation().state !== 'idle'
  const full = data.children.length >= data.seats
  const addErr = (f: string) => (reply?.intent === 'add-child' ? reply.fieldErrors[f] : undefined)
  const planName = t(`families.plan.${data.org.plan}`)
  return (
    <div className="narrow" style={{ maxWidth: 640 }}>
      <h1>{data.org.name}</h1>
      <p className="muted">{t('families.family.seats', { used: data.children.length, max: data.seats, plan: planName })}</p>
      {reply?.message && reply.intent !== 'consent' && reply.intent !== 'withdraw-consent' && <Notice kind="success">{reply.message}</Notice>}
      {reply?.formError && !reply.childId && reply.intent !== 'add-child' && <Notice kind="error">{reply.formError}</Notice>}

      <section aria-labelledby="children-title">
        <h2 id="children-title">{t('families.family.children_title')}</h2>
        {data.children.length === 0 && <p>{t('families.family.no_children')}</p>}
        {data.children.map((c) => {
          const mine = reply?.childId === c.id
          return (
            <article key={c.id} className="card" aria-labelledby={`child-${c.id}`}>
              <h3 id={`child-${c.id}`} style={{ marginTop: 0 }}>
                {c.firstName} {c.lastName}
              </h3>
              <p className="muted" style={{ marginTop: 0 }}>
                {c.birthDate ? t('families.family.born', { date: formatDate(t.lang, `${c.birthDate}T12:00:00Z`), age: c.age ?? '?' }) : ''}
              </p>
              {mine && reply?.message && <Notice kind="success">{reply.message}</Notice>}
              {mine && reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
              {c.block ? (
                <p>
                  <span className="badge bad">{t(`families.block.${c.block}`)}</span>
                </p>
              ) : (
                <p>
                  <span className="badge ok">{t('families.family.can_login')}</span>
                </p>
              )}

              {c.needsConsent && !c.consent?.given && (
                <Form method="post" className="card" style={{ background: '#fffaf0' }}>
                  <input type="hidden" name="intent" value="consent" />
                  <input type="hidden" name="childId" value={c.id} />
                  <p style={{ marginTop: 0 }}>{t('families.consent.explain', { name: c.firstName, age: data.org.ageOfConsent, country: countryName(t.lang, data.org.country) })}</p>
                  {c.canConsent ? (
                    <>
                      <div className={`checkbox${mine && reply?.fieldErrors.consent ? ' has-error' : ''}`}>
                        {/* Explicit consent: the box is never ticked in advance. */}
                        <input id={`consent-${c.id}`} type="checkbox" name="consent" aria-describedby={mine && reply?.fieldErrors.consent ? `consent-${c.id}-error` : undefined} />
                        <label htmlFor={`consent-${c.id}`}>{t('families.consent.label', { name: c.firstName, version: data.privacyVersion })}</label>
                      </div>
                      <p className="hint" style={{ marginBottom: '.8rem' }}>
                        <Link to="/legal/privacy" target="_blank">
                          {t('signup.privacy_link')}
                        </Link>
                      </p>
                      {mine && reply?.fieldErrors.consent && (
                        <p className="error" id={`consent-${c.id}-error`} role="alert">
                          {reply.fieldErrors.consent}
                        </p>
                      )}
                      <button type="submit" disabled={busy}>
                        {t('families.consent.submit', { name: c.firstName })}
                      </button>
                    </>
                  ) : (
                    <p className="muted">{t('families.consent.not_allowed')}</p>
                  )}
                </Form>
              )}
              {c.consent?.given && (
                <p className="muted">
                  {t('families.consent.given_on', { date: formatDate(t.lang, c.consent.at, true) })}{' '}
                  {c.canConsent && (
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="withdraw-consent" />
                      <input type="hidden" name="childId" value={c.id} />
                      <button type="submit" className="link-button" disabled={busy}>
                        {t('families.consent.withdraw')}
                      </button>
                    </Form>
                  )}
                </p>
              )}

              <div className="actions">
                <Form method="post">
                  <input type="hidden" name="intent" value="card" />
                  <input type="hidden" name="childId" value={c.id} />
                  <button type="submit" className="secondary" disabled={busy} aria-describedby={`card-hint-${c.id}`}>
                    {t('families.card.show', { name: c.firstName })}
                  </button>
                </Form>
                <Form method="post" action={`/org/${data.org.id}/family/cards`} reloadDocument>
                  <input type="hidden" name="childId" value={c.id} />
                  <button type="submit" className="secondary">
                    {t('families.card.print')}
                  </button>
                </Form>
              </div>
              <p className="hint" id={`card-hint-${c.id}`}>
                {t('families.card.hint')}
              </p>
              {mine && reply?.card && (
                <div className="card" style={{ marginTop: '1rem', textAlign: 'center' }} aria-live="polite">
                  <h4 style={{ margin: '0 0 .5rem' }}>{t('families.card.title', { name: reply.card.firstName })}</h4>
                  <svg
                    role="img"
                    aria-label={t('families.card.qr_label', { name: reply.card.firstName })}
                    viewBox={`0 0 ${reply.card.qr.viewBox} ${reply.card.qr.viewBox}`}
                    style={{ width: '100%', maxWidth: 260, background: '#fff' }}
                    shapeRendering="crispEdges"
                  >
                    <path d={reply.card.qr.d} fill="#000" />
                  </svg>
                  <p>{t('families.card.scan')}</p>
                  {data.familyCode && (
                    <>
                      <p style={{ marginBottom: '.3rem' }}>{t('families.card.or_type')}</p>
                      <dl style={{ display: 'grid', gridTemplateColumns: 'max-content max-content', justifyContent: 'center', gap: '.2rem 1rem', margin: '0 0 1rem' }}>
                        <dt>{t('families.card.family_code')}</dt>
                        <dd style={CODE_STYLE}>{data.familyCode}</dd>
                        <dt>{t('families.card.child_code', { name: reply.card.firstName })}</dt>
                        <dd style={CODE_STYLE} data-testid="child-code">
                          {reply.card.code}
                        </dd>
                      </dl>
                    </>
                  )}
                  <p>
                    <a className="button secondary" href={reply.card.url} data-testid="card-link">
                      {t('families.card.open_here', { name: reply.card.firstName })}
                    </a>
                  </p>
                  <p className="hint">{t('families.card.open_here_hint')}</p>
                </div>
              )}
            </article>
          )
        })}
      </section>

      <section className="card" aria-labelledby="add-title">
        <h2 id="add-title" style={{ marginTop: 0 }}>
          {t('families.child.add_title')}
        </h2>
        {reply?.intent === 'add-child' && reply.formError && <Notice kind="error">{reply.formError}</Notice>}
        {full && !(reply?.intent === 'add-child' && reply.formError) && <Notice>{t(`families.child.seat_limit_${data.org.plan === 'solo' ? 'solo' : 'family'}`, { max: data.seats })}</Notice>}
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="add-child" />
          <Field name="firstName" label={t('families.child.first_name')} error={addErr('firstName')} autoComplete="off" required />
          <Field name="lastName" label={t('families.child.last_name')} error={addErr('lastName')} autoComplete="off" required />
          <Field name="birthDate" type="date" label={t('families.child.birth_date')} hint={t('families.child.birth_date_hint')} error={addErr('birthDate')} required />
          <button type="submit" disabled={busy}>
            {t('families.child.add_submit')}
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="invite-title">
        <h2 id="invite-title" style={{ marginTop: 0 }}>
          {t('families.invite.title')}
        </h2>
        <p>{t('families.invite.explain')}</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="invite" />
          <Field name="email" type="email" label={t('families.invite.email')} error={reply?.intent === 'invite' ? reply.fieldErrors.email : undefined} autoComplete="off" required />
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
      </section>

      <p>
        <Link to="/children">{t('families.nav.children')} →</Link> · <Link to="/link">{t('families.link.nav')} →</Link>
      </p>
    </div>
  )
}

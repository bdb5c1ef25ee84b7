import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { sha256Hex } from '~/crypto.server'
import { clearSessionCookie, createSession, invalidateSession, readSessionToken, sessionCookie } from '~/auth/session.server'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { acceptFamilyInvitation, lookupFamilyInvitation, signUpFromFamilyInvitation } from '~/models/families/family.server'
import { currentDocument } from '~/compliance/legal-documents.server'
import { inviteeSignupSchema } from '~/models/staff/invitations.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { errorReply, parseForm, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — invitation famille' }, { name: 'referrer', content: 'no-referrer' }]
// The second guardian's invitation to a family space. Public: the token is the credential.
export const handle = { access: { allow: 'everyone', params: { token: 'token' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const token = params.token ?? ''
  const lookup = await lookupFamilyInvitation(ctx.db, token)
  if (lookup.state !== 'pending') return { state: lookup.state, orgName: lookup.state === 'unknown' ? null : lookup.orgName } as const
  const inv = lookup.invitation
  const [terms, privacy] = await Promise.all([currentDocument(ctx.db, 'terms', ctx.lang), currentDocument(ctx.db, 'privacy', ctx.lang)])
  return {
    state: 'pending',
    orgName: lookup.orgName,
    email: inv.email,
    expiresAt: inv.expiresAt.toISOString(),
    childNames: lookup.childNames,
    accountExists: lookup.accountExists,
    signedIn:
      user && user.user.kind === 'adult'
        ? { name: `${user.user.firstName} ${user.user.lastName}`, email: user.user.email, matches: (user.user.email ?? '').toLowerCase() === inv.email.toLowerCase() }
        : null,
    versions: { terms: terms.version, privacy: privacy.version },
    next: `/link/family/${token}`,
  } as const
}

type Reply = FormReply & { intent?: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const token = params.token ?? ''
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  if (intent === 'switch') {
    const cookieToken = readSessionToken(request)
    if (cookieToken) await invalidateSession(ctx.db, sha256Hex(cookieToken))
    return redirect(`/link/family/${token}`, { headers: { 'Set-Cookie': clearSessionCookie() } })
  }
  try {
    if (intent === 'accept') {
      if (!user) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'staff.accept_login_first'), intent } satisfies Reply
      if (form.get('acceptTerms') !== 'on') return { status: 'error', fieldErrors: { acceptTerms: translate(ctx.lang, 'signup.accept_required') }, intent } satisfies Reply
      const joined = await acceptFamilyInvitation(ctx.db, { token, user: { id: user.user.id, email: user.user.email }, accepted: true, lang: ctx.lang, origin: ctx.origin })
      return redirect(`/org/${joined.orgId}/family`)
    }
    if (intent === 'signup') {
      if (user) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'staff.accept_signed_in'), intent } satisfies Reply
      if (form.get('acceptTerms') !== 'on') return { status: 'error', fieldErrors: { acceptTerms: translate(ctx.lang, 'signup.accept_required') }, intent } satisfies Reply
      const parsed = parseForm(form, inviteeSignupSchema, ctx.lang)
      if (!parsed.ok) return { ...parsed.reply, intent } satisfies Reply
      const joined = await signUpFromFamilyInvitation(ctx.db, { token, ...parsed.value, lang: ctx.lang, origin: ctx.origin })
      const { token: sessionToken } = await createSession(ctx.db, joined.user.id, { kind: 'adult', ...ctx.origin })
      return redirect(`/org/${joined.orgId}/family`, { headers: { 'Set-Cookie': sessionCookie(sessionToken, 'adult') } })
    }
    return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action'), intent } satisfies Reply
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    return { ...errorReply(e, ctx.lang, e.code.startsWith('password.') ? 'password' : undefined), intent }
  }
}

export default function FamilyInvitationPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<Reply>()
  const busy = useNavigation().state !== 'idle'
  if (data.state !== 'pending') {
    return (
      <div className="narrow">
        <h1>{t('staff.accept_title_invalid')}</h1>
        <Notice kind="error">{t(`families.family_invite.${data.state}`)}</Notice>
        <p>
          <Link to="/">{t('nav.home')}</Link>
        </p>
      </div>
    )
  }
  const err = (f: string) => reply?.fieldErrors[f]
  const acceptBox = (
    <>
      <div className={`checkbox${err('acceptTerms') ? ' has-error' : ''}`}>
        <input id="f-acceptTerms" type="checkbox" name="acceptTerms" aria-describedby={err('acceptTerms') ? 'f-acceptTerms-error' : undefined} />
        <label htmlFor="f-acceptTerms">{t('families.link.accept_label', { org: data.orgName, terms: data.versions.terms, privacy: data.versions.privacy })}</label>
      </div>
      <p className="hint" style={{ marginBottom: '1rem' }}>
        <Link to="/legal/terms" target="_blank">
          {t('signup.terms_link')}
        </Link>{' '}
        ·{' '}
        <Link to="/legal/privacy" target="_blank">
          {t('signup.privacy_link')}
        </Link>
      </p>
      {err('acceptTerms') && (
        <p className="error" id="f-acceptTerms-error" role="alert">
          {err('acceptTerms')}
        </p>
      )}
    </>
  )
  return (
    <div className="narrow">
      <h1>{t('families.family_invite.title', { org: data.orgName })}</h1>
      <p>{t('families.family_invite.intro', { org: data.orgName, email: data.email, children: data.childNames.join(', ') || '—' })}</p>
      <p className="muted">{t('staff.expires_on', { date: formatDate(t.lang, data.expiresAt, true) })}</p>
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}

      {data.signedIn?.matches && (
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="accept" />
          <p style={{ marginTop: 0 }}>{t('staff.accept_signed_in_as', { name: data.signedIn.name, email: data.signedIn.email ?? '' })}</p>
          {acceptBox}
          <button type="submit" disabled={busy}>
            {t('families.family_invite.accept', { org: data.orgName })}
          </button>
        </Form>
      )}
      {data.signedIn && !data.signedIn.matches && (
        <div className="card">
          <Notice kind="error">{t('staff.accept_wrong_account', { email: data.email, current: data.signedIn.email ?? '' })}</Notice>
          <Form method="post">
            <button type="submit" name="intent" value="switch" className="secondary">
              {t('staff.accept_switch')}
            </button>
          </Form>
        </div>
      )}
      {!data.signedIn && data.accountExists && (
        <div className="card">
          <p style={{ marginTop: 0 }}>{t('staff.accept_has_account', { email: data.email })}</p>
          <Link className="button" to={`/login?next=${encodeURIComponent(data.next)}`}>
            {t('staff.accept_login')}
          </Link>
        </div>
      )}
      {!data.signedIn && !data.accountExists && (
        <Form method="post" className="card" noValidate>
          <h2 style={{ marginTop: 0 }}>{t('staff.accept_create_title')}</h2>
          <input type="hidden" name="intent" value="signup" />
          <div className="field">
            <label htmlFor="f-email">{t('signup.email')}</label>
            <input id="f-email" type="email" value={data.email} readOnly autoComplete="username" style={{ background: '#eef1f6' }} />
          </div>
          <Field name="firstName" label={t('signup.first_name')} error={err('firstName')} autoComplete="given-name" required />
          <Field name="lastName" label={t('signup.last_name')} error={err('lastName')} autoComplete="family-name" required />
          <Field name="password" type="password" label={t('signup.password')} hint={t('signup.password_hint')} error={err('password')} autoComplete="new-password" required />
          {acceptBox}
          <button type="submit" disabled={busy}>
            {t('staff.accept_create_submit')}
          </button>
        </Form>
      )}
    </div>
  )
}

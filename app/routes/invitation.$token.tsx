import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { sha256Hex } from '~/crypto.server'
import { clearSessionCookie, createSession, invalidateSession, readSessionToken, sessionCookie } from '~/auth/session.server'
import { recordAudit } from '~/compliance/audit.server'
import { currentDocument } from '~/compliance/legal-documents.server'
import { acceptInvitation, auditRefusedToken, inviteeSignupSchema, lookupInvitationToken, signUpFromInvitation } from '~/models/staff/invitations.server'
import { formatDate, pickLang, t as translate, useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { errorReply, parseForm, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'

export const meta: MetaFunction = () => [{ title: 'Carnet — invitation' }, { name: 'referrer', content: 'no-referrer' }]
// Public: the token is the credential. Expired, revoked or used links get a clear message.
export const handle = { access: { allow: 'everyone', params: { token: 'token' } } satisfies RouteAccess }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const token = params.token ?? ''
  const lookup = await lookupInvitationToken(ctx.db, token)
  if (lookup.state !== 'pending') {
    await auditRefusedToken(ctx.db, lookup, { actorId: user?.user.id ?? null, ...ctx.origin })
    return { state: lookup.state, orgName: lookup.state === 'unknown' ? null : lookup.orgName } as const
  }
  const inv = lookup.invitation
  const terms = await currentDocument(ctx.db, 'terms', ctx.lang)
  const privacy = await currentDocument(ctx.db, 'privacy', ctx.lang)
  return {
    state: 'pending',
    orgName: lookup.orgName,
    role: inv.role,
    email: inv.email,
    expiresAt: inv.expiresAt,
    accountExists: lookup.accountExists,
    signedIn: user ? { name: `${user.user.firstName} ${user.user.lastName}`, email: user.user.email, matches: (user.user.email ?? '').toLowerCase() === inv.email.toLowerCase() } : null,
    versions: { terms: terms.version, privacy: privacy.version },
    next: `/invitation/${token}`,
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
    // "This is not me": end the current session and come back to the invitation.
    const cookieToken = readSessionToken(request)
    if (cookieToken) {
      await invalidateSession(ctx.db, sha256Hex(cookieToken))
      await recordAudit(ctx.db, { action: 'auth.logout', actorId: user?.user.id ?? null, ...ctx.origin })
    }
    return redirect(`/invitation/${token}`, { headers: { 'Set-Cookie': clearSessionCookie() } })
  }
  try {
    if (intent === 'accept') {
      if (!user) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'staff.accept_login_first'), intent } satisfies Reply
      if (form.get('acceptTerms') !== 'on') return { status: 'error', fieldErrors: { acceptTerms: translate(ctx.lang, 'signup.accept_required') }, intent } satisfies Reply
      const joined = await acceptInvitation(ctx.db, { token, user: { id: user.user.id, email: user.user.email }, accepted: true, lang: ctx.lang, origin: ctx.origin })
      return redirect(`/org/${joined.orgId}?joined=${joined.role}`)
    }
    if (intent === 'signup') {
      if (user) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'staff.accept_signed_in'), intent } satisfies Reply
      const parsed = parseForm(form, inviteeSignupSchema, ctx.lang)
      if (!parsed.ok) return { ...parsed.reply, intent }
      const lang = pickLang(request)
      const joined = await signUpFromInvitation(ctx.db, { token, ...parsed.value, lang, origin: ctx.origin })
      const { token: sessionToken } = await createSession(ctx.db, joined.user.id, { kind: 'adult', ...ctx.origin })
      return redirect(`/org/${joined.orgId}?joined=${joined.role}`, { headers: { 'Set-Cookie': sessionCookie(sessionToken, 'adult') } })
    }
    return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action'), intent } satisfies Reply
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    if (/^staff\.accept_(unknown|expired|revoked|accepted)$/.test(code)) {
      await auditRefusedToken(ctx.db, await lookupInvitationToken(ctx.db, token), { actorId: user?.user.id ?? null, ...ctx.origin })
    }
    return { ...errorReply(e, ctx.lang, code.startsWith('password.') ? 'password' : undefined), intent }
  }
}

export default function InvitationPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<Reply>()
  const busy = useNavigation().state !== 'idle'
  if (data.state !== 'pending') {
    return (
      <div className="container narrow">
        <h1>{t('staff.accept_title_invalid')}</h1>
        <Notice kind="error">{t(`staff.accept_${data.state}`)}</Notice>
        <p>{t('staff.accept_ask_again', { org: data.orgName ?? t('staff.accept_the_school') })}</p>
        <p>
          <Link to="/">{t('nav.home')}</Link>
        </p>
      </div>
    )
  }
  const err = (f: string) => reply?.fieldErrors[f]
  const roleName = t(`role.${data.role}`)
  const acceptBox = (
    <>
      <div className={`checkbox${err('acceptTerms') ? ' has-error' : ''}`}>
        <input id="f-acceptTerms" type="checkbox" name="acceptTerms" aria-describedby={err('acceptTerms') ? 'f-acceptTerms-error' : undefined} />
        <label htmlFor="f-acceptTerms">{t('staff.accept_label', { terms: data.versions.terms, privacy: data.versions.privacy })}</label>
      </div>
      <p className="hint">
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
    <div className="container narrow">
      <h1>{t('staff.accept_title', { org: data.orgName })}</h1>
      <p>{t('staff.accept_intro', { org: data.orgName, role: roleName, email: data.email })}</p>
      <p className="muted">{t('staff.expires_on', { date: formatDate(t.lang, data.expiresAt, true) })}</p>
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}

      {data.signedIn && data.signedIn.matches && (
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="accept" />
          <p>{t('staff.accept_signed_in_as', { name: data.signedIn.name, email: data.signedIn.email ?? '' })}</p>
          {acceptBox}
          <button type="submit" disabled={busy}>
            {t('staff.accept_submit', { org: data.orgName })}
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
          <p>{t('staff.accept_has_account', { email: data.email })}</p>
          <Link className="button" to={`/login?next=${encodeURIComponent(data.next)}`}>
            {t('staff.accept_login')}
          </Link>
        </div>
      )}

      {!data.signedIn && !data.accountExists && (
        <>
          <Form method="post" className="card" noValidate>
            <h2>{t('staff.accept_create_title')}</h2>
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
          <p className="hint">{t('staff.accept_only_this_email', { email: data.email })}</p>
        </>
      )}
    </div>
  )
}

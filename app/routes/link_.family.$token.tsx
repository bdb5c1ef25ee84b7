import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { sha256Hex } from '~/crypto.server'
import { clearSessionCookie, createSession, invalidateSession, readSessionToken, sessionCookie } from '~/auth/session.server'
import { DomainError } from '~/errors.server'
import { formatDate, useT } from '~/i18n'
import { acceptFamilyInvitation, lookupFamilyInvitation, signUpFromFamilyInvitation } from '~/models/families/family.server'
import { currentDocument } from '~/compliance/legal-documents.server'
import { acceptInvitationSchema, inviteeSignupSchema } from '~/models/staff/invitations.schema'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { InviteeEmail, LegalLinks } from '~/ui/join'
import { CheckboxField, Field, FormNotice, Notice, PageHeader, Section, useCarnetForm } from '~/ui/kit'
import { pageTitle, withMeta } from '~/ui/meta'

export const meta = withMeta(pageTitle('title.family_invitation'), { name: 'referrer', content: 'no-referrer' })
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

// The page's forms: accept (signed in), "this is not me" (switch account), or create the account.
const schema = z.discriminatedUnion('intent', [
  acceptInvitationSchema.extend({ intent: z.literal('accept') }),
  z.object({ intent: z.literal('switch') }),
  inviteeSignupSchema.extend({ intent: z.literal('signup') }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const token = params.token ?? ''
  const formData = await request.formData()
  const form = await readForm(formData, schema, ctx.lang, { secrets: ['password'] })
  // Who may send which form comes before what was typed.
  const sent = formData.get('intent')
  if (sent === 'accept' && !user) return form.error(new DomainError('staff.accept_login_first'))
  if (sent === 'signup' && user) return form.error(new DomainError('staff.accept_signed_in'))
  if (!form.ok) return form.reply
  const v = form.value
  if (v.intent === 'switch') {
    const cookieToken = readSessionToken(request)
    if (cookieToken) await invalidateSession(ctx.db, sha256Hex(cookieToken))
    return redirect(`/link/family/${token}`, { headers: { 'Set-Cookie': clearSessionCookie() } })
  }
  try {
    if (v.intent === 'accept') {
      const joined = await acceptFamilyInvitation(ctx.db, { token, user: { id: user!.user.id, email: user!.user.email }, accepted: true, lang: ctx.lang, origin: ctx.origin })
      return redirect(`/org/${joined.orgId}/family`)
    }
    const joined = await signUpFromFamilyInvitation(ctx.db, { token, firstName: v.firstName, lastName: v.lastName, password: v.password, lang: ctx.lang, origin: ctx.origin })
    const { token: sessionToken } = await createSession(ctx.db, joined.user.id, { kind: 'adult', ...ctx.origin })
    return redirect(`/org/${joined.orgId}/family`, { headers: { 'Set-Cookie': sessionCookie(sessionToken, 'adult') } })
  } catch (e) {
    return form.error(e, e instanceof DomainError && e.code.startsWith('password.') ? 'password' : undefined)
  }
}

export default function FamilyInvitationPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [acceptForm, acceptFields] = useCarnetForm(schema, { intent: 'accept' })
  const [signupForm, signupFields] = useCarnetForm(schema, { intent: 'signup' })
  if (data.state !== 'pending') {
    return (
      <div className="narrow">
        <PageHeader title={t('staff.accept_title_invalid')} />
        <Notice kind="error">{t(`families.family_invite.${data.state}`)}</Notice>
        <p>
          <Link to="/">{t('nav.home')}</Link>
        </p>
      </div>
    )
  }
  const acceptLabel = t('families.link.accept_label', { org: data.orgName, terms: data.versions.terms, privacy: data.versions.privacy })
  return (
    <div className="narrow">
      <PageHeader title={t('families.family_invite.title', { org: data.orgName })} />
      <p>{t('families.family_invite.intro', { org: data.orgName, email: data.email, children: data.childNames.join(', ') || '—' })}</p>
      <p className="muted">{t('staff.expires_on', { date: formatDate(t.lang, data.expiresAt, true) })}</p>
      <FormNotice />

      {data.signedIn?.matches && (
        <Form method="post" className="card" {...getFormProps(acceptForm)}>
          <input type="hidden" name="intent" value="accept" />
          <p className="first">{t('staff.accept_signed_in_as', { name: data.signedIn.name, email: data.signedIn.email ?? '' })}</p>
          <CheckboxField meta={acceptFields.acceptTerms} label={acceptLabel} hint={<LegalLinks />} />
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
          <p className="first">{t('staff.accept_has_account', { email: data.email })}</p>
          <Link className="button" to={`/login?next=${encodeURIComponent(data.next)}`}>
            {t('staff.accept_login')}
          </Link>
        </div>
      )}
      {!data.signedIn && !data.accountExists && (
        <Section title={t('staff.accept_create_title')}>
          <Form method="post" {...getFormProps(signupForm)}>
            <input type="hidden" name="intent" value="signup" />
            <InviteeEmail email={data.email} />
            <Field meta={signupFields.firstName} label={t('signup.first_name')} autoComplete="given-name" />
            <Field meta={signupFields.lastName} label={t('signup.last_name')} autoComplete="family-name" />
            <Field meta={signupFields.password} type="password" label={t('signup.password')} hint={t('signup.password_hint')} autoComplete="new-password" />
            <CheckboxField meta={signupFields.acceptTerms} label={acceptLabel} hint={<LegalLinks />} />
            <button type="submit" disabled={busy}>
              {t('staff.accept_create_submit')}
            </button>
          </Form>
        </Section>
      )}
    </div>
  )
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { createSession, sessionCookie } from '~/auth/session.server'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { LEGAL_STATUS_OPTIONS } from '~/models/families/constants'
import { confirmLinkCode, formatCode, inspectLinkCode, reportNotMyChild } from '~/models/families/codes.server'
import { guardianSignupSchema, signUpGuardian } from '~/models/families/guardian-account.server'
import { currentDocument } from '~/compliance/legal-documents.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { errorReply, parseForm, type FormReply } from '~/ui/forms.server'
import { Field, Notice } from '~/ui/shell'
import { isChildAccount } from '~/roles'

export const meta: MetaFunction = () => [{ title: 'Carnet — lier mon enfant' }, { name: 'referrer', content: 'no-referrer' }]
// A guardian types the code of a link letter (or follows the emailed link, ?code=…). Visitors
// without a session are asked to log in or create an account first; a child goes to /me.
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request)
  if (isChildAccount(user?.user)) throw redirect('/me')
  const ctx = baseContext(request, user?.user.locale)
  const url = new URL(request.url)
  const code = (url.searchParams.get('code') ?? '').trim().slice(0, 40)
  const next = `/link${code ? `?code=${encodeURIComponent(code)}` : ''}`
  if (!user) return { signedIn: false as const, code, next }
  const [terms, privacy] = await Promise.all([currentDocument(ctx.db, 'terms', ctx.lang), currentDocument(ctx.db, 'privacy', ctx.lang)])
  const base = { signedIn: true as const, code: code ? formatCode(code) : '', next, name: `${user.user.firstName} ${user.user.lastName}`, versions: { terms: terms.version, privacy: privacy.version } }
  if (!code) return { ...base, lookup: null }
  const lookup = await inspectLinkCode(ctx.db, { code, userId: user.user.id, origin: ctx.origin })
  if (lookup.state === 'throttled')
    return { ...base, lookup: { state: 'error' as const, message: translate(ctx.lang, 'families.code.throttled', { minutes: Math.ceil(lookup.retryAfterSeconds / 60) }) } }
  if (lookup.state !== 'pending') return { ...base, lookup: { state: 'error' as const, message: translate(ctx.lang, `families.code.${lookup.state}`) } }
  return {
    ...base,
    lookup: {
      state: 'pending' as const,
      childFirstName: lookup.childFirstName,
      classNames: lookup.classNames,
      orgName: lookup.orgName,
      expiresAt: lookup.expiresAt.toISOString(),
      alreadyLinked: lookup.alreadyLinked,
    },
  }
}

type Reply = FormReply & { intent?: string }

export async function action({ request }: ActionFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const code = String(form.get('code') ?? '')
  try {
    if (intent === 'signup') {
      if (user) return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'staff.accept_signed_in'), intent } satisfies Reply
      const parsed = parseForm(form, guardianSignupSchema, ctx.lang)
      if (!parsed.ok) return { ...parsed.reply, intent } satisfies Reply
      const created = await signUpGuardian(ctx.db, { ...parsed.value, lang: ctx.lang, origin: ctx.origin })
      const { token } = await createSession(ctx.db, created.id, { kind: 'adult', ...ctx.origin })
      return redirect(`/link${code ? `?code=${encodeURIComponent(code)}` : ''}`, { headers: { 'Set-Cookie': sessionCookie(token, 'adult') } })
    }
    if (!user || user.user.kind !== 'adult') return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'families.link.login_first'), intent } satisfies Reply
    if (intent === 'confirm') {
      const done = await confirmLinkCode(ctx.db, {
        code,
        userId: user.user.id,
        legalStatus: String(form.get('legalStatus') ?? ''),
        acceptTerms: form.get('acceptTerms') === 'on',
        lang: ctx.lang,
        origin: ctx.origin,
      })
      return redirect(`/children/${done.childId}?linked=1`)
    }
    if (intent === 'not-mine') {
      await reportNotMyChild(ctx.db, { code, userId: user.user.id, origin: ctx.origin })
      return redirect('/link?reported=1')
    }
    return { status: 'error', fieldErrors: {}, formError: translate(ctx.lang, 'classes.unknown_action'), intent } satisfies Reply
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    const field = e.code.startsWith('password.')
      ? 'password'
      : e.code === 'signup.email_taken'
        ? 'email'
        : e.code === 'families.link.accept_required'
          ? 'acceptTerms'
          : e.code === 'families.link.status_required'
            ? 'legalStatus'
            : undefined
    return { ...errorReply(e, ctx.lang, field), intent } satisfies Reply
  }
}

export default function LinkPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<Reply>()
  const busy = useNavigation().state !== 'idle'
  const [params] = useSearchParams()
  const err = (f: string) => reply?.fieldErrors[f]

  if (!data.signedIn) {
    return (
      <div className="narrow">
        <h1>{t('families.link.title')}</h1>
        <p>{t('families.link.intro_anonymous')}</p>
        <div className="card">
          <p style={{ marginTop: 0 }}>{t('families.link.have_account')}</p>
          <Link className="button" to={`/login?next=${encodeURIComponent(data.next)}`}>
            {t('families.link.login')}
          </Link>
        </div>
        <Form method="post" className="card" noValidate>
          <h2 style={{ marginTop: 0 }}>{t('families.link.create_title')}</h2>
          {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}
          <input type="hidden" name="intent" value="signup" />
          <input type="hidden" name="code" value={data.code} />
          <Field name="firstName" label={t('signup.first_name')} error={err('firstName')} autoComplete="given-name" required />
          <Field name="lastName" label={t('signup.last_name')} error={err('lastName')} autoComplete="family-name" required />
          <Field name="email" type="email" label={t('signup.email')} error={err('email')} autoComplete="email" required />
          <Field name="password" type="password" label={t('signup.password')} hint={t('signup.password_hint')} error={err('password')} autoComplete="new-password" required />
          <p className="hint" style={{ marginBottom: '1rem' }}>
            {t('families.link.terms_next_step')}
          </p>
          <button type="submit" disabled={busy}>
            {t('families.link.create_submit')}
          </button>
        </Form>
      </div>
    )
  }

  const lookup = data.lookup
  return (
    <div className="narrow">
      <h1>{t('families.link.title')}</h1>
      {params.get('reported') && <Notice kind="success">{t('families.link.reported')}</Notice>}
      {reply?.formError && <Notice kind="error">{reply.formError}</Notice>}

      {lookup?.state === 'pending' ? (
        <>
          <section className="card" aria-labelledby="found-title">
            <h2 id="found-title" style={{ marginTop: 0 }}>
              {t('families.link.is_this_your_child')}
            </h2>
            <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '.3rem 1rem', margin: 0, fontSize: '1.1rem' }}>
              <dt>{t('families.letter.child')}</dt>
              <dd style={{ margin: 0 }}>
                <strong>{lookup.childFirstName}</strong>
              </dd>
              <dt>{t('families.letter.class')}</dt>
              <dd style={{ margin: 0 }}>{lookup.classNames.join(', ') || '—'}</dd>
              <dt>{t('families.letter.school')}</dt>
              <dd style={{ margin: 0 }}>{lookup.orgName}</dd>
            </dl>
            <p className="muted">{t('families.link.code_valid_until', { date: formatDate(t.lang, lookup.expiresAt) })}</p>
            {lookup.alreadyLinked && <Notice>{t('families.link.already_linked')}</Notice>}
          </section>

          <Form method="post" className="card" noValidate>
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="code" value={data.code} />
            <fieldset className={`field${err('legalStatus') ? ' has-error' : ''}`} style={{ border: 0, padding: 0 }}>
              <legend>{t('families.link.status_question', { name: lookup.childFirstName })}</legend>
              {LEGAL_STATUS_OPTIONS.map((s) => (
                <label key={s} className="checkbox" style={{ marginBottom: '.3rem' }}>
                  <input type="radio" name="legalStatus" value={s} defaultChecked={s === 'parent'} /> <span style={{ fontWeight: 400 }}>{t(`families.status.${s}`)}</span>
                </label>
              ))}
              {err('legalStatus') && (
                <p className="error" role="alert">
                  {err('legalStatus')}
                </p>
              )}
            </fieldset>
            <div className={`checkbox${err('acceptTerms') ? ' has-error' : ''}`}>
              <input id="f-acceptTerms" type="checkbox" name="acceptTerms" aria-describedby={err('acceptTerms') ? 'f-acceptTerms-error' : undefined} />
              <label htmlFor="f-acceptTerms">{t('families.link.accept_label', { org: lookup.orgName, terms: data.versions.terms, privacy: data.versions.privacy })}</label>
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
            <button type="submit" disabled={busy}>
              {t('families.link.confirm', { name: lookup.childFirstName })}
            </button>
          </Form>

          <Form method="post" className="card">
            <input type="hidden" name="intent" value="not-mine" />
            <input type="hidden" name="code" value={data.code} />
            <p style={{ marginTop: 0 }}>{t('families.link.not_mine_explain')}</p>
            <button type="submit" className="danger" disabled={busy}>
              {t('families.link.not_mine')}
            </button>
          </Form>
        </>
      ) : (
        <>
          {lookup?.state === 'error' && <Notice kind="error">{lookup.message}</Notice>}
          <p>{t('families.link.intro', { name: data.name })}</p>
          <Form method="get" className="card">
            <div className="field">
              <label htmlFor="link-code">{t('families.link.code')}</label>
              <p className="hint" id="link-code-hint">
                {t('families.link.code_hint')}
              </p>
              <input
                id="link-code"
                name="code"
                className="code-input"
                style={{ maxWidth: '100%', letterSpacing: '.15em' }}
                defaultValue={data.code}
                required
                autoComplete="off"
                autoCapitalize="characters"
                autoCorrect="off"
                spellCheck={false}
                maxLength={20}
                aria-describedby="link-code-hint"
                aria-invalid={lookup?.state === 'error' ? true : undefined}
              />
            </div>
            <button type="submit" disabled={busy}>
              {t('families.link.check')} →
            </button>
          </Form>
          <p>
            <Link to="/children">{t('families.nav.children')} →</Link>
          </p>
        </>
      )}
    </div>
  )
}

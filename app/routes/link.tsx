import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { createSession, sessionCookie } from '~/auth/session.server'
import { DomainError } from '~/errors.server'
import { formatDate, t as translate, useT } from '~/i18n'
import { LEGAL_STATUS_OPTIONS } from '~/models/families/constants'
import { confirmLinkCode, formatCode, inspectLinkCode, reportNotMyChild } from '~/models/families/codes.server'
import { confirmLinkSchema, notMyChildSchema } from '~/models/families/codes.schema'
import { signUpGuardian } from '~/models/families/guardian-account.server'
import { guardianSignupSchema } from '~/models/families/guardian-account.schema'
import { currentDocument } from '~/compliance/legal-documents.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { LegalLinks } from '~/ui/join'
import { CheckboxField, ChoiceField, Field, FormNotice, Notice, PageHeader, Section, plainField, useCarnetForm } from '~/ui/kit'
import { isChildAccount } from '~/roles'
import { pageTitle, withMeta } from '~/ui/meta'

export const meta = withMeta(pageTitle('title.link'), { name: 'referrer', content: 'no-referrer' })
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

// The page's forms: create an account (no session yet), confirm the child behind the code, or
// say it is not my child. (Typing the code is a GET: the code goes in the address.)
const schema = z.discriminatedUnion('intent', [
  guardianSignupSchema.extend({ intent: z.literal('signup'), code: z.string().max(40).optional() }),
  confirmLinkSchema.extend({ intent: z.literal('confirm') }),
  notMyChildSchema.extend({ intent: z.literal('not-mine') }),
])

function signupField(code: string) {
  if (code.startsWith('password.')) return 'password'
  if (code === 'signup.email_taken') return 'email'
  return undefined
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await getOptionalUser(request)
  const ctx = baseContext(request, user?.user.locale)
  const formData = await request.formData()
  const form = await readForm(formData, schema, ctx.lang, { secrets: ['password'] })
  // Who may send which form comes before what was typed.
  const sent = formData.get('intent')
  if (sent === 'signup' && user) return form.error(new DomainError('staff.accept_signed_in'))
  if ((sent === 'confirm' || sent === 'not-mine') && (!user || user.user.kind !== 'adult')) return form.error(new DomainError('families.link.login_first'))
  if (!form.ok) return form.reply
  const v = form.value
  const code = v.code ?? ''
  try {
    if (v.intent === 'signup') {
      const created = await signUpGuardian(ctx.db, { firstName: v.firstName, lastName: v.lastName, email: v.email, password: v.password, lang: ctx.lang, origin: ctx.origin })
      const { token } = await createSession(ctx.db, created.id, { kind: 'adult', ...ctx.origin })
      return redirect(`/link${code ? `?code=${encodeURIComponent(code)}` : ''}`, { headers: { 'Set-Cookie': sessionCookie(token, 'adult') } })
    }
    if (v.intent === 'confirm') {
      const done = await confirmLinkCode(ctx.db, { code, userId: user!.user.id, legalStatus: v.legalStatus, acceptTerms: true, lang: ctx.lang, origin: ctx.origin })
      return redirect(`/children/${done.childId}?linked=1`)
    }
    await reportNotMyChild(ctx.db, { code, userId: user!.user.id, origin: ctx.origin })
    return redirect('/link?reported=1')
  } catch (e) {
    return form.error(e, e instanceof DomainError ? signupField(e.code) : undefined)
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

/** No session yet: log in, or create an account, then come back with the code. */
function SignUpFirst({ data }: { data: Data }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'signup' })
  return (
    <div className="narrow">
      <PageHeader title={t('families.link.title')} />
      <p>{t('families.link.intro_anonymous')}</p>
      <div className="card">
        <p className="first">{t('families.link.have_account')}</p>
        <Link className="button" to={`/login?next=${encodeURIComponent(data.next)}`}>
          {t('families.link.login')}
        </Link>
      </div>
      <Section title={t('families.link.create_title')}>
        <FormNotice />
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="signup" />
          <input type="hidden" name="code" value={data.code} />
          <Field meta={fields.firstName} label={t('signup.first_name')} autoComplete="given-name" />
          <Field meta={fields.lastName} label={t('signup.last_name')} autoComplete="family-name" />
          <Field meta={fields.email} type="email" label={t('signup.email')} autoComplete="email" />
          <Field meta={fields.password} type="password" label={t('signup.password')} hint={t('signup.password_hint')} autoComplete="new-password" />
          <p className="hint form-end">{t('families.link.terms_next_step')}</p>
          <button type="submit" disabled={busy}>
            {t('families.link.create_submit')}
          </button>
        </Form>
      </Section>
    </div>
  )
}

type Pending = Extract<NonNullable<Extract<Data, { signedIn: true }>['lookup']>, { state: 'pending' }>

/** The child behind the code: confirm (who I am to them, the Terms accepted), or "not my child". */
function ConfirmChild({ lookup, code, versions }: { lookup: Pending; code: string; versions: { terms: string; privacy: string } }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useCarnetForm(schema, { intent: 'confirm', defaultValue: { intent: 'confirm', legalStatus: 'parent' } })
  return (
    <>
      <Section title={t('families.link.is_this_your_child')}>
        <dl className="facts large">
          <dt>{t('families.letter.child')}</dt>
          <dd>
            <strong>{lookup.childFirstName}</strong>
          </dd>
          <dt>{t('families.letter.class')}</dt>
          <dd>{lookup.classNames.join(', ') || '—'}</dd>
          <dt>{t('families.letter.school')}</dt>
          <dd>{lookup.orgName}</dd>
        </dl>
        <p className="muted">{t('families.link.code_valid_until', { date: formatDate(t.lang, lookup.expiresAt) })}</p>
        {lookup.alreadyLinked && <Notice>{t('families.link.already_linked')}</Notice>}
      </Section>

      <Form method="post" className="card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="confirm" />
        <input type="hidden" name="code" value={code} />
        <ChoiceField
          meta={fields.legalStatus}
          legend={t('families.link.status_question', { name: lookup.childFirstName })}
          options={LEGAL_STATUS_OPTIONS.map((s) => ({ value: s, label: t(`families.status.${s}`) }))}
        />
        <CheckboxField meta={fields.acceptTerms} label={t('families.link.accept_label', { org: lookup.orgName, terms: versions.terms, privacy: versions.privacy })} hint={<LegalLinks />} />
        <button type="submit" disabled={busy}>
          {t('families.link.confirm', { name: lookup.childFirstName })}
        </button>
      </Form>

      <Form method="post" className="card">
        <input type="hidden" name="intent" value="not-mine" />
        <input type="hidden" name="code" value={code} />
        <p className="first">{t('families.link.not_mine_explain')}</p>
        <button type="submit" className="danger" disabled={busy}>
          {t('families.link.not_mine')}
        </button>
      </Form>
    </>
  )
}

export default function LinkPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const [params] = useSearchParams()
  if (!data.signedIn) return <SignUpFirst data={data} />

  const lookup = data.lookup
  return (
    <div className="narrow">
      <PageHeader title={t('families.link.title')} />
      {params.get('reported') && <Notice kind="success">{t('families.link.reported')}</Notice>}
      <FormNotice />

      {lookup?.state === 'pending' ? (
        <ConfirmChild lookup={lookup} code={data.code} versions={data.versions} />
      ) : (
        <>
          <p>{t('families.link.intro', { name: data.name })}</p>
          {/* A GET form: the code goes in the address, as in the emailed link (/link?code=…). */}
          <Form method="get" className="card">
            <Field
              meta={plainField('code', { id: 'link-code', defaultValue: data.code, error: lookup?.state === 'error' ? lookup.message : null, required: true })}
              className="link-code"
              label={t('families.link.code')}
              hint={t('families.link.code_hint')}
              autoComplete="off"
              autoCapitalize="characters"
              autoCorrect="off"
              spellCheck={false}
              maxLength={20}
            />
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

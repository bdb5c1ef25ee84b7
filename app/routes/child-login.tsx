import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { invalidateSession, readSessionToken, sessionCookie } from '~/auth/session.server'
import { sha256Hex } from '~/crypto.server'
import { DomainError } from '~/errors.server'
import { t as translate, useT } from '~/i18n'
import { childCodeLoginSchema } from '~/models/children/child-login.schema'
import { loginWithClassCode, openClassPicker } from '~/models/children/child-login.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { readForm } from '~/ui/forms.server'
import { Field, FormNotice, Notice, plainField, useFormAnswer } from '~/ui/kit'
import { isChildAccount } from '~/roles'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.child_login')
// A signed-in child is sent on to /me; everyone else sees the three steps.
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

// Step 1: ?class absent. Step 2: ?class=CODE (pick your name). Step 3: ?class=CODE&child=ID.
// Steps 1 and 2 are GET forms, so a teacher can bookmark /child-login?class=CODE on a tablet.
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = baseContext(request)
  const signedIn = await getOptionalUser(request)
  if (isChildAccount(signedIn?.user)) throw redirect('/me')
  const adultSignedIn = !!signedIn
  const url = new URL(request.url)
  const classCode = (url.searchParams.get('class') ?? '').trim()
  const childId = url.searchParams.get('child')
  if (!classCode) return { step: 1 as const, adultSignedIn, classCode: '', error: null }
  const opened = await openClassPicker(ctx.db, classCode, ctx.origin)
  if (!opened.ok) {
    const error =
      opened.reason === 'throttled' ? translate(ctx.lang, 'children.login.throttled', { minutes: Math.ceil(opened.retryAfterSeconds / 60) }) : translate(ctx.lang, 'children.login.wrong_class')
    return { step: 1 as const, adultSignedIn, classCode, error }
  }
  const { picker } = opened
  const child = childId ? picker.children.find((c) => c.id === childId) : undefined
  if (child) return { step: 3 as const, adultSignedIn, classCode: picker.classCode, className: picker.className, child }
  return { step: 2 as const, adultSignedIn, classCode: picker.classCode, className: picker.className, children: picker.children }
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = baseContext(request)
  const form = await readForm(request, childCodeLoginSchema, ctx.lang)
  if (!form.ok) return form.reply
  const result = await loginWithClassCode(ctx.db, { classCode: form.value.class, childId: form.value.child, code: form.value.code, origin: ctx.origin })
  if (result.ok) {
    // A shared device: whoever was signed in on it before is signed out, not left behind.
    const previous = readSessionToken(request)
    if (previous) await invalidateSession(ctx.db, sha256Hex(previous))
    return redirect('/me', { headers: { 'Set-Cookie': sessionCookie(result.token, 'child') } })
  }
  // A wrong code is said under the code; waiting or asking the teacher, above the form.
  if (result.reason === 'throttled') return form.error(new DomainError('children.login.throttled', { minutes: Math.ceil(result.retryAfterSeconds / 60) }))
  if (result.reason === 'refused') return form.error(new DomainError('children.login.refused'))
  return form.error(new DomainError('children.login.wrong_code'), 'code')
}

// The class tablet's page stays light (issue 11, ≤ 100 KB of first-load JS): its forms are checked
// on the server (readForm with childCodeLoginSchema) and by the browser's constraints, with no
// form library in the page; the server's answer puts a wrong code under the field.
const CODE_MAX = 16 // the schema's CODE_MAX (the schema itself stays on the server)

export default function ChildLogin() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="child-space child-login">
      <p className="muted">
        {t('children.login.title')} · {t('children.login.step', { n: data.step })}
      </p>
      {data.adultSignedIn && <Notice>{t('children.login.adult_signed_in')}</Notice>}

      {data.step === 1 && (
        <>
          <h1>{t('children.login.step1.title')}</h1>
          {/* A GET form: the class code goes in the address, so a teacher can bookmark it on the tablet. */}
          <Form method="get" className="card">
            <Field
              meta={plainField('class', { id: 'class-code', defaultValue: data.classCode, error: data.error, required: true })}
              label={t('children.login.class_code')}
              hint={t('children.login.class_code_hint')}
              className="code-field"
              // eslint-disable-next-line jsx-a11y/no-autofocus -- the page's one task, on a shared class tablet: a six-year-old should not have to find the field
              autoFocus
              autoComplete="off"
              autoCapitalize="characters"
              autoCorrect="off"
              spellCheck={false}
              maxLength={CODE_MAX}
            />
            <button type="submit" disabled={busy}>
              {t('children.login.next')} →
            </button>
          </Form>
          <p>{t('children.login.scan_hint')}</p>
          <p>
            <Link to="/login">{t('children.login.password_link')}</Link>
          </p>
        </>
      )}

      {data.step === 2 && (
        <>
          <h1 id="pick-title">{t('children.login.step2.title')}</h1>
          <p>{t('children.login.step2.class', { name: data.className })}</p>
          {data.children.length === 0 ? (
            <Notice>{t('children.login.empty_class')}</Notice>
          ) : (
            <Form method="get" aria-labelledby="pick-title">
              <input type="hidden" name="class" value={data.classCode} />
              {/* Large targets for small fingers on a shared tablet; every name button the same size. */}
              <ul className="child-pick plain-list">
                {data.children.map((c) => (
                  <li key={c.id}>
                    <button type="submit" name="child" value={c.id}>
                      {c.label}
                    </button>
                  </li>
                ))}
              </ul>
            </Form>
          )}
          <p className="child-login-back">
            <Link to="/child-login">← {t('children.login.not_my_class')}</Link>
          </p>
        </>
      )}

      {data.step === 3 && <CodeStep key={data.child.id} classCode={data.classCode} child={data.child} busy={busy} />}
    </div>
  )
}

/** Step 3: the code on the child's card, checked by the server (wrong code said under the field). */
function CodeStep({ classCode, child, busy }: { classCode: string; child: { id: string; label: string }; busy: boolean }) {
  const t = useT()
  const answer = useFormAnswer()
  return (
    <>
      <h1>{t('children.login.step3.title', { name: child.label })}</h1>
      <FormNotice />
      <Form method="post" className="card">
        <input type="hidden" name="class" value={classCode} />
        <input type="hidden" name="child" value={child.id} />
        <Field
          meta={answer.field('code', { id: 'card-code', required: true })}
          label={t('children.login.code')}
          className="code-field"
          // eslint-disable-next-line jsx-a11y/no-autofocus -- the page's one task, on a shared class tablet: a six-year-old should not have to find the field
          autoFocus
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          maxLength={CODE_MAX}
        />
        <button type="submit" disabled={busy}>
          {t('children.login.submit')} →
        </button>
      </Form>
      <p>
        <Link to={`/child-login?class=${encodeURIComponent(classCode)}`}>← {t('children.login.not_me')}</Link>
      </p>
    </>
  )
}

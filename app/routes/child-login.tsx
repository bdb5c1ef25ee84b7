import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { invalidateSession, readSessionToken, sessionCookie } from '~/auth/session.server'
import { sha256Hex } from '~/crypto.server'
import { t as translate, useT } from '~/i18n'
import { loginWithClassCode, openClassPicker } from '~/models/children/child-login.server'
import type { RouteAccess } from '~/permissions/access'
import { baseContext, getOptionalUser } from '~/permissions/request.server'
import { Notice } from '~/ui/shell'
import { isChildAccount } from '~/roles'

export const meta: MetaFunction = () => [{ title: 'Carnet — connexion élève' }]
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
  const form = await request.formData()
  const result = await loginWithClassCode(ctx.db, {
    classCode: String(form.get('class') ?? ''),
    childId: String(form.get('child') ?? ''),
    code: String(form.get('code') ?? ''),
    origin: ctx.origin,
  })
  if (result.ok) {
    // A shared device: whoever was signed in on it before is signed out, not left behind.
    const previous = readSessionToken(request)
    if (previous) await invalidateSession(ctx.db, sha256Hex(previous))
    return redirect('/me', { headers: { 'Set-Cookie': sessionCookie(result.token, 'child') } })
  }
  const error =
    result.reason === 'throttled'
      ? translate(ctx.lang, 'children.login.throttled', { minutes: Math.ceil(result.retryAfterSeconds / 60) })
      : translate(ctx.lang, result.reason === 'refused' ? 'children.login.refused' : 'children.login.wrong_code')
  return { error }
}

// Large targets for small fingers on a shared tablet; every name button the same size.
const PICK_BUTTON = { width: '100%', height: '100%', minHeight: 88, fontSize: '1.5rem', justifyContent: 'center', textAlign: 'center' } as const

export default function ChildLogin() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="child-space" style={{ maxWidth: 760, margin: '0 auto' }}>
      <p className="muted">
        {t('children.login.title')} · {t('children.login.step', { n: data.step })}
      </p>
      {data.adultSignedIn && <Notice>{t('children.login.adult_signed_in')}</Notice>}

      {data.step === 1 && (
        <>
          <h1>{t('children.login.step1.title')}</h1>
          {data.error && <Notice kind="error">{data.error}</Notice>}
          <Form method="get" className="card">
            <div className="field">
              <label htmlFor="class-code">{t('children.login.class_code')}</label>
              <p className="hint" id="class-code-hint">
                {t('children.login.class_code_hint')}
              </p>
              <input
                id="class-code"
                name="class"
                className="code-input"
                defaultValue={data.classCode}
                required
                // eslint-disable-next-line jsx-a11y/no-autofocus -- the page's one task, on a shared class tablet: a six-year-old should not have to find the field
                autoFocus
                autoComplete="off"
                autoCapitalize="characters"
                autoCorrect="off"
                spellCheck={false}
                maxLength={16}
                aria-describedby="class-code-hint"
                aria-invalid={data.error ? true : undefined}
              />
            </div>
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
              <ul className="child-pick" style={{ listStyle: 'none', padding: 0 }}>
                {data.children.map((c) => (
                  <li key={c.id}>
                    <button type="submit" name="child" value={c.id} style={PICK_BUTTON}>
                      {c.label}
                    </button>
                  </li>
                ))}
              </ul>
            </Form>
          )}
          <p style={{ marginTop: '1.5rem' }}>
            <Link to="/child-login">← {t('children.login.not_my_class')}</Link>
          </p>
        </>
      )}

      {data.step === 3 && (
        <>
          <h1>{t('children.login.step3.title', { name: data.child.label })}</h1>
          {reply?.error && <Notice kind="error">{reply.error}</Notice>}
          <Form method="post" className="card" key={data.child.id}>
            <input type="hidden" name="class" value={data.classCode} />
            <input type="hidden" name="child" value={data.child.id} />
            <div className="field">
              <label htmlFor="card-code">{t('children.login.code')}</label>
              <input
                id="card-code"
                name="code"
                className="code-input"
                required
                // eslint-disable-next-line jsx-a11y/no-autofocus -- the page's one task, on a shared class tablet: a six-year-old should not have to find the field
                autoFocus
                autoComplete="off"
                autoCapitalize="characters"
                autoCorrect="off"
                spellCheck={false}
                maxLength={16}
                aria-invalid={reply?.error ? true : undefined}
              />
            </div>
            <button type="submit" disabled={busy}>
              {t('children.login.submit')} →
            </button>
          </Form>
          <p>
            <Link to={`/child-login?class=${encodeURIComponent(data.classCode)}`}>← {t('children.login.not_me')}</Link>
          </p>
        </>
      )}
    </div>
  )
}

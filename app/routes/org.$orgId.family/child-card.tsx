// One child of the family space: can they log in (and why not), the parental consent to give or
// withdraw, their login card. The answer to a form about this child is shown here.
import { getFormProps } from '@conform-to/react'
import { Form, Link, useActionData, useNavigation, type useLoaderData } from '@remix-run/react'
import { formatDate, useT } from '~/i18n'
import { CheckboxField, FormNotice, StatusBadge, useCarnetForm, type FormResult } from '~/ui/kit'
import { CHILD_INTENTS, schema, type LoginCard } from './intents'
import { LoginCardView } from './login-card'
import type { loader } from './route'

type FamilyChild = ReturnType<typeof useLoaderData<typeof loader>>['children'][number]

/** "France" rather than "FR" (UK is not an ISO region code). */
function countryName(lang: string, code: string) {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code === 'UK' ? 'GB' : code) ?? code
  } catch {
    return code
  }
}

export function ChildCard({
  child: c,
  org,
  familyCode,
  privacyVersion,
}: {
  child: FamilyChild
  org: { id: string; ageOfConsent: number; country: string }
  familyCode: string | null
  privacyVersion: string
}) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const result = useActionData() as (FormResult & { card?: LoginCard }) | undefined
  const mine = !!result && CHILD_INTENTS.includes(result.for ?? '') && result.initialValue?.childId === c.id
  const [consentForm, consentFields] = useCarnetForm(schema, { intent: 'consent', id: `consent-${c.id}`, match: { childId: c.id } })
  const headingId = `child-${c.id}`
  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {c.firstName} {c.lastName}
      </h3>
      <p className="muted first">{c.birthDate ? t('families.family.born', { date: formatDate(t.lang, `${c.birthDate}T12:00:00Z`), age: c.age ?? '?' }) : ''}</p>
      {mine && <FormNotice />}
      <p>{c.block ? <StatusBadge tone="bad">{t(`families.block.${c.block}`)}</StatusBadge> : <StatusBadge tone="ok">{t('families.family.can_login')}</StatusBadge>}</p>

      {c.needsConsent && !c.consent?.given && (
        <Form method="post" className="card to-do" {...getFormProps(consentForm)}>
          <input type="hidden" name="intent" value="consent" />
          <input type="hidden" name="childId" value={c.id} />
          <p className="first">{t('families.consent.explain', { name: c.firstName, age: org.ageOfConsent, country: countryName(t.lang, org.country) })}</p>
          {c.canConsent ? (
            <>
              {/* Explicit consent: the box is never ticked in advance. */}
              <CheckboxField
                meta={consentFields.consent}
                label={t('families.consent.label', { name: c.firstName, version: privacyVersion })}
                hint={
                  <Link to="/legal/privacy" target="_blank">
                    {t('signup.privacy_link')}
                  </Link>
                }
              />
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
        // A div, not a p: a form inside a paragraph is split by the HTML parser (the page then fails to hydrate).
        <div className="muted">
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
        </div>
      )}

      <div className="actions">
        <Form method="post">
          <input type="hidden" name="intent" value="card" />
          <input type="hidden" name="childId" value={c.id} />
          <button type="submit" className="secondary" disabled={busy} aria-describedby={`card-hint-${c.id}`}>
            {t('families.card.show', { name: c.firstName })}
          </button>
        </Form>
        <Form method="post" action={`/org/${org.id}/family/cards`} reloadDocument>
          <input type="hidden" name="childId" value={c.id} />
          <button type="submit" className="secondary">
            {t('families.card.print')}
          </button>
        </Form>
      </div>
      <p className="hint" id={`card-hint-${c.id}`}>
        {t('families.card.hint')}
      </p>
      {mine && result?.card && <LoginCardView card={result.card} familyCode={familyCode} />}
    </article>
  )
}

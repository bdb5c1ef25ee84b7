// Pieces of the pages where someone joins Carnet from a link (a staff or family invitation, a
// guardian linking a child): the Terms and privacy policy beside the box that accepts them, and
// the invited address shown but not typed.
import { Link } from '@remix-run/react'
import { useT } from '~/i18n'

/** The Terms and the privacy policy, opened beside the form before ticking the box. */
export function LegalLinks({ terms = true }: { terms?: boolean }) {
  const t = useT()
  return (
    <>
      {terms && (
        <>
          <Link to="/legal/terms" target="_blank">
            {t('signup.terms_link')}
          </Link>{' '}
          ·{' '}
        </>
      )}
      <Link to="/legal/privacy" target="_blank">
        {t('signup.privacy_link')}
      </Link>
    </>
  )
}

/** The invited address, shown (not sent): the account is created for it and no other. */
export function InviteeEmail({ email }: { email: string }) {
  const t = useT()
  return (
    <div className="field">
      <label htmlFor="f-email">{t('signup.email')}</label>
      <input id="f-email" type="email" value={email} readOnly autoComplete="username" className="readonly" />
    </div>
  )
}

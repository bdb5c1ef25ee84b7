import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { getOptionalUser } from '~/permissions/request.server'
import { PageHeader, Section } from '~/ui/kit'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.privacy_centre')
// The privacy centre, linked from every page's footer ("Exercise my rights"): make a request,
// follow one ("My requests" when signed in, the status link of the receipt otherwise), read the
// privacy policy.
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  const who = await getOptionalUser(request)
  return { adult: who?.user.kind === 'adult' }
}

export default function PrivacyCentre() {
  const t = useT()
  const { adult } = useLoaderData<typeof loader>()
  return (
    <div className="container narrow">
      <PageHeader title={t('dsr.centre.title')} subtitle={t('dsr.centre.intro')} />
      <Section title={t('dsr.centre.request')}>
        <p>{t('dsr.centre.request_hint')}</p>
        <ul>
          {adult && (
            <li>
              <Link to="/rights-request/account">{t('dsr.centre.request_signed_in')}</Link>
            </li>
          )}
          <li>
            <Link to="/rights-request">{adult ? t('dsr.centre.request_public_other') : t('dsr.centre.request_public')}</Link>
          </li>
        </ul>
      </Section>
      <Section title={t('dsr.centre.follow')}>
        {adult && (
          <p>
            <Link to="/account/requests">{t('nav.my_requests')}</Link>
          </p>
        )}
        <p>{t('dsr.centre.follow_hint')}</p>
      </Section>
      <Section title={t('nav.privacy_policy')}>
        <p>
          <Link to="/legal/privacy">{t('dsr.centre.policy_link')}</Link>
        </p>
      </Section>
    </div>
  )
}

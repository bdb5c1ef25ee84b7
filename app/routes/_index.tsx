import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { useT } from '~/i18n'
import type { RouteAccess } from '~/permissions/access'
import { getOptionalUser } from '~/permissions/request.server'
import { pageTitle } from '~/ui/meta'

export const meta = pageTitle('title.landing')
export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect('/home')
  return null
}

export default function Landing() {
  const t = useT()
  return (
    <div className="container narrow">
      <h1>{t('landing.title')}</h1>
      <p>{t('landing.body')}</p>
      <div className="actions">
        <Link className="button" to="/signup">
          {t('nav.signup')}
        </Link>
        <Link className="button secondary" to="/login">
          {t('nav.login')}
        </Link>
        <Link className="button secondary" to="/child-login">
          {t('login.child')}
        </Link>
      </div>
    </div>
  )
}

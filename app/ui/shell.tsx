import { Form, Link, NavLink, useLocation } from '@remix-run/react'
import { t, useMessages, type Lang } from '~/i18n'
import type { ShellNavOrg } from './nav.server'

type ShellData = {
  lang: Lang
  user: { id: string; firstName: string; lastName: string; kind: string } | null
  nav: ShellNavOrg[]
  devMailbox: boolean
}

export function AppShell({ data, children }: { data: ShellData; children: React.ReactNode }) {
  const { lang, user, nav } = data
  const location = useLocation()
  useMessages()
  return (
    <>
      <a className="skip-link" href="#main">
        {t(lang, 'nav.skip')}
      </a>
      <header className="topbar">
        <Link to={user ? '/home' : '/'} className="brand" aria-label="Carnet">
          <img src="/favicon.svg" alt="" width={24} height={24} /> Carnet
        </Link>
        <nav aria-label={t(lang, 'nav.main')} className="topnav">
          {user ? (
            <>
              {user.kind === 'adult' ? <NavLink to="/account">{t(lang, 'nav.account')}</NavLink> : <NavLink to="/me">{t(lang, 'nav.my_space')}</NavLink>}
              <Form method="post" action="/logout" className="inline">
                <button type="submit" className="link-button">
                  {t(lang, 'nav.logout')}
                </button>
              </Form>
            </>
          ) : (
            <>
              <NavLink to="/login">{t(lang, 'nav.login')}</NavLink>
              <NavLink to="/signup">{t(lang, 'nav.signup')}</NavLink>
            </>
          )}
          <Form method="post" action="/language" className="inline lang-switch">
            <input type="hidden" name="next" value={location.pathname + location.search} />
            <button type="submit" name="lang" value={lang === 'fr' ? 'en' : 'fr'} className="link-button" lang={lang === 'fr' ? 'en' : 'fr'}>
              {lang === 'fr' ? 'English' : 'Français'}
            </button>
          </Form>
        </nav>
      </header>
      <div className="layout">
        {nav.length > 0 && (
          <aside className="sidebar" aria-label={t(lang, 'nav.organizations')}>
            {nav.map((o) => (
              <section key={o.orgId} className="nav-org">
                <h2>
                  {o.orgName}
                  <small>{o.roles.map((r) => t(lang, `role.${r}`)).join(' · ')}</small>
                </h2>
                <ul>
                  {o.items.map((i) => (
                    <li key={i.href}>
                      <NavLink to={i.href} end>
                        {i.label}
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </aside>
        )}
        <main id="main" className="content">
          {children}
        </main>
      </div>
      <footer className="site-footer">
        <nav aria-label={t(lang, 'nav.footer')}>
          <Link to="/privacy">{t(lang, 'nav.rights')}</Link>
          <Link to="/legal/privacy">{t(lang, 'nav.privacy_policy')}</Link>
          <Link to="/accessibility">{t(lang, 'footer.accessibility')}</Link>
          {data.devMailbox && <Link to="/dev/mailbox">{t(lang, 'nav.dev_mailbox')}</Link>}
        </nav>
      </footer>
    </>
  )
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'error'; children: React.ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  )
}

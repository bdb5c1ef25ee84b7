import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useLoaderData, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { rootData } from '~/ui/root.server'
import { PageMessages, isLang, t, type Lang } from '~/i18n'
import { AppShell } from '~/ui/shell'
import { errorTitle } from '~/ui/meta'
import type { RouteAccess } from '~/permissions/access'
import stylesHref from '~/ui/app.css?url'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  return rootData(request)
}

export const handle = { access: { allow: 'everyone' } satisfies RouteAccess }

/** The page's language: the root loader's, or (database away: no root data) the one its 503 carries. */
function usePageLang(): Lang {
  const data = useRouteLoaderData<typeof loader>('root')
  const error = useRouteError()
  const fromError = isRouteErrorResponse(error) ? (error.data as { lang?: unknown } | null)?.lang : undefined
  return data?.lang ?? (isLang(fromError) ? fromError : 'fr')
}

export function Layout({ children }: { children: React.ReactNode }) {
  const lang = usePageLang()
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
        <PageMessages />
      </body>
    </html>
  )
}

export default function App() {
  const data = useLoaderData<typeof loader>()
  return (
    <AppShell data={data}>
      <Outlet />
    </AppShell>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const lang = usePageLang()
  const key = errorKey(error)
  return (
    <main className="container narrow">
      <h1>{t(lang, `${key}.title`)}</h1>
      <p>{t(lang, `${key}.body`)}</p>
      <p>
        <a href="/">{t(lang, 'nav.home')}</a>
      </p>
    </main>
  )
}

function errorKey(error: unknown) {
  const status = isRouteErrorResponse(error) ? error.status : 500
  return status === 403 ? 'error.forbidden' : status === 404 ? 'error.page_not_found' : status === 503 ? 'error.unavailable' : 'error.unexpected'
}

// Every page names itself (app/ui/meta.ts); an error page says what went wrong, in the page's language.
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (!error) return [{ title: 'Carnet' }]
  const fromError = isRouteErrorResponse(error) ? (error.data as { lang?: unknown } | null)?.lang : undefined
  const lang: Lang = data?.lang ?? (isLang(fromError) ? fromError : 'fr')
  return [{ title: errorTitle(lang, `${errorKey(error)}.title`) }]
}

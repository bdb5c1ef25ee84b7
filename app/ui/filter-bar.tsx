// Filters are a GET form (the URL holds them, so they work without JavaScript, can be
// bookmarked and shared); pagination is a pair of links in a named navigation.
import { Form, Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '~/i18n'

export function FilterBar({ resetTo, children, label }: { resetTo: string; children: ReactNode; label?: string }) {
  const t = useT()
  return (
    <Form method="get" className="filter-bar" role="search" aria-label={label ?? t('ui.filters')}>
      {children}
      <div className="actions">
        <button type="submit">{t('ui.apply')}</button>
        <Link to={resetTo}>{t('ui.reset')}</Link>
      </div>
    </Form>
  )
}

type PageLink = { to: string; label?: string } | null | undefined

export function Pagination({ previous, next, label }: { previous?: PageLink; next?: PageLink; label?: string }) {
  const t = useT()
  if (!previous && !next) return null
  return (
    <nav className="pagination" aria-label={label ?? t('ui.pagination')}>
      {previous && (
        <Link to={previous.to} rel="prev">
          ← {previous.label ?? t('ui.previous')}
        </Link>
      )}
      {next && (
        <Link to={next.to} rel="next">
          {next.label ?? t('ui.next')} →
        </Link>
      )}
    </nav>
  )
}

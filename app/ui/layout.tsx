// Page structure: one h1 per page (PageHeader), then sections whose heading level says where
// they sit (Section level 2, a section inside it level 3), each named by its heading.
import { createContext, useId, type ReactNode } from 'react'

/** Inside a named section: a table's scrolling area is then a named group, not a second landmark of the same name. */
export const InSection = createContext(false)

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </div>
  )
}

export function Section({
  title,
  level = 2,
  card = true,
  actions,
  id,
  as: Element = 'section',
  children,
  ...rest
}: {
  title: ReactNode
  level?: 2 | 3 | 4
  /** A framed block (default) or a plain one. */
  card?: boolean
  /** Buttons or links shown beside the heading. */
  actions?: ReactNode
  id?: string
  /** An article for a self-contained item of a list (e.g. one child's card), a section otherwise. */
  as?: 'section' | 'article'
  children?: ReactNode
  'data-testid'?: string
}) {
  const generated = useId()
  const headingId = id ?? `s${generated.replace(/:/g, '')}`
  const Heading = `h${level}` as const
  return (
    <InSection.Provider value={true}>
      <Element className={card ? 'card' : 'block'} aria-labelledby={headingId} {...rest}>
        {actions ? (
          <div className="section-head">
            <Heading id={headingId}>{title}</Heading>
            <div className="actions">{actions}</div>
          </div>
        ) : (
          <Heading id={headingId}>{title}</Heading>
        )}
        {children}
      </Element>
    </InSection.Provider>
  )
}

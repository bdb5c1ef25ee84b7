// A data table in a scrolling region a keyboard can reach (tabIndex 0, named region), with
// column headers, and a sentence instead of an empty table.
import { useContext, type ReactNode } from 'react'
import { InSection } from './layout'

export type Column<R> = {
  header: ReactNode
  cell: (row: R) => ReactNode
  /** The header is read by screen readers only (e.g. a column of buttons). */
  hiddenHeader?: boolean
  /** This column names the row (th scope="row"). */
  rowHeader?: boolean
  className?: string
}

type RowAttributes = { [k: `data-${string}`]: string | undefined; className?: string }

export function DataTable<R>({
  label,
  caption,
  columns,
  rows,
  rowKey,
  rowAttributes,
  empty,
}: {
  /** Names the scrolling region for screen readers. */
  label: string
  caption?: ReactNode
  columns: Column<R>[]
  rows: readonly R[]
  rowKey: (row: R) => string | number
  rowAttributes?: (row: R) => RowAttributes
  /** Said instead of the table when there is no row. */
  empty: ReactNode
}) {
  // In a section (itself a region named by its heading) the scrolling area is a named group: two
  // landmarks of one name could not be told apart (axe landmark-unique).
  const inSection = useContext(InSection)
  if (rows.length === 0) return <p className="empty">{empty}</p>
  return (
    // An area that scrolls must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable).
    <div className="table-wrap" role={inSection ? 'group' : 'region'} aria-label={label} tabIndex={0}>
      <table>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.className}>
                {c.hiddenHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowAttributes?.(row)}>
              {columns.map((c, i) =>
                c.rowHeader ? (
                  <th key={i} scope="row" className={c.className}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={i} className={c.className}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

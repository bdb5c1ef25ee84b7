// A server island: a piece of HTML the server already has as a string (the class grid's table,
// cached) goes into the document once, and not a second time as data for hydration. The loader
// of a document request puts it in the request's islands (the load context, filled by
// server/remix-handler.ts); the component renders it with <Island>. In the browser, hydrating
// that document, there is no island: <Island> keeps the server's DOM as it is (nothing in it is
// interactive but plain links). A client navigation (a data request, no islands) gives the
// component its HTML by another way (see the class grid's page), and <Island> renders that.
import { createContext, useContext } from 'react'

type Islands = Map<string, string>

const IslandContext = createContext<Islands | null>(null)

/** entry.server.tsx: the request's islands, for the page render. */
export const IslandProvider = IslandContext.Provider

/** The islands of this request when it renders a document; null for a data request. */
export function islandsOf(context: unknown): Islands | null {
  const islands = (context as { islands?: unknown } | null)?.islands
  return islands instanceof Map ? (islands as Islands) : null
}

/** The island's HTML while the server renders the document; undefined in the browser. */
export function useIsland(key: string): string | undefined {
  return useContext(IslandContext)?.get(key)
}

// Hydration compares nothing inside: with the same empty string on every render React never
// writes innerHTML, so the server's table stays until `html` brings a new one.
const KEEP = { __html: '' }

/** A div holding server-built HTML: `html` when given, else whatever the server put there. */
export function Island({ html, className }: { html: string | undefined; className?: string }) {
  return <div className={className} suppressHydrationWarning dangerouslySetInnerHTML={html === undefined ? KEEP : { __html: html }} />
}

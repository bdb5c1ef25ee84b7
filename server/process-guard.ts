// What ends a Carnet process and what does not (ADR 017). A programming error that nobody
// caught still ends it (the supervisor restarts a clean process). A lost database connection
// never does: it is an outage the process waits out — pages answer 503, workers pause — and it
// should never reach here at all (every pool and queue has its error listener). If one still
// escapes, it is logged as a bug to report and the process keeps serving.
import { errorCode, reportDatabaseError } from '../app/db.server'

/** Errors PostgreSQL sends while the process itself is shutting it down (Ctrl-C reaches it too). */
export const isPostgresShutdown = (e: unknown) => (e as { code?: string })?.code === '57P01' || /terminating connection due to administrator command|Connection terminated/.test(String(e))

/** The marker the outage test looks for: nothing may reach it. */
export const ESCAPED = 'escaped from a lost database connection'

export function guardProcess({ prefix, stopping }: { prefix: string; stopping: () => boolean }) {
  const handler = (kind: string) => (e: unknown) => {
    if (stopping() && isPostgresShutdown(e)) return
    if (reportDatabaseError(e)) {
      console.error(`${prefix} ${kind} ${ESCAPED} (${errorCode(e)}); kept running. Please report it.`)
      return
    }
    console.error(e)
    process.exit(1)
  }
  process.on('uncaughtException', handler('uncaught exception'))
  process.on('unhandledRejection', handler('unhandled rejection'))
}

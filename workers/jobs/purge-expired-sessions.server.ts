// Hourly sweep of connection data that has no use once expired (DPA: keep no longer than
// needed). Idempotent: it deletes what is due at now(); a second run finds nothing.
import { lt, or } from 'drizzle-orm'
import { z } from 'zod'
import { loginThrottle, sessions, userTokens } from '../../drizzle/schema'
import { DAY, HOUR, now } from '~/clock.server'
import { THROTTLE_WINDOW } from '~/auth/throttle.server'
import { recordAudit } from '~/compliance/audit.server'
import { bindJob, defineJob } from '../../app/queue/job.server'

const purgeExpiredSessionsDefinition = defineJob({
  name: 'purge-expired-sessions',
  payload: z.object({}).strict(),
  queue: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  repeat: { every: HOUR },
})

export const purgeExpiredSessions = bindJob(purgeExpiredSessionsDefinition, async (_payload, { db }) => {
  const at = now()
  const dayAgo = new Date(at.getTime() - DAY)
  return db.transaction(async (tx) => {
    // `.count` rather than `returning()`: a backlog of attempts must not be loaded into memory.
    const s = await tx.delete(sessions).where(lt(sessions.expiresAt, at))
    // Tokens stay a day after expiry/use so the link can still say "expired"/"already used"
    // rather than "unknown".
    const t = await tx.delete(userTokens).where(or(lt(userTokens.expiresAt, dayAgo), lt(userTokens.usedAt, dayAgo)))
    // Throttle counters whose 15-minute window has ended count nothing any more.
    const a = await tx.delete(loginThrottle).where(lt(loginThrottle.windowStartedAt, new Date(at.getTime() - THROTTLE_WINDOW)))
    const counts = { sessions: s.count, userTokens: t.count, loginThrottle: a.count }
    // Counts only: the audit entry must not carry personal data.
    await recordAudit(tx, { action: 'system.purge_sessions', targetType: 'system', details: counts })
    return counts
  })
})

// Configuration from the environment (the public contract in the README).
import { randomBytes } from 'node:crypto'

const devSecret = randomBytes(32).toString('hex')

export const config = {
  get isProduction() {
    return process.env.NODE_ENV === 'production'
  },
  get appUrl() {
    return (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '')
  },
  /** HMAC key for throttling keys, login codes and log checkpoints. */
  get sessionSecret() {
    const s = process.env.SESSION_SECRET
    if (s) return s
    if (process.env.NODE_ENV === 'production') throw new Error('SESSION_SECRET must be set in production')
    // Dev and tests: stable within a process; the start script writes one to DATA_DIR.
    process.env.SESSION_SECRET = devSecret
    return devSecret
  },
  get smtpUrl() {
    return process.env.SMTP_URL || null
  },
  get mailFrom() {
    return process.env.MAIL_FROM ?? 'Carnet <no-reply@carnet.localhost>'
  },
  /** Where people write about the service (the accessibility statement's contact); none: they ask their school. */
  get contactEmail() {
    return process.env.CARNET_CONTACT_EMAIL?.trim() || null
  },
  /**
   * How long a closed rights request is kept as evidence that it was answered (ADR 020):
   * CARNET_RIGHTS_REQUEST_RETENTION_YEARS, 5 by default (the limitation period for a claim).
   */
  get rightsRequestRetentionYears() {
    const raw = process.env.CARNET_RIGHTS_REQUEST_RETENTION_YEARS
    if (raw === undefined || raw === '') return 5
    const years = Number(raw)
    if (!Number.isInteger(years) || years < 1 || years > 30) throw new Error(`CARNET_RIGHTS_REQUEST_RETENTION_YEARS must be a whole number of years between 1 and 30 (got "${raw}")`)
    return years
  },
  /**
   * The access package's download link (ADR 022): CARNET_PACKAGE_LINK_DAYS days (14 by
   * default) and at most CARNET_PACKAGE_LINK_DOWNLOADS downloads (3 by default).
   */
  get packageLinkDays() {
    return wholeNumber('CARNET_PACKAGE_LINK_DAYS', 14, 1, 90)
  },
  get packageLinkDownloads() {
    return wholeNumber('CARNET_PACKAGE_LINK_DOWNLOADS', 3, 1, 20)
  },
  /** The development mailbox page exists only when mail is not really sent, outside production. */
  get devMailboxEnabled() {
    return !this.smtpUrl && process.env.NODE_ENV !== 'production'
  },
  /**
   * …and is shown only to a browser on the machine itself: it holds every reset and invitation
   * link. The peer address is the TCP connection's (set by server/http.ts, never from a header
   * the client sends), so a development instance reachable from the network does not show it.
   */
  devMailboxFor(request: Request) {
    return this.devMailboxEnabled && isLoopback(request.headers.get('x-carnet-remote-addr'))
  },
}

/**
 * HTTPS is enforced in production by Strict-Transport-Security (TLS itself ends at the reverse
 * proxy in front of Carnet); server/http.ts sends it, the records of processing state it.
 */
export const HSTS = { maxAgeSeconds: 365 * 24 * 3600, includeSubDomains: true } as const
export const hstsHeader = () => `max-age=${HSTS.maxAgeSeconds}${HSTS.includeSubDomains ? '; includeSubDomains' : ''}`

function wholeNumber(name: string, fallback: number, min: number, max: number) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`)
  return n
}

export function isLoopback(address: string | null | undefined) {
  const a = (address ?? '')
    .trim()
    .toLowerCase()
    .replace(/^::ffff:/, '')
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a)
}

/** Configuration a process cannot run without; its message names every missing setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Carnet cannot start in production:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/**
 * What production (NODE_ENV=production) refuses to run without, each with what to do. Mail
 * carries password resets, invitations and rights-request receipts: without SMTP_URL they would
 * be written to an outbox nobody reads, so starting without it must be asked for explicitly.
 */
export function productionConfigProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.NODE_ENV !== 'production') return []
  const problems: string[] = []
  if (!env.SESSION_SECRET) problems.push('SESSION_SECRET is not set: set it to a long random value (e.g. `openssl rand -hex 32`), the same for every process.')
  if (!env.SMTP_URL && env.CARNET_ALLOW_NO_SMTP !== '1') {
    problems.push(
      'SMTP_URL is not set: Carnet could not send password resets, invitations or rights-request receipts. Set SMTP_URL (e.g. smtps://user:pass@smtp.example.org:465), or CARNET_ALLOW_NO_SMTP=1 to start without mail on purpose.',
    )
  }
  return problems
}

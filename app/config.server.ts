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
  /** The development mailbox page exists only when mail is not really sent. */
  get devMailboxEnabled() {
    return !this.smtpUrl && process.env.NODE_ENV !== 'production'
  },
}

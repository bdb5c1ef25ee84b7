// The records' description of the security measures (GDPR Art. 30(1)(g)), generated from what
// Carnet does: every number comes from the constant or setting the code applies (Argon2
// parameters, the session cookie's attributes, HSTS, throttling window, roles, audit retention,
// backup expiry, erasure deadline and vacuum window), so the text cannot drift from the code.
// tests/integration/records.test.ts reads the text back against those values.
import { ROLES } from '../../../drizzle/schema'
import { ARGON2, MIN_PASSWORD_LENGTH } from '../../auth/password.server'
import { ADULT_SESSION_TTL, CHILD_SESSION_TTL, SESSION_COOKIE_ATTRIBUTES } from '../../auth/session.server'
import { THROTTLE_WINDOW } from '../../auth/throttle.server'
import { DAY, HOUR, MINUTE } from '../../clock.server'
import { ED25519 } from '../../compliance/checkpoints.server'
import { HSTS } from '../../config.server'
import { t, type Lang, type MessageKey, type Vars } from '../../i18n'
import { auditRetention } from '../audit/retention.server'
import { MONTHLY_MONTHS, RETENTION } from '../backups/schedule.server'
import { DELETION_DEADLINE, MAX_GRACE_HOURS } from '../erasure/requests.server'
import { VACUUM_WINDOW } from '../erasure/vacuum.server'
import { MAX_SUPPORT_HOURS } from '../support-access/grants.schema'

const SECURITY_AREAS = ['hashing', 'transit', 'access', 'logs', 'backups', 'erasure'] as const
export type SecurityArea = (typeof SECURITY_AREAS)[number]
type Measure = { key: MessageKey; vars: Vars }
/** One heading each (hashing, encryption in transit, access control, logs, backups, erasure), its sentences in the reader's language. */
export type SecurityMeasures = { area: SecurityArea; title: string; lines: string[] }[]

const m = (key: MessageKey, vars: Vars = {}): Measure => ({ key, vars })

export function securityMeasures(lang: Lang): SecurityMeasures {
  const audit = auditRetention()
  const byArea: Record<SecurityArea, Measure[]> = {
    hashing: [
      m('retention.records.sec.argon2', { mib: ARGON2.memoryCost / 1024, passes: ARGON2.timeCost, lanes: ARGON2.parallelism, bytes: ARGON2.outputLen }),
      m('retention.records.sec.password_policy', { min: MIN_PASSWORD_LENGTH }),
      m('retention.records.sec.tokens'),
      m('retention.records.sec.throttle', { minutes: THROTTLE_WINDOW / MINUTE }),
    ],
    transit: [
      m('retention.records.sec.tls', { days: Math.round(HSTS.maxAgeSeconds / (DAY / 1000)), subdomains: HSTS.includeSubDomains ? t(lang, 'retention.records.sec.tls_subdomains') : '' }),
      m('retention.records.sec.cookie', { attributes: SESSION_COOKIE_ATTRIBUTES.join(', ') }),
      m('retention.records.sec.origin'),
    ],
    access: [
      m('retention.records.sec.policy', { roles: ROLES.map((r) => t(lang, `role.${r}`)).join(', ') }),
      m('retention.records.sec.denials'),
      m('retention.records.sec.sessions', { adult: ADULT_SESSION_TTL / DAY, child: CHILD_SESSION_TTL / HOUR }),
      m('retention.records.sec.support', { hours: MAX_SUPPORT_HOURS }),
    ],
    logs: [m('retention.records.sec.audit_log', { online: audit.onlineMonths, archive: audit.archiveMonths }), m('retention.records.sec.consent_log', { algorithm: ED25519 })],
    backups: [
      m('retention.records.sec.backups', { daily: RETENTION.daily / DAY, weekly: RETENTION.weekly / DAY / 7, monthly: MONTHLY_MONTHS }),
      m('retention.records.sec.backups_files'),
      m('retention.records.sec.restore'),
    ],
    erasure: [
      m('retention.records.sec.erasure', { hours: DELETION_DEADLINE / HOUR, grace: MAX_GRACE_HOURS }),
      m('retention.records.sec.tombstones'),
      m('retention.records.sec.vacuum', { minutes: VACUUM_WINDOW / MINUTE }),
    ],
  }
  return SECURITY_AREAS.map((area) => ({ area, title: t(lang, `retention.records.sec_area.${area}`), lines: byArea[area].map((x) => t(lang, x.key, x.vars)) }))
}

// Records of processing (GDPR Art. 30; DPA Annex B), generated — nothing is listed by hand:
// purposes, data subjects and categories of data come from the data classification
// (app/compliance/classification.ts), the legal basis from the organization's settings, retention
// periods from the constants the code enforces, recipients from the sub-processor register.
import { and, eq, inArray, isNotNull } from 'drizzle-orm'
import { memberships, organizations, orgPrivacySettings, users, type LegalBasis } from '../../../drizzle/schema'
import { ADULT_SESSION_TTL, CHILD_SESSION_TTL } from '../../auth/session.server'
import { DAY, HOUR, now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { NotFound } from '../../errors.server'
import { auditRetention } from '../audit/retention.server'
import { RETENTION, MONTHLY_MONTHS } from '../backups/schedule.server'
import { CLASSIFICATION, type Category, type Purpose, type SubjectType } from '../../compliance/classification'
import type { MessageKey } from '../../i18n'
import { DELETION_DEADLINE } from '../erasure/requests.server'
import { RETENTION_MONTHS } from '../retention/contract-end.server'
import { currentRegister } from '../subprocessors/register.server'

/** Columns classified 'none' hold no personal data and are left out of the records. */
type Subject = Exclude<SubjectType, 'none'>
type DataCategory = Exclude<Category, 'none'>

export type Activity = {
  purpose: Purpose
  legalBasis: LegalBasis
  subjects: Subject[]
  categories: { category: DataCategory; subjects: Subject[]; tables: string[] }[]
  retention: { key: MessageKey; vars: Record<string, number> }[]
  tables: string[]
}

export type Records = {
  org: { id: string; name: string; kind: string }
  dpos: { name: string; email: string }[]
  legalBasis: LegalBasis
  activities: Activity[]
  recipients: { name: string; activity: string; transfer: boolean; contract: string }[]
  generatedAt: Date
}

const SUBJECT_ORDER: Subject[] = ['child', 'guardian', 'staff', 'adult', 'any']
const CATEGORY_ORDER: DataCategory[] = ['identification', 'contact', 'education', 'learning', 'connection', 'evidence']

/** What the classification says, per purpose: which people, which kinds of data, in which tables. */
export function activitiesFromClassification(legalBasis: LegalBasis): Omit<Activity, 'retention'>[] {
  const byPurpose = new Map<Purpose, { subjects: Set<Subject>; cats: Map<DataCategory, { subjects: Set<Subject>; tables: Set<string> }>; tables: Set<string> }>()
  for (const [table, cls] of Object.entries(CLASSIFICATION)) {
    let p = byPurpose.get(cls.purpose)
    if (!p) byPurpose.set(cls.purpose, (p = { subjects: new Set(), cats: new Map(), tables: new Set() }))
    for (const col of Object.values(cls.columns)) {
      if (col.category === 'none' || col.subject === 'none') continue
      p.subjects.add(col.subject)
      p.tables.add(table)
      let c = p.cats.get(col.category)
      if (!c) p.cats.set(col.category, (c = { subjects: new Set(), tables: new Set() }))
      c.subjects.add(col.subject)
      c.tables.add(table)
    }
  }
  return [...byPurpose]
    .filter(([, p]) => p.subjects.size)
    .map(([purpose, p]) => ({
      purpose,
      legalBasis: purpose === 'legal_obligation' ? 'legal_obligation' : purpose === 'security' ? 'legitimate_interest' : legalBasis,
      subjects: SUBJECT_ORDER.filter((s) => p.subjects.has(s)),
      categories: CATEGORY_ORDER.filter((c) => p.cats.has(c)).map((c) => ({
        category: c,
        subjects: SUBJECT_ORDER.filter((s) => p.cats.get(c)!.subjects.has(s)),
        tables: [...p.cats.get(c)!.tables].sort(),
      })),
      tables: [...p.tables].sort(),
    }))
}

/** Retention periods as the code enforces them (the numbers come from the modules that apply them). */
export function retentionFor(purpose: Purpose): Activity['retention'] {
  const audit = auditRetention()
  const common: Activity['retention'] = [
    { key: 'retention.records.ret.account', vars: { hours: DELETION_DEADLINE / HOUR } },
    { key: 'retention.records.ret.contract', vars: { months: RETENTION_MONTHS } },
    { key: 'retention.records.ret.backups', vars: { daily: RETENTION.daily / DAY, weekly: RETENTION.weekly / DAY / 7, monthly: MONTHLY_MONTHS } },
  ]
  if (purpose === 'security') {
    return [
      { key: 'retention.records.ret.audit', vars: { online: audit.onlineMonths, archive: audit.archiveMonths } },
      { key: 'retention.records.ret.sessions', vars: { adult: ADULT_SESSION_TTL / DAY, child: CHILD_SESSION_TTL / HOUR } },
      ...common,
    ]
  }
  if (purpose === 'legal_obligation') return [{ key: 'retention.records.ret.evidence', vars: {} }, ...common]
  return common
}

export async function recordsOfProcessing(db: DbOrTx, orgId: string): Promise<Records> {
  const [org] = await db.select({ id: organizations.id, name: organizations.name, kind: organizations.kind }).from(organizations).where(eq(organizations.id, orgId))
  if (!org) throw new NotFound('organization')
  const [settings] = await db.select().from(orgPrivacySettings).where(eq(orgPrivacySettings.orgId, orgId))
  const legalBasis = settings?.legalBasis ?? (org.kind === 'school' ? 'public_task' : 'consent')
  const dpos = await db
    .selectDistinct({ first: users.firstName, last: users.lastName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ['dpo']), isNotNull(users.email)))
  const recipients = (await currentRegister(db)).map((s) => ({ name: s.name, activity: s.activity, transfer: s.personalDataTransfer, contract: s.contract }))
  return {
    org,
    dpos: dpos.map((d) => ({ name: `${d.first} ${d.last}`, email: d.email! })),
    legalBasis,
    activities: activitiesFromClassification(legalBasis).map((a) => ({ ...a, retention: retentionFor(a.purpose) })),
    recipients,
    generatedAt: now(),
  }
}

export async function setLegalBasis(db: DbOrTx, a: { orgId: string; legalBasis: LegalBasis; by: string }) {
  await db
    .insert(orgPrivacySettings)
    .values({ orgId: a.orgId, legalBasis: a.legalBasis, updatedAt: now(), updatedBy: a.by })
    .onConflictDoUpdate({ target: orgPrivacySettings.orgId, set: { legalBasis: a.legalBasis, updatedAt: now(), updatedBy: a.by } })
}

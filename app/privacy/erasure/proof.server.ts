// Proof of erasure: when an erasure completes, whoever asked for it (the person, a guardian, an
// admin, a rights request's requester) is told in their language — in the app and by email —
// what was erased, when, what was kept and why, and the tombstone's reference. For a child, the
// other guardians of a family space and the school's admins and DPO are told too.
//
// The recipients are read BEFORE the erasure, in its transaction (the person's own address is
// gone afterwards); the notices are written AFTER it, in the same transaction: a retried
// erasure job finds the request done and writes nothing twice. Notices name no one: the
// tombstone's reference, dates, the organization and categories of data (never table names).
// What was kept and why is generated from the classification, not listed by hand.
import { and, eq, inArray, isNotNull, isNull, lte } from 'drizzle-orm'
import { erasureTombstones, guardianLinks, memberships, notifications, organizations, rightsRequests, users, type DeletionScope } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { recordAudit } from '../../compliance/audit.server'
import { CLASSIFICATION, type Category } from '../../compliance/classification'
import { formatDate, isLang, isMessageKey, t, type Lang, type MessageKey } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { isChildAccount } from '../../roles'
import { controllerContacts } from '../rights-requests/forwarding.server'
import type { DeletionRequest } from './requests.server'

/** requester: asked for it; guardian: another guardian of the child (family space); school: the school's admins and DPO. */
export const PROOF_AUDIENCES = ['requester', 'guardian', 'school'] as const
export type ProofAudience = (typeof PROOF_AUDIENCES)[number]
const KIND_PREFIX = 'erasure.proof.'
const REF_TYPE = 'erasure_tombstone'

type Recipient = {
  /** In the app too (null: no account left — the erased person — or none at all). */
  userId: string | null
  email: string | null
  lang: Lang
  as: ProofAudience
  orgId: string | null
  /** The erased person's own address: the mail is deleted from the outbox once delivered. */
  erasedAddress?: boolean
}

const langOf = (v: string | null | undefined): Lang => (isLang(v) ? v : 'fr')

/**
 * Who is told, read before the erasure in its transaction: the requester (their address
 * captured now, even the erased person's own), then, for a child, the other guardians of each
 * family space and the admins and DPO of each school the erasure reaches.
 */
export async function proofRecipients(tx: DbOrTx, r: DeletionRequest): Promise<Recipient[]> {
  if (!r.subjectId) return []
  const [subject] = await tx.select({ id: users.id, kind: users.kind, email: users.email, locale: users.locale }).from(users).where(eq(users.id, r.subjectId))
  if (!subject) return []
  const out: Recipient[] = []
  switch (r.requestedByRole) {
    case 'self':
      if (subject.email) out.push({ userId: null, email: subject.email, lang: langOf(subject.locale), as: 'requester', orgId: null, erasedAddress: true })
      break
    case 'rights_request': {
      if (!r.rightsRequestId) break
      const [q] = await tx
        .select({ email: rightsRequests.requesterEmail, lang: rightsRequests.lang, userId: rightsRequests.requesterUserId, orgId: rightsRequests.orgId })
        .from(rightsRequests)
        .where(eq(rightsRequests.id, r.rightsRequestId))
      if (!q?.email) break
      const erased = q.userId === subject.id || (!!subject.email && q.email.toLowerCase() === subject.email.toLowerCase())
      out.push({ userId: erased ? null : q.userId, email: q.email, lang: langOf(q.lang), as: 'requester', orgId: q.orgId, erasedAddress: erased })
      break
    }
    default: {
      // A guardian, an admin, the operator: told if they still have an account (and an address).
      if (!r.requestedBy || r.requestedBy === subject.id) break
      const [u] = await tx
        .select({ email: users.email, locale: users.locale })
        .from(users)
        .where(and(eq(users.id, r.requestedBy), isNull(users.deactivatedAt)))
      if (u) out.push({ userId: r.requestedBy, email: u.email, lang: langOf(u.locale), as: 'requester', orgId: r.orgId })
    }
  }
  if (isChildAccount(subject)) {
    // The organizations this erasure reaches: one (membership) or every one the child belongs to.
    const orgs = await tx
      .selectDistinct({ id: organizations.id, kind: organizations.kind })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(and(eq(memberships.userId, subject.id), r.scope === 'membership' && r.orgId ? eq(memberships.orgId, r.orgId) : undefined))
    const families = orgs.filter((o) => o.kind === 'family').map((o) => o.id)
    if (families.length) {
      const guardians = await tx
        .selectDistinct({ id: users.id, email: users.email, locale: users.locale, orgId: guardianLinks.orgId })
        .from(guardianLinks)
        .innerJoin(users, and(eq(users.id, guardianLinks.guardianId), isNull(users.deactivatedAt)))
        .where(
          and(
            eq(guardianLinks.childId, subject.id),
            inArray(guardianLinks.orgId, families),
            isNull(guardianLinks.endedAt),
            isNull(guardianLinks.suspendedAt),
            lte(guardianLinks.startedAt, now()),
            isNotNull(users.email),
          ),
        )
      for (const g of guardians) out.push({ userId: g.id, email: g.email, lang: langOf(g.locale), as: 'guardian', orgId: g.orgId })
    }
    for (const school of orgs.filter((o) => o.kind === 'school')) {
      for (const c of await controllerContacts(tx, school.id)) out.push({ userId: c.id, email: c.email, lang: c.lang, as: 'school', orgId: school.id })
    }
  }
  // One notice per person: the first reason wins (whoever asked is told as the requester).
  const seen = new Set<string>()
  return out.filter((x) => {
    const key = x.userId ?? `mail:${x.email?.toLowerCase()}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The facts a notice is written from: all on the tombstone (and the request it closed). */
export type ProofFacts = {
  reference: string
  scope: DeletionScope
  orgName: string | null
  requestedAt: Date
  completedAt: Date
  deleted: Record<string, number>
  anonymized: Record<string, number>
  files: number
  /** The rights request the erasure answered, if any. */
  requestReference: string | null
}

const PERSON = new Set(['any', 'adult', 'child', 'guardian'])
const categoriesOf = (tables: string[], erasure: 'delete' | 'anonymize') => {
  const out = new Set<Category>()
  for (const name of tables)
    for (const col of Object.values(CLASSIFICATION[name]?.columns ?? {})) if (col.erasure === erasure && col.category !== 'none' && col.category !== 'evidence') out.add(col.category)
  return [...out].sort()
}

/**
 * What outlives every erasure as evidence, from the classification: the tables kept for
 * security or a legal obligation that keep (ids only) or pseudonymize something about a person.
 */
export function evidenceTables() {
  const out: { table: string; purpose: 'security' | 'legal_obligation' }[] = []
  for (const [table, c] of Object.entries(CLASSIFICATION)) {
    if (c.purpose !== 'security' && c.purpose !== 'legal_obligation') continue
    if (Object.values(c.columns).some((col) => (col.erasure === 'keep' || col.erasure === 'pseudonymize') && PERSON.has(col.subject))) out.push({ table, purpose: c.purpose })
  }
  return out
}

export const evidenceLabelKey = (table: string) => `retention.proof.evidence.${table}` as MessageKey
const categoryWords = (lang: Lang, cats: Category[]) => cats.map((c) => t(lang, `dsr.category.${c}` as MessageKey).toLowerCase()).join(', ')

export type ProofNotice = { title: string; intro: string; erased: string[]; kept: string[]; reference: string }

/** The notice in words (the same for the app and the mail). */
export function proofNotice(lang: Lang, f: ProofFacts, as: ProofAudience): ProofNotice {
  const org = f.orgName ?? t(lang, 'retention.proof.org_unknown')
  const erased = [
    t(lang, f.scope === 'membership' ? 'retention.proof.erased_membership' : 'retention.proof.erased_account', { org }),
    t(lang, 'retention.proof.erased_when', { requested: formatDate(lang, f.requestedAt, true), completed: formatDate(lang, f.completedAt, true) }),
  ]
  const gone = categoriesOf(Object.keys(f.deleted), 'delete')
  if (gone.length) erased.push(t(lang, 'retention.proof.erased_categories', { categories: categoryWords(lang, gone) }))
  if (f.files) erased.push(t(lang, 'retention.proof.erased_files', { count: f.files }))
  const kept: string[] = []
  // Anonymized rows of the service itself (learning results): how many and why.
  const anonymizedTables = Object.keys(f.anonymized).filter((name) => CLASSIFICATION[name]?.purpose === 'service_provision')
  const anonymizedCats = categoriesOf(anonymizedTables, 'anonymize')
  if (anonymizedCats.length) kept.push(t(lang, 'retention.proof.kept_anonymized', { categories: categoryWords(lang, anonymizedCats) }))
  else if (categoriesOf(Object.keys(f.deleted), 'anonymize').length) kept.push(t(lang, 'retention.proof.kept_none_anonymized'))
  const evidence = evidenceTables()
  for (const purpose of ['security', 'legal_obligation'] as const) {
    // A table without words is left out rather than shown by its name (a test requires the words).
    const what = evidence.filter((e) => e.purpose === purpose && isMessageKey(evidenceLabelKey(e.table))).map((e) => t(lang, evidenceLabelKey(e.table)))
    if (what.length) kept.push(t(lang, `retention.proof.kept_${purpose}`, { what: what.join(lang === 'fr' ? ' ; ' : '; ') }))
  }
  const intro = t(lang, `retention.proof.intro_${as}`, { org }) + (f.requestReference ? ` ${t(lang, 'retention.proof.intro_request', { reference: f.requestReference })}` : '')
  return { title: t(lang, 'retention.proof.title', { reference: f.reference }), intro, erased, kept, reference: f.reference }
}

export function proofMailText(lang: Lang, n: ProofNotice) {
  const list = (xs: string[]) => xs.map((x) => `- ${x}`).join('\n')
  return t(lang, 'retention.proof.mail_text', { intro: n.intro, erased: list(n.erased), kept: list(n.kept), reference: n.reference })
}

/**
 * After the erasure, in its transaction: an in-app notice and a mail (through the outbox) for
 * each recipient. The notice is unique per person, kind and tombstone.
 */
export async function sendProof(tx: DbOrTx, recipients: Recipient[], tombstoneId: string) {
  if (!recipients.length) return
  const facts = await proofFacts(tx, tombstoneId)
  if (!facts) return
  const at = now()
  for (const r of recipients) {
    if (r.userId)
      await tx
        .insert(notifications)
        .values({ userId: r.userId, orgId: r.orgId, kind: `${KIND_PREFIX}${r.as}`, refType: REF_TYPE, refId: tombstoneId, createdAt: at })
        .onConflictDoNothing()
    if (r.email) {
      const n = proofNotice(r.lang, facts, r.as)
      await queueMail(tx, { to: r.email, userId: r.userId, subject: n.title, text: proofMailText(r.lang, n), eraseAfterSending: r.erasedAddress })
    }
  }
  await recordAudit(tx, {
    action: 'erasure.proof_sent',
    orgId: facts.orgId,
    targetType: 'erasure_tombstone',
    targetId: tombstoneId,
    details: Object.fromEntries(PROOF_AUDIENCES.map((a) => [a, recipients.filter((r) => r.as === a).length])),
  })
}

async function proofFacts(db: DbOrTx, tombstoneId: string): Promise<(ProofFacts & { orgId: string | null }) | null> {
  const [row] = await db
    .select({ tomb: erasureTombstones, orgName: organizations.name })
    .from(erasureTombstones)
    .leftJoin(organizations, eq(organizations.id, erasureTombstones.orgId))
    .where(eq(erasureTombstones.id, tombstoneId))
  if (!row) return null
  const [q] = await db.select({ reference: rightsRequests.reference }).from(rightsRequests).where(eq(rightsRequests.subjectErasureId, tombstoneId)).limit(1)
  const tb = row.tomb
  return {
    reference: tb.id,
    scope: tb.scope,
    orgId: tb.orgId,
    orgName: row.orgName,
    requestedAt: tb.requestedAt,
    completedAt: tb.completedAt,
    deleted: tb.deleted,
    anonymized: tb.anonymized,
    files: tb.files,
    requestReference: q?.reference ?? null,
  }
}

/** A person's unread proofs of erasure, in words (the home page shows them until dismissed). */
export async function unreadErasureNotices(db: DbOrTx, { userId, lang }: { userId: string; lang: Lang }) {
  const rows = await db
    .select({ id: notifications.id, kind: notifications.kind, refId: notifications.refId, createdAt: notifications.createdAt })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.refType, REF_TYPE), isNull(notifications.readAt)))
    .orderBy(notifications.createdAt)
  const out: (ProofNotice & { id: string })[] = []
  for (const r of rows) {
    const as = r.kind.slice(KIND_PREFIX.length) as ProofAudience
    const facts = r.refId && (PROOF_AUDIENCES as readonly string[]).includes(as) ? await proofFacts(db, r.refId) : null
    if (facts) out.push({ id: r.id, ...proofNotice(lang, facts, as) })
  }
  return out
}

/** A proof notice as the policy's 'Notice' (its owner), or null. */
export async function getErasureNotice(db: DbOrTx, { noticeId }: { noticeId: string }) {
  const [row] = await db
    .select({ id: notifications.id, userId: notifications.userId })
    .from(notifications)
    .where(and(eq(notifications.id, noticeId), eq(notifications.refType, REF_TYPE)))
  return row ?? null
}

/** Dismissed by its owner: read, kept (the mail remains their copy). */
export async function dismissErasureNotice(db: DbOrTx, { noticeId, userId }: { noticeId: string; userId: string }) {
  await db
    .update(notifications)
    .set({ readAt: now() })
    .where(and(eq(notifications.id, noticeId), eq(notifications.userId, userId), eq(notifications.refType, REF_TYPE), isNull(notifications.readAt)))
}

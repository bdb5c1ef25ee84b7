// The breach register (DPA §10.2; GDPR Art. 33). The platform operator records a breach with
// the Art. 33(3) contents; each affected organization's admins and DPO are told at once (in
// the app and by email) with those contents; more information follows in phases. Each
// controller sees its own 72-hour clock to the supervisory authority, counted from the moment
// it was informed, records when it notified the authority and whether the data subjects were
// informed, and produces the notification as a PDF (pdf.server.ts).
import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm'
import { breachOrgs, breachUpdates, breaches, memberships, notifications, organizations, users, SUBJECTS_INFORMED } from '../../../drizzle/schema'
import { HOUR, now } from '../../clock.server'
import { config } from '../../config.server'
import type { Db, DbOrTx } from '../../db.server'
import { Invalid, NotFound } from '../../errors.server'
import { formatDate, isLang, t, type Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'

export const AUTHORITY_DEADLINE = 72 * HOUR

export type BreachInput = {
  nature: string
  detectedAt: Date
  subjectCategories: string
  approxSubjects: number | null
  recordCategories: string
  approxRecords: number | null
  consequences: string
  measures: string
}

export type Clock = { informedAt: Date; deadline: Date; remainingMs: number; state: 'running' | 'overdue' | 'notified_on_time' | 'notified_late' }

/** The controller's 72 hours, from when it was informed. */
export function clock72(informedAt: Date, authorityNotifiedAt: Date | null, at = now()): Clock {
  const deadline = new Date(informedAt.getTime() + AUTHORITY_DEADLINE)
  if (authorityNotifiedAt) return { informedAt, deadline, remainingMs: 0, state: authorityNotifiedAt <= deadline ? 'notified_on_time' : 'notified_late' }
  const remainingMs = deadline.getTime() - at.getTime()
  return { informedAt, deadline, remainingMs, state: remainingMs > 0 ? 'running' : 'overdue' }
}

function validate(b: BreachInput) {
  for (const k of ['nature', 'subjectCategories', 'recordCategories', 'consequences', 'measures'] as const) {
    if (!b[k]?.trim()) throw new Invalid('retention.breach.field_required', { field: k })
  }
  if (!(b.detectedAt instanceof Date) || Number.isNaN(b.detectedAt.getTime()) || b.detectedAt > now()) throw new Invalid('retention.breach.detected_invalid')
  for (const k of ['approxSubjects', 'approxRecords'] as const) if (b[k] !== null && (!Number.isInteger(b[k]) || b[k]! < 0)) throw new Invalid('retention.breach.number_invalid')
}

async function contacts(db: DbOrTx, orgId: string) {
  const rows = await db
    .selectDistinct({ id: users.id, email: users.email, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ['admin', 'dpo']), eq(memberships.status, 'active'), isNotNull(users.email), isNull(users.deactivatedAt)))
  return rows.map((r) => ({ id: r.id, email: r.email!, lang: (isLang(r.locale) ? r.locale : 'fr') as Lang }))
}

const n = (lang: Lang, v: number | null) => (v === null ? t(lang, 'retention.breach.unknown') : `≈ ${v}`)

export function breachSummary(lang: Lang, b: BreachInput & { reference: string }) {
  return [
    `${t(lang, 'retention.breach.f.reference')}: ${b.reference}`,
    `${t(lang, 'retention.breach.f.nature')}: ${b.nature}`,
    `${t(lang, 'retention.breach.f.detected')}: ${formatDate(lang, b.detectedAt, true)}`,
    `${t(lang, 'retention.breach.f.subjects')}: ${b.subjectCategories} (${n(lang, b.approxSubjects)})`,
    `${t(lang, 'retention.breach.f.records')}: ${b.recordCategories} (${n(lang, b.approxRecords)})`,
    `${t(lang, 'retention.breach.f.consequences')}: ${b.consequences}`,
    `${t(lang, 'retention.breach.f.measures')}: ${b.measures}`,
  ].join('\n')
}

async function tell(
  tx: DbOrTx,
  a: { orgId: string; orgName: string; breach: typeof breaches.$inferSelect; kind: 'breach.notified' | 'breach.update'; refId: string; extra?: string; deadline?: Date },
) {
  const people = await contacts(tx, a.orgId)
  for (const c of people) {
    await tx.insert(notifications).values({ userId: c.id, orgId: a.orgId, kind: a.kind, refType: 'breach', refId: a.refId, createdAt: now() }).onConflictDoNothing()
    const link = `${config.appUrl}/org/${a.orgId}/breaches/${a.breach.id}`
    await queueMail(tx, {
      to: c.email,
      userId: c.id,
      subject: t(c.lang, a.kind === 'breach.notified' ? 'retention.breach.mail_subject' : 'retention.breach.mail_update_subject', { reference: a.breach.reference }),
      text: t(c.lang, a.kind === 'breach.notified' ? 'retention.breach.mail_text' : 'retention.breach.mail_update_text', {
        org: a.orgName,
        summary: breachSummary(c.lang, a.breach),
        update: a.extra ?? '',
        deadline: a.deadline ? formatDate(c.lang, a.deadline, true) : '',
        link,
      }),
    })
  }
  return people.length
}

async function nextReference(tx: DbOrTx, at: Date) {
  const year = at.getUTCFullYear()
  const [{ c }] = (await tx
    .select({ c: sql<number>`count(*)::int` })
    .from(breaches)
    .where(sql`${breaches.reference} like ${`BRE-${year}-%`}`)) as [{ c: number }]
  return `BRE-${year}-${String(c + 1).padStart(4, '0')}`
}

export async function recordBreach(db: Db, a: BreachInput & { orgIds: string[]; by: string; origin?: RequestOrigin }) {
  validate(a)
  const orgIds = [...new Set(a.orgIds)]
  if (!orgIds.length) throw new Invalid('retention.breach.orgs_required')
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('carnet:breach-reference'))`)
    const at = now()
    const orgs = await tx.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, orgIds))
    if (orgs.length !== orgIds.length) throw new NotFound('organization')
    const [b] = await tx
      .insert(breaches)
      .values({
        reference: await nextReference(tx, at),
        nature: a.nature.trim(),
        detectedAt: a.detectedAt,
        subjectCategories: a.subjectCategories.trim(),
        approxSubjects: a.approxSubjects,
        recordCategories: a.recordCategories.trim(),
        approxRecords: a.approxRecords,
        consequences: a.consequences.trim(),
        measures: a.measures.trim(),
        recordedBy: a.by,
        recordedAt: at,
      })
      .returning()
    for (const o of orgs) {
      const [row] = await tx.insert(breachOrgs).values({ breachId: b!.id, orgId: o.id, informedAt: at }).returning()
      const recipients = await tell(tx, { orgId: o.id, orgName: o.name, breach: b!, kind: 'breach.notified', refId: b!.id, deadline: new Date(at.getTime() + AUTHORITY_DEADLINE) })
      await tx.update(breachOrgs).set({ recipients }).where(eq(breachOrgs.id, row!.id))
      await recordAudit(tx, { action: 'breach.notified', orgId: o.id, actorId: a.by, targetType: 'breach', targetId: b!.id, details: { recipients } })
    }
    await recordAudit(tx, { action: 'breach.recorded', actorId: a.by, targetType: 'breach', targetId: b!.id, ...(a.origin ?? {}), details: { organizations: orgs.length } })
    return b!
  })
}

/** Information added in a later phase: by the operator (told to every affected organization) or by one controller. */
export async function addBreachInfo(
  db: Db,
  a: { breachId: string; orgId: string | null; by: string; text: string; approxSubjects?: number | null; approxRecords?: number | null; origin?: RequestOrigin },
) {
  const text = a.text.trim()
  if (!text) throw new Invalid('retention.breach.text_required')
  return db.transaction(async (tx) => {
    const [b] = await tx.select().from(breaches).where(eq(breaches.id, a.breachId)).for('update')
    if (!b) throw new NotFound('breach')
    if (a.orgId) {
      const [mine] = await tx
        .select()
        .from(breachOrgs)
        .where(and(eq(breachOrgs.breachId, b.id), eq(breachOrgs.orgId, a.orgId)))
      if (!mine) throw new NotFound('breach')
    }
    const [u] = await tx.insert(breachUpdates).values({ breachId: b.id, orgId: a.orgId, at: now(), authorId: a.by, text }).returning()
    let updated = b
    if (!a.orgId && (a.approxSubjects !== undefined || a.approxRecords !== undefined)) {
      const [x] = await tx
        .update(breaches)
        .set({ ...(a.approxSubjects !== undefined ? { approxSubjects: a.approxSubjects } : {}), ...(a.approxRecords !== undefined ? { approxRecords: a.approxRecords } : {}) })
        .where(eq(breaches.id, b.id))
        .returning()
      updated = x!
    }
    if (!a.orgId) {
      const affected = await tx
        .select({ id: organizations.id, name: organizations.name })
        .from(breachOrgs)
        .innerJoin(organizations, eq(organizations.id, breachOrgs.orgId))
        .where(eq(breachOrgs.breachId, b.id))
      for (const o of affected) await tell(tx, { orgId: o.id, orgName: o.name, breach: updated, kind: 'breach.update', refId: u!.id, extra: text })
    }
    await recordAudit(tx, { action: 'breach.info_added', orgId: a.orgId, actorId: a.by, targetType: 'breach', targetId: b.id, ...(a.origin ?? {}), details: { updateId: u!.id } })
    return u!
  })
}

export type AuthorityRecord = { notifiedAt: Date | null; reference: string | null; subjectsInformed: (typeof SUBJECTS_INFORMED)[number] | null; subjectsInformedAt: Date | null }

/** The controller's own record: when it notified the authority, and whether the subjects were informed. */
export async function recordControllerSteps(db: DbOrTx, a: { breachId: string; orgId: string; by: string; steps: AuthorityRecord; origin?: RequestOrigin }) {
  if (a.steps.notifiedAt && a.steps.notifiedAt > now()) throw new Invalid('retention.breach.future_date')
  if (a.steps.subjectsInformedAt && a.steps.subjectsInformedAt > now()) throw new Invalid('retention.breach.future_date')
  const [row] = await db
    .update(breachOrgs)
    .set({
      authorityNotifiedAt: a.steps.notifiedAt,
      authorityReference: a.steps.reference?.trim() || null,
      subjectsInformed: a.steps.subjectsInformed,
      subjectsInformedAt: a.steps.subjectsInformed === 'yes' ? (a.steps.subjectsInformedAt ?? now()) : null,
      updatedBy: a.by,
      updatedAt: now(),
    })
    .where(and(eq(breachOrgs.breachId, a.breachId), eq(breachOrgs.orgId, a.orgId)))
    .returning()
  if (!row) throw new NotFound('breach')
  await recordAudit(db, {
    action: 'breach.controller_steps',
    orgId: a.orgId,
    actorId: a.by,
    targetType: 'breach',
    targetId: a.breachId,
    ...(a.origin ?? {}),
    details: { authorityNotified: !!row.authorityNotifiedAt, subjectsInformed: row.subjectsInformed },
  })
  return row
}

export async function orgBreaches(db: DbOrTx, orgId: string) {
  const rows = await db
    .select({ b: breaches, o: breachOrgs })
    .from(breachOrgs)
    .innerJoin(breaches, eq(breaches.id, breachOrgs.breachId))
    .where(eq(breachOrgs.orgId, orgId))
    .orderBy(desc(breachOrgs.informedAt))
  return rows.map(({ b, o }) => ({ ...b, org: o, clock: clock72(o.informedAt, o.authorityNotifiedAt) }))
}

export async function breachForOrg(db: DbOrTx, orgId: string, breachId: string) {
  const [row] = await db
    .select({ b: breaches, o: breachOrgs, orgName: organizations.name })
    .from(breachOrgs)
    .innerJoin(breaches, eq(breaches.id, breachOrgs.breachId))
    .innerJoin(organizations, eq(organizations.id, breachOrgs.orgId))
    .where(and(eq(breachOrgs.orgId, orgId), eq(breachOrgs.breachId, breachId)))
  if (!row) throw new NotFound('breach')
  const updates = await db
    .select()
    .from(breachUpdates)
    .where(and(eq(breachUpdates.breachId, breachId), or(isNull(breachUpdates.orgId), eq(breachUpdates.orgId, orgId))))
    .orderBy(asc(breachUpdates.at))
  return { ...row.b, org: row.o, orgName: row.orgName, updates, clock: clock72(row.o.informedAt, row.o.authorityNotifiedAt) }
}

export async function operatorBreaches(db: DbOrTx) {
  const list = await db.select().from(breaches).orderBy(desc(breaches.recordedAt))
  const ids = list.map((b) => b.id)
  const orgRows = ids.length
    ? await db
        .select({
          breachId: breachOrgs.breachId,
          orgId: breachOrgs.orgId,
          orgName: organizations.name,
          informedAt: breachOrgs.informedAt,
          recipients: breachOrgs.recipients,
          authorityNotifiedAt: breachOrgs.authorityNotifiedAt,
        })
        .from(breachOrgs)
        .innerJoin(organizations, eq(organizations.id, breachOrgs.orgId))
        .where(inArray(breachOrgs.breachId, ids))
    : []
  const updates = ids.length
    ? await db
        .select()
        .from(breachUpdates)
        .where(and(inArray(breachUpdates.breachId, ids), isNull(breachUpdates.orgId)))
        .orderBy(asc(breachUpdates.at))
    : []
  return list.map((b) => ({ ...b, orgs: orgRows.filter((o) => o.breachId === b.id), updates: updates.filter((u) => u.breachId === b.id) }))
}

/** The breach's in-app notifications for this person are read once its page is opened. */
export async function markBreachNotificationsRead(db: DbOrTx, a: { userId: string; breachId: string }) {
  const updateIds = (await db.select({ id: breachUpdates.id }).from(breachUpdates).where(eq(breachUpdates.breachId, a.breachId))).map((u) => u.id)
  await db
    .update(notifications)
    .set({ readAt: now() })
    .where(and(eq(notifications.userId, a.userId), eq(notifications.refType, 'breach'), isNull(notifications.readAt), inArray(notifications.refId, [a.breachId, ...updateIds])))
}

/** Unread breach notices of a person, per organization (for the navigation). */
export async function unreadBreachNotices(db: DbOrTx, userId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ orgId: notifications.orgId, n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.refType, 'breach'), isNull(notifications.readAt)))
    .groupBy(notifications.orgId)
  return new Map(rows.filter((r) => r.orgId).map((r) => [r.orgId!, r.n]))
}

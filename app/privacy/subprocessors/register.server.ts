// The sub-processor register (DPA §8, Annex C — seeded by migration 0007), shown to every
// organization. An addition or replacement is announced to every controller (admins and DPO,
// in the app and by email) with its own objection deadline: 7 French business days from
// receipt. An objection is a consent-log entry ('objection_recorded', purpose
// 'subprocessor_change') and is shown to the operator.
import { and, asc, desc, eq, inArray, isNotNull, isNull, or, gt, lte, sql } from 'drizzle-orm'
import { memberships, notifications, organizations, subprocessorChangeOrgs, subprocessorChanges, subprocessors, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import { config } from '../../config.server'
import type { Db, DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { formatDate, isLang, t, type Lang } from '../../i18n'
import { queueMail } from '../../mail/outbox.server'
import { recordAudit, type RequestOrigin } from '../../compliance/audit.server'
import { appendConsent } from '../../compliance/consent-log.server'
import { objectionDeadline } from '../../compliance/business-days.server'

export type NewSubprocessor = { name: string; registrationNumber: string; activity: string; personalDataTransfer: boolean; contract: string }

/** In force now: effective, not removed (a replaced one stays until its successor takes over). */
export async function currentRegister(db: DbOrTx) {
  const at = now()
  return db
    .select()
    .from(subprocessors)
    .where(and(or(isNull(subprocessors.effectiveAt), lte(subprocessors.effectiveAt, at)), or(isNull(subprocessors.removedAt), gt(subprocessors.removedAt, at))))
    .orderBy(asc(subprocessors.position), asc(subprocessors.name))
}

/** Contacts of the controller: admins and DPO with an email. */
async function controllerContacts(db: DbOrTx, orgId: string) {
  const rows = await db
    .selectDistinct({ id: users.id, email: users.email, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ['admin', 'dpo']), eq(memberships.status, 'active'), isNotNull(users.email), isNull(users.deactivatedAt)))
  return rows.map((r) => ({ id: r.id, email: r.email!, lang: (isLang(r.locale) ? r.locale : 'fr') as Lang }))
}

export async function announceChange(db: Db, a: { kind: 'addition' | 'replacement'; sub: NewSubprocessor; replacesId?: string | null; description: string; by: string; origin?: RequestOrigin }) {
  for (const [k, v] of Object.entries({ name: a.sub.name, registrationNumber: a.sub.registrationNumber, activity: a.sub.activity, contract: a.sub.contract, description: a.description })) {
    if (!v.trim()) throw new Invalid('retention.sub.field_required', { field: k })
  }
  if (a.kind === 'replacement' && !a.replacesId) throw new Invalid('retention.sub.replaces_required')
  return db.transaction(async (tx) => {
    const at = now()
    const latest = objectionDeadline(at)
    if (a.replacesId) {
      const [old] = await tx.select().from(subprocessors).where(eq(subprocessors.id, a.replacesId))
      if (!old || old.removedAt) throw new NotFound('subprocessor')
      await tx.update(subprocessors).set({ removedAt: latest }).where(eq(subprocessors.id, old.id))
    }
    const [{ pos }] = (await tx.select({ pos: sql<number>`coalesce(max(${subprocessors.position}), 0)::int` }).from(subprocessors)) as [{ pos: number }]
    const [sub] = await tx
      .insert(subprocessors)
      .values({ ...a.sub, name: a.sub.name.trim(), position: pos + 1, addedAt: at, effectiveAt: latest })
      .returning()
    const [change] = await tx
      .insert(subprocessorChanges)
      .values({ kind: a.kind, subprocessorId: sub!.id, replacesId: a.replacesId ?? null, description: a.description.trim(), announcedAt: at, announcedBy: a.by })
      .returning()
    const orgs = await tx.select({ id: organizations.id, name: organizations.name }).from(organizations)
    let mails = 0
    for (const o of orgs) {
      const deadline = objectionDeadline(at)
      await tx.insert(subprocessorChangeOrgs).values({ changeId: change!.id, orgId: o.id, notifiedAt: at, objectionDeadline: deadline })
      for (const c of await controllerContacts(tx, o.id)) {
        await tx.insert(notifications).values({ userId: c.id, orgId: o.id, kind: 'subprocessor.change', refType: 'subprocessor_change', refId: change!.id, createdAt: at }).onConflictDoNothing()
        await queueMail(tx, {
          to: c.email,
          userId: c.id,
          subject: t(c.lang, 'retention.sub.mail_subject', { name: sub!.name }),
          text: t(c.lang, 'retention.sub.mail_text', {
            org: o.name,
            kind: t(c.lang, `retention.sub.kind.${a.kind}`),
            name: sub!.name,
            activity: sub!.activity,
            transfer: t(c.lang, sub!.personalDataTransfer ? 'retention.yes' : 'retention.no'),
            description: change!.description,
            deadline: formatDate(c.lang, deadline, true),
            link: `${config.appUrl}/org/${o.id}/subprocessors`,
          }),
        })
        mails++
      }
    }
    await recordAudit(tx, {
      action: 'subprocessor.announced',
      actorId: a.by,
      targetType: 'subprocessor_change',
      targetId: change!.id,
      ...(a.origin ?? {}),
      details: { kind: a.kind, organizations: orgs.length, mails },
    })
    return { change: change!, subprocessor: sub!, organizations: orgs.length }
  })
}

/** The controller objects, within its window; the objection is consent-log evidence. */
export async function objectToChange(db: Db, a: { orgId: string; changeId: string; by: string; origin?: RequestOrigin }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(subprocessorChangeOrgs)
      .where(and(eq(subprocessorChangeOrgs.changeId, a.changeId), eq(subprocessorChangeOrgs.orgId, a.orgId)))
      .for('update')
    if (!row) throw new NotFound('subprocessor_change')
    if (row.objectedAt) throw new Conflict('retention.sub.already_objected')
    if (now() > row.objectionDeadline) throw new Conflict('retention.sub.window_closed', { deadline: row.objectionDeadline.toISOString() })
    const entry = await appendConsent(tx, {
      orgId: a.orgId,
      event: 'objection_recorded',
      state: 'recorded',
      actorId: a.by,
      purpose: 'subprocessor_change',
      method: 'web_form',
      details: { changeId: a.changeId },
    })
    const [updated] = await tx.update(subprocessorChangeOrgs).set({ objectedAt: entry.at, objectedBy: a.by, consentRecordId: entry.id }).where(eq(subprocessorChangeOrgs.id, row.id)).returning()
    await recordAudit(tx, {
      action: 'subprocessor.objection',
      orgId: a.orgId,
      actorId: a.by,
      targetType: 'subprocessor_change',
      targetId: a.changeId,
      ...(a.origin ?? {}),
      details: { consentRecordId: entry.id },
    })
    return updated!
  })
}

/** What one organization sees: the register, and the announced changes with its own deadline. */
export async function orgView(db: DbOrTx, orgId: string) {
  const register = await currentRegister(db)
  const changes = await db
    .select({
      id: subprocessorChanges.id,
      kind: subprocessorChanges.kind,
      description: subprocessorChanges.description,
      announcedAt: subprocessorChanges.announcedAt,
      name: subprocessors.name,
      registrationNumber: subprocessors.registrationNumber,
      activity: subprocessors.activity,
      transfer: subprocessors.personalDataTransfer,
      contract: subprocessors.contract,
      effectiveAt: subprocessors.effectiveAt,
      replacesId: subprocessorChanges.replacesId,
      notifiedAt: subprocessorChangeOrgs.notifiedAt,
      deadline: subprocessorChangeOrgs.objectionDeadline,
      objectedAt: subprocessorChangeOrgs.objectedAt,
    })
    .from(subprocessorChangeOrgs)
    .innerJoin(subprocessorChanges, eq(subprocessorChanges.id, subprocessorChangeOrgs.changeId))
    .innerJoin(subprocessors, eq(subprocessors.id, subprocessorChanges.subprocessorId))
    .where(eq(subprocessorChangeOrgs.orgId, orgId))
    .orderBy(desc(subprocessorChanges.announcedAt))
  return { register, changes }
}

/** The operator's view: every change, how many controllers were told, and each objection. */
export async function operatorView(db: DbOrTx) {
  const changes = await db
    .select({ id: subprocessorChanges.id, kind: subprocessorChanges.kind, description: subprocessorChanges.description, announcedAt: subprocessorChanges.announcedAt, name: subprocessors.name })
    .from(subprocessorChanges)
    .innerJoin(subprocessors, eq(subprocessors.id, subprocessorChanges.subprocessorId))
    .orderBy(desc(subprocessorChanges.announcedAt))
  const ids = changes.map((c) => c.id)
  const rows = ids.length
    ? await db
        .select({
          changeId: subprocessorChangeOrgs.changeId,
          orgId: subprocessorChangeOrgs.orgId,
          orgName: organizations.name,
          deadline: subprocessorChangeOrgs.objectionDeadline,
          objectedAt: subprocessorChangeOrgs.objectedAt,
          consentRecordId: subprocessorChangeOrgs.consentRecordId,
        })
        .from(subprocessorChangeOrgs)
        .innerJoin(organizations, eq(organizations.id, subprocessorChangeOrgs.orgId))
        .where(inArray(subprocessorChangeOrgs.changeId, ids))
    : []
  return changes.map((c) => {
    const mine = rows.filter((r) => r.changeId === c.id)
    return {
      ...c,
      notified: mine.length,
      deadline: mine[0]?.deadline ?? null,
      objections: mine.filter((r) => r.objectedAt).map((r) => ({ orgId: r.orgId, orgName: r.orgName, at: r.objectedAt!, consentRecordId: r.consentRecordId })),
    }
  })
}

export async function allSubprocessors(db: DbOrTx) {
  return db.select().from(subprocessors).orderBy(asc(subprocessors.position))
}

// What the school records about informing guardians and about each child's authorisation,
// and the parental consent a family gives for a child under the digital age of consent.
// All of it is the CONSENT LOG (append-only, hash-chained): nothing is overwritten, the
// current state of a child is their latest entry. Ids only in the log; names are looked up
// here, for display, from the live tables.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { classes, consentRecords, enrolments, memberships, organizations, sessions, users } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Conflict, Invalid, NotFound } from '../../errors.server'
import { appendConsent } from '../../compliance/consent-log.server'
import { recordAudit } from '../../compliance/audit.server'
import type { Lang } from '../../i18n'
import { currentDocument } from '../../compliance/legal-documents.server'
import { ageOn, digitalAgeOfConsent, needsParentalConsent } from './consent-age'
import { DECISION_METHOD_OPTIONS, DECISION_OPTIONS, INFORM_CHANNEL_OPTIONS } from './constants'
import { isUuid, type Actor } from './links.server'
import { noticeById } from './notices'

export const INFORM_CHANNELS = INFORM_CHANNEL_OPTIONS
export type InformChannel = (typeof INFORM_CHANNELS)[number]
export const DECISION_METHODS = DECISION_METHOD_OPTIONS
export type DecisionMethod = (typeof DECISION_METHODS)[number]
export const DECISIONS = DECISION_OPTIONS
export type Decision = (typeof DECISIONS)[number]

const DECISION_EVENT = { obtained: 'authorisation_obtained', refused: 'authorisation_refused', withdrawn: 'authorisation_withdrawn' } as const
const DECISION_STATE = { obtained: 'given', refused: 'refused', withdrawn: 'withdrawn' } as const
const EVENT_DECISION: Record<string, Decision> = { authorisation_obtained: 'obtained', authorisation_refused: 'refused', authorisation_withdrawn: 'withdrawn' }

export type ChildLoginBlock = 'authorisation_refused' | 'authorisation_withdrawn' | 'parental_consent_missing'

// ---- Reading the current state -------------------------------------------------------

/** Latest authorisation decision per child of one organization (from the consent log). */
export async function latestDecisions(db: DbOrTx, { orgId, childIds }: { orgId: string; childIds: string[] }) {
  const out = new Map<string, { decision: Decision; at: Date; actorId: string | null; method: string }>()
  if (!childIds.length) return out
  const rows = await db
    .select({ subjectId: consentRecords.subjectId, event: consentRecords.event, at: consentRecords.at, actorId: consentRecords.actorId, method: consentRecords.method })
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, orgId), inArray(consentRecords.subjectId, childIds), inArray(consentRecords.event, Object.values(DECISION_EVENT))))
    .orderBy(asc(consentRecords.seq))
  for (const r of rows) out.set(r.subjectId!, { decision: EVENT_DECISION[r.event]!, at: r.at, actorId: r.actorId, method: r.method })
  return out
}

/** Latest parental consent entry per child ('given' or 'withdrawn'). */
export async function latestParentalConsent(db: DbOrTx, { orgId, childIds }: { orgId: string; childIds: string[] }) {
  const out = new Map<string, { given: boolean; at: Date; actorId: string | null; documentVersion: string | null }>()
  if (!childIds.length) return out
  const rows = await db
    .select({ subjectId: consentRecords.subjectId, event: consentRecords.event, at: consentRecords.at, actorId: consentRecords.actorId, documentVersion: consentRecords.documentVersion })
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, orgId), inArray(consentRecords.subjectId, childIds), inArray(consentRecords.event, ['parental_consent_given', 'parental_consent_withdrawn'])))
    .orderBy(asc(consentRecords.seq))
  for (const r of rows) out.set(r.subjectId!, { given: r.event === 'parental_consent_given', at: r.at, actorId: r.actorId, documentVersion: r.documentVersion })
  return out
}

/**
 * Why a child may not log in, across every organization where the child is active:
 * - school: the latest authorisation is 'refused' or 'withdrawn' (none recorded yet: allowed);
 * - family: the child is under the country's digital age of consent and no parental consent
 *   is in force.
 */
export async function familyLoginBlock(db: DbOrTx, childId: string): Promise<ChildLoginBlock | null> {
  if (!isUuid(childId)) return null
  const orgs = await db
    .select({ orgId: organizations.id, kind: organizations.kind, country: organizations.country, birthDate: users.birthDate })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.userId, childId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
  if (!orgs.length) return null
  const rows = await db
    .select({ orgId: consentRecords.orgId, event: consentRecords.event })
    .from(consentRecords)
    .where(
      and(
        eq(consentRecords.subjectId, childId),
        inArray(
          consentRecords.orgId,
          orgs.map((o) => o.orgId),
        ),
        inArray(consentRecords.event, [...Object.values(DECISION_EVENT), 'parental_consent_given', 'parental_consent_withdrawn']),
      ),
    )
    .orderBy(asc(consentRecords.seq))
  const at = now()
  for (const o of orgs) {
    const mine = rows.filter((r) => r.orgId === o.orgId)
    const decision = [...mine].reverse().find((r) => r.event in EVENT_DECISION)
    if (decision?.event === 'authorisation_refused') return 'authorisation_refused'
    if (decision?.event === 'authorisation_withdrawn') return 'authorisation_withdrawn'
    if (o.kind === 'family' && needsParentalConsent(o.country, o.birthDate, at)) {
      const consent = [...mine].reverse().find((r) => r.event === 'parental_consent_given' || r.event === 'parental_consent_withdrawn')
      if (consent?.event !== 'parental_consent_given') return 'parental_consent_missing'
    }
  }
  return null
}

/** Ends every open session of a child (their next request lands on the login page). */
async function endChildSessions(db: DbOrTx, childId: string) {
  await db.delete(sessions).where(and(eq(sessions.userId, childId), eq(sessions.kind, 'child')))
}

// ---- School: guardians informed, per class -------------------------------------------

async function classOf(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  if (!isUuid(orgId) || !isUuid(classId)) throw new NotFound('class')
  const [cls] = await db
    .select()
    .from(classes)
    .where(and(eq(classes.id, classId), eq(classes.orgId, orgId)))
  if (!cls) throw new NotFound('class')
  return cls
}

/** The school records that the guardians of a class were informed (date, channel, notice version). */
export async function recordGuardiansInformed(db: DbOrTx, a: { orgId: string; classId: string; informedOn: string; channel: string; noticeId: string; lang: Lang; by: Actor }) {
  await classOf(db, a)
  if (!(INFORM_CHANNELS as readonly string[]).includes(a.channel)) throw new Invalid('families.auth.channel_required')
  const notice = noticeById(a.noticeId)
  if (!notice) throw new Invalid('families.auth.notice_required')
  const day = /^\d{4}-\d{2}-\d{2}$/.test(a.informedOn) ? new Date(`${a.informedOn}T12:00:00Z`) : null
  if (!day || Number.isNaN(day.getTime())) throw new Invalid('families.auth.date_invalid')
  if (day.getTime() > now().getTime() + 24 * 3600_000) throw new Invalid('families.auth.date_future')
  const entry = await appendConsent(db, {
    orgId: a.orgId,
    event: 'guardians_informed',
    state: 'recorded',
    subjectId: null,
    actorId: a.by.actorId,
    onBehalfOf: null,
    documentKind: 'notice',
    documentVersion: notice.id,
    purpose: 'school_use',
    method: a.channel as (typeof INFORM_CHANNELS)[number], // checked above
    language: a.lang,
    details: { classId: a.classId, informedOn: a.informedOn },
  })
  await recordAudit(db, {
    action: 'families.guardians_informed',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'class',
    targetId: a.classId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { consentSeq: entry.seq },
  })
  return entry
}

/** "Guardians informed" records that apply to a class: its own and the school-wide ones. */
export async function informedRecords(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }) {
  const rows = await db
    .select({
      seq: consentRecords.seq,
      at: consentRecords.at,
      method: consentRecords.method,
      documentVersion: consentRecords.documentVersion,
      details: consentRecords.details,
      actorFirst: users.firstName,
      actorLast: users.lastName,
    })
    .from(consentRecords)
    .leftJoin(users, eq(users.id, consentRecords.actorId))
    .where(
      and(eq(consentRecords.orgId, orgId), eq(consentRecords.event, 'guardians_informed'), sql`(${consentRecords.details}->>'classId' is null or ${consentRecords.details}->>'classId' = ${classId})`),
    )
    .orderBy(desc(consentRecords.seq))
  return rows.map((r) => {
    const d = (r.details ?? {}) as { classId?: string; informedOn?: string }
    return {
      seq: r.seq,
      recordedAt: r.at,
      informedOn: d.informedOn ?? null,
      channel: r.method,
      noticeId: r.documentVersion,
      forClass: !!d.classId,
      by: r.actorFirst ? `${r.actorFirst} ${r.actorLast ?? ''}`.trim() : null,
    }
  })
}

// ---- School: per-child authorisation -------------------------------------------------

/**
 * Records a guardian's decision for one child of a class: obtained, refused or withdrawn.
 * Appended to the consent log (actor = the staff member, on behalf of = the child, details:
 * class and, when known, the linked guardian who decided). A refusal or withdrawal ends the
 * child's open sessions: the child cannot log in from then on.
 */
export async function recordAuthorisation(db: DbOrTx, a: { orgId: string; classId: string; childId: string; decision: string; method: string; guardianId?: string | null; lang: Lang; by: Actor }) {
  await classOf(db, a)
  if (!isUuid(a.childId)) throw new NotFound('child')
  const [enrolled] = await db
    .select({ id: enrolments.id })
    .from(enrolments)
    .where(and(eq(enrolments.orgId, a.orgId), eq(enrolments.classId, a.classId), eq(enrolments.childId, a.childId)))
  if (!enrolled) throw new NotFound('child')
  if (!(DECISIONS as readonly string[]).includes(a.decision)) throw new Invalid('families.auth.decision_required')
  if (!(DECISION_METHODS as readonly string[]).includes(a.method)) throw new Invalid('families.auth.method_required')
  const decision = a.decision as Decision
  const run = async (tx: DbOrTx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'authorisation:' + a.childId}))`)
    const current = (await latestDecisions(tx, { orgId: a.orgId, childIds: [a.childId] })).get(a.childId)?.decision ?? null
    if (current === decision) throw new Conflict('families.auth.same', { state: decision })
    if (decision === 'withdrawn' && current !== 'obtained') throw new Invalid('families.auth.withdraw_needs_obtained')
    const entry = await appendConsent(tx, {
      orgId: a.orgId,
      event: DECISION_EVENT[decision],
      state: DECISION_STATE[decision],
      subjectId: a.childId,
      actorId: a.by.actorId,
      onBehalfOf: a.childId,
      documentKind: 'notice',
      documentVersion: null,
      purpose: 'school_use',
      method: a.method as DecisionMethod, // checked above
      language: a.lang,
      details: { classId: a.classId, ...(a.guardianId && isUuid(a.guardianId) ? { guardianId: a.guardianId } : {}) },
    })
    if (decision !== 'obtained') await endChildSessions(tx, a.childId)
    await recordAudit(tx, {
      action: 'families.authorisation',
      orgId: a.orgId,
      actorId: a.by.actorId,
      targetType: 'user',
      targetId: a.childId,
      ip: a.by.ip,
      userAgent: a.by.userAgent,
      details: { decision, classId: a.classId, consentSeq: entry.seq },
    })
    return entry
  }
  return 'rollback' in db ? run(db) : db.transaction(run)
}

export type ChildAuthorisation = {
  id: string
  firstName: string
  lastName: string
  decision: Decision | null
  at: Date | null
  method: string | null
  by: string | null
  block: ChildLoginBlock | null
}

/** The children of a class with their latest decision and whether it blocks their login. */
export async function classAuthorisations(db: DbOrTx, { orgId, classId }: { orgId: string; classId: string }): Promise<ChildAuthorisation[]> {
  await classOf(db, { orgId, classId })
  const children = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
    .from(enrolments)
    .innerJoin(users, and(eq(users.id, enrolments.childId), isNull(users.deactivatedAt)))
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId), eq(memberships.role, 'child'), eq(memberships.status, 'active')))
    .where(and(eq(enrolments.orgId, orgId), eq(enrolments.classId, classId)))
    .orderBy(asc(users.lastName), asc(users.firstName))
  const latest = await latestDecisions(db, { orgId, childIds: children.map((c) => c.id) })
  const actorIds = [...new Set([...latest.values()].map((l) => l.actorId).filter((x): x is string => !!x))]
  const actors = actorIds.length ? await db.select({ id: users.id, firstName: users.firstName, lastName: users.lastName }).from(users).where(inArray(users.id, actorIds)) : []
  const name = new Map(actors.map((x) => [x.id, `${x.firstName} ${x.lastName}`]))
  return children.map((c) => {
    const l = latest.get(c.id)
    return {
      ...c,
      decision: l?.decision ?? null,
      at: l?.at ?? null,
      method: l?.method ?? null,
      by: l?.actorId ? (name.get(l.actorId) ?? null) : null,
      block: l?.decision === 'refused' ? 'authorisation_refused' : l?.decision === 'withdrawn' ? 'authorisation_withdrawn' : null,
    }
  })
}

// ---- Family: parental consent --------------------------------------------------------

/**
 * A guardian gives consent for a child under the digital age of consent, by ticking an
 * unticked box. The record says who, for which child, which document version, when, how and
 * in which language. Only a guardian whose link carries the right to consent may do it.
 */
export async function giveParentalConsent(db: DbOrTx, a: { orgId: string; childId: string; ticked: boolean; lang: Lang; canConsent: boolean; by: Actor }) {
  if (!a.ticked) throw new Invalid('families.consent.tick_required')
  if (!a.canConsent) throw new Invalid('families.consent.not_allowed')
  const child = await familyChildForConsent(db, a)
  const current = (await latestParentalConsent(db, { orgId: a.orgId, childIds: [a.childId] })).get(a.childId)
  if (current?.given) throw new Conflict('families.consent.already', { name: child.firstName })
  const doc = await currentDocument(db, 'privacy', a.lang)
  const entry = await appendConsent(db, {
    orgId: a.orgId,
    event: 'parental_consent_given',
    state: 'given',
    subjectId: a.childId,
    actorId: a.by.actorId,
    onBehalfOf: a.childId,
    documentKind: 'privacy',
    documentVersion: doc.version,
    purpose: 'child_use',
    method: 'web_checkbox',
    language: a.lang,
    details: { age: ageOn(child.birthDate, now()), ageOfConsent: digitalAgeOfConsent(child.country) },
  })
  await recordAudit(db, {
    action: 'families.parental_consent',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'user',
    targetId: a.childId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { consentSeq: entry.seq },
  })
  return entry
}

/** Withdrawing consent: appended, never erased; the child's sessions end at once. */
export async function withdrawParentalConsent(db: DbOrTx, a: { orgId: string; childId: string; lang: Lang; canConsent: boolean; by: Actor }) {
  if (!a.canConsent) throw new Invalid('families.consent.not_allowed')
  await familyChildForConsent(db, a)
  const current = (await latestParentalConsent(db, { orgId: a.orgId, childIds: [a.childId] })).get(a.childId)
  if (!current?.given) throw new Conflict('families.consent.none')
  const doc = await currentDocument(db, 'privacy', a.lang)
  const entry = await appendConsent(db, {
    orgId: a.orgId,
    event: 'parental_consent_withdrawn',
    state: 'withdrawn',
    subjectId: a.childId,
    actorId: a.by.actorId,
    onBehalfOf: a.childId,
    documentKind: 'privacy',
    documentVersion: doc.version,
    purpose: 'child_use',
    method: 'web_checkbox',
    language: a.lang,
  })
  await endChildSessions(db, a.childId)
  await recordAudit(db, {
    action: 'families.parental_consent_withdrawn',
    orgId: a.orgId,
    actorId: a.by.actorId,
    targetType: 'user',
    targetId: a.childId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    details: { consentSeq: entry.seq },
  })
  return entry
}

async function familyChildForConsent(db: DbOrTx, { orgId, childId }: { orgId: string; childId: string }) {
  if (!isUuid(orgId) || !isUuid(childId)) throw new NotFound('child')
  const [row] = await db
    .select({ firstName: users.firstName, birthDate: users.birthDate, kind: organizations.kind, country: organizations.country })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, childId), eq(memberships.role, 'child')))
  if (!row || row.kind !== 'family') throw new NotFound('child')
  return row
}

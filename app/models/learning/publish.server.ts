// Publishing to families. An item (a result, an observation) is visible to the child's
// guardians once its `published_at` has passed: publishing "now" sets it to now, publishing
// with a release date sets it to that date. Publishing a whole activity also stamps the
// activity, so results that arrive later are published with it.
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { activities, observations, results } from '../../../drizzle/schema'
import { now } from '../../clock.server'
import type { DbOrTx } from '../../db.server'
import { Invalid, NotFound } from '../../errors.server'
import { recordAudit } from '../../compliance/audit.server'
import { isUuid } from './activities.server'
import type { By } from './skills.server'

export function isPublished(publishedAt: Date | null | undefined, at = now()) {
  return !!publishedAt && publishedAt.getTime() <= at.getTime()
}

/** A release date typed as yyyy-mm-dd means "from that morning" (07:00 Paris time ≈ 05:00/06:00 UTC). */
export function parseReleaseDate(v: string | null | undefined): Date | null {
  if (!v) return null
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Invalid('learning.publish.release_invalid')
  const d = new Date(`${v}T07:00:00+01:00`)
  if (Number.isNaN(d.getTime())) throw new Invalid('learning.publish.release_invalid')
  return d
}

function stamp(releaseAt: Date | null) {
  const at = now()
  return releaseAt && releaseAt.getTime() > at.getTime() ? releaseAt : at
}

/** Publishes (or unpublishes) chosen items of one class. Items of other classes are ignored. */
export async function setItemsPublished(db: DbOrTx, a: { orgId: string; classId: string; resultIds: string[]; observationIds: string[]; publish: boolean; releaseAt?: Date | null; by: By }) {
  const resultIds = a.resultIds.filter(isUuid)
  const observationIds = a.observationIds.filter(isUuid)
  if (!resultIds.length && !observationIds.length) throw new Invalid('learning.publish.nothing')
  const value = a.publish ? stamp(a.releaseAt ?? null) : null
  const by = a.publish ? a.by.actorId : null
  let nResults = 0
  let nObs = 0
  if (resultIds.length) {
    const inClass = db
      .select({ id: activities.id })
      .from(activities)
      .where(and(eq(activities.orgId, a.orgId), eq(activities.classId, a.classId)))
    const r = await db
      .update(results)
      .set({ publishedAt: value, publishedBy: by })
      .where(and(eq(results.orgId, a.orgId), inArray(results.id, resultIds), inArray(results.activityId, inClass)))
      .returning({ id: results.id })
    nResults = r.length
  }
  if (observationIds.length) {
    const r = await db
      .update(observations)
      .set({ publishedAt: value, publishedBy: by })
      .where(and(eq(observations.orgId, a.orgId), eq(observations.classId, a.classId), inArray(observations.id, observationIds)))
      .returning({ id: observations.id })
    nObs = r.length
  }
  await recordAudit(db, {
    action: a.publish ? 'learning.publish' : 'learning.unpublish',
    orgId: a.orgId,
    actorId: a.by.actorId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    targetType: 'class',
    targetId: a.classId,
    details: { results: nResults, observations: nObs, releaseAt: value?.toISOString() ?? null },
  })
  return { results: nResults, observations: nObs, at: value }
}

/**
 * Publishes whole activities of a class (bulk): their unpublished items get `releaseAt` (or
 * now), and results arriving later are published at the same date. Unpublishing clears both.
 */
export async function setActivitiesPublished(db: DbOrTx, a: { orgId: string; classId: string; activityIds: string[]; publish: boolean; releaseAt?: Date | null; by: By }) {
  const ids = a.activityIds.filter(isUuid)
  if (!ids.length) throw new Invalid('learning.publish.nothing')
  const at = now()
  const value = a.publish ? stamp(a.releaseAt ?? null) : null
  const acts = await db
    .update(activities)
    .set(a.publish ? { publishedAt: at, releaseAt: value && value.getTime() > at.getTime() ? value : null, publishedBy: a.by.actorId } : { publishedAt: null, releaseAt: null, publishedBy: null })
    .where(and(eq(activities.orgId, a.orgId), eq(activities.classId, a.classId), inArray(activities.id, ids)))
    .returning({ id: activities.id })
  if (!acts.length) throw new NotFound('activity')
  const found = acts.map((x) => x.id)
  const only = a.publish ? isNull : () => undefined
  const r = await db
    .update(results)
    .set({ publishedAt: value, publishedBy: a.publish ? a.by.actorId : null })
    .where(and(eq(results.orgId, a.orgId), inArray(results.activityId, found), only(results.publishedAt)))
    .returning({ id: results.id })
  const o = await db
    .update(observations)
    .set({ publishedAt: value, publishedBy: a.publish ? a.by.actorId : null })
    .where(and(eq(observations.orgId, a.orgId), eq(observations.classId, a.classId), inArray(observations.activityId, found), only(observations.publishedAt)))
    .returning({ id: observations.id })
  await recordAudit(db, {
    action: a.publish ? 'learning.publish' : 'learning.unpublish',
    orgId: a.orgId,
    actorId: a.by.actorId,
    ip: a.by.ip,
    userAgent: a.by.userAgent,
    targetType: 'class',
    targetId: a.classId,
    details: { activities: found, results: r.length, observations: o.length, releaseAt: value?.toISOString() ?? null },
  })
  return { activities: found.length, results: r.length, observations: o.length, at: value }
}
